"""Record or correct a management instrument: reglamento interno, plan or report."""

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from instancias_desktop.domain.enums import InstrumentType
from instancias_desktop.domain.instancia_records import InstrumentInput, InstrumentView, NormView
from instancias_desktop.i18n import _
from instancias_desktop.services.api import RecordEditor
from instancias_desktop.ui.dialogs.participant_dialog import enum_combo
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.date_field import DateField
from instancias_desktop.ui.widgets.text_box import text_box

_TITLES = {
    InstrumentType.RULES: _("Reglamento interno"),
    InstrumentType.WORK_PLAN: _("Plan de trabajo {year}"),
    InstrumentType.ACTION_PLAN: _("Plan de acción {year}"),
    InstrumentType.REPORT: _("Informe de actividades {year}"),
}


class InstrumentDialog(ServiceDialog):
    """Type, title, approving norm and date, period, and for a report: to whom and when sent."""

    def __init__(
        self,
        ops: Operations,
        services: RecordEditor,
        instancia_id: uuid.UUID,
        norms: Sequence[NormView],
        *,
        today: dt.date,
        editing: InstrumentView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = _("Corregir instrumento") if editing else _("Nuevo instrumento de gestión")
        super().__init__(ops, title, parent, name="instrument")
        self._services, self._instancia_id, self._editing = services, instancia_id, editing
        self._today = today
        self.instrument_type = enum_combo(
            InstrumentType, editing.instrument_type if editing else InstrumentType.RULES
        )
        self.title = QLineEdit(editing.title if editing else "", maxLength=200)
        self.norm = QComboBox()
        self.norm.addItem(_("(ninguna registrada)"), None)
        for norm in norms:
            label = f"{norm.title} ({norm.issued_on.strftime('%d/%m/%Y')})"
            self.norm.addItem(label, str(norm.id))  # text: Qt compares item data by value
        if editing is not None and editing.norm_id is not None:
            self.norm.setCurrentIndex(max(self.norm.findData(str(editing.norm_id)), 0))
        self.approved_on = DateField(editing.approved_on if editing else None, optional=True)
        self.period_start = DateField(editing.period_start if editing else None, optional=True)
        self.period_end = DateField(editing.period_end if editing else None, optional=True)
        self.recipient = QLineEdit(editing.recipient if editing else "", maxLength=200)
        self.recipient.setPlaceholderText(_("p. ej. MIMP - DGCVG"))
        self.sent_on = DateField(editing.sent_on if editing else None, optional=True)
        self.note = text_box(editing.note if editing else "", lines=2)
        for name, label, widget, description in (
            ("instrument_type", _("&Tipo"), self.instrument_type,
             _("Reglamento interno, plan de trabajo, plan de acción o informe.")),
            ("title", _("T&ítulo"), self.title, _("Cómo se llama el documento.")),
            ("norm_id", _("Aprobado &por"), self.norm,
             _("La norma registrada que lo aprobó, si la hay.")),
            ("approved_on", _("Fecha de &aprobación"), self.approved_on,
             _("Sin fecha de aprobación, el instrumento figura como «Sin aprobar».")),
            ("period_start", _("Periodo: &desde"), self.period_start,
             _("Inicio del periodo que cubre (plan o informe).")),
            ("period_end", _("Periodo: &hasta"), self.period_end,
             _("Fin del periodo; un plan es vigente mientras lo cubre.")),
            ("recipient", _("Dirigido a (&informe)"), self.recipient,
             _("A quién se envió el informe.")),
            ("sent_on", _("Fecha de &envío"), self.sent_on, _("Día en que se envió el informe.")),
            ("note", _("&Nota"), self.note, _("Cualquier precisión.")),
        ):  # fmt: skip
            self.add_field(name, label, widget, description)
        self.instrument_type.currentIndexChanged.connect(self._suggest_title)
        if editing is None:
            self._suggest_title()
        self.resize(560, self.sizeHint().height())
        self.instrument_type.setFocus()

    def _suggest_title(self) -> None:
        if not self.title.isModified():
            kind = InstrumentType(self.instrument_type.currentData())
            self.title.setText(_TITLES[kind].format(year=self._today.year))

    def gather(self) -> Callable[[], Any]:
        """The instrument as typed."""
        data = InstrumentInput(
            instrument_type=InstrumentType(self.instrument_type.currentData()),
            title=self.title.text(),
            norm_id=uuid.UUID(self.norm.currentData()) if self.norm.currentData() else None,
            approved_on=self.approved_on.read("approved_on"),
            period_start=self.period_start.read("period_start"),
            period_end=self.period_end.read("period_end"),
            recipient=self.recipient.text(),
            sent_on=self.sent_on.read("sent_on"),
            note=self.note.toPlainText(),
        )
        services, instancia_id = self._services, self._instancia_id
        editing = self._editing.id if self._editing else None
        return lambda: services.save_instrument(instancia_id, data, editing)
