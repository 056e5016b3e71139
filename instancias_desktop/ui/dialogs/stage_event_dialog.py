"""Update the instancia's stage from a visit: the new stage, its date and its evidence."""

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from instancias_desktop.domain.enums import NormType, Stage
from instancias_desktop.domain.instancia_records import NormView
from instancias_desktop.domain.visit_inputs import NormInput, StageEventInput
from instancias_desktop.i18n import _
from instancias_desktop.services.api import VisitService
from instancias_desktop.ui.dialogs.participant_dialog import enum_combo
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.date_field import DateField

_NEXT = {
    Stage.NOT_CREATED: Stage.CREATED,
    Stage.CREATED: Stage.INSTALLED,
    Stage.INSTALLED: Stage.FUNCTIONING,
    Stage.FUNCTIONING: Stage.FUNCTIONING,
    Stage.INACTIVE: Stage.REACTIVATED,
    Stage.REACTIVATED: Stage.FUNCTIONING,
}


class StageEventDialog(ServiceDialog):
    """Appends a hito to the instancia's history, linked to the visit."""

    def __init__(
        self,
        ops: Operations,
        services: VisitService,
        visit_id: uuid.UUID,
        *,
        current: Stage,
        types: tuple[NormType, ...],
        today: dt.date,
        norms: Sequence[NormView] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, _("Actualizar el estado de la instancia"), parent, name="stageEvent")
        self._services = services
        self._visit_id = visit_id
        self.stage = enum_combo(Stage, _NEXT[current])
        self.event_date = DateField(today)
        self.evidence = QLineEdit(maxLength=200)
        self.evidence.setPlaceholderText(
            _("p. ej. Acta de instalación; sin norma de creación, diga por qué falta")
        )
        self.with_norm = QCheckBox(_("Sustentado en una norma (ordenanza, decreto…)"))
        # A norm already in «Normas» is picked, not typed twice.
        self._norms = tuple(n for n in norms if n.norm_type in types)
        self.recorded = QComboBox()
        self.recorded.addItem(_("— escribirla aquí —"), None)
        for norm in self._norms:
            self.recorded.addItem(f"{norm.title} ({norm.issued_on:%d/%m/%Y})", str(norm.id))
        self.recorded.setEnabled(bool(self._norms))
        self.norm_type = enum_combo(types, types[0])  # the level's ordinance
        self.norm_number = QLineEdit(maxLength=100)
        self.norm_number.setPlaceholderText(_("p. ej. 003-2025-MDPO"))
        self.norm_date = DateField(today)
        self.norm_body = QLineEdit(maxLength=200)
        for name, label, widget, description in (
            ("stage", _("&Nuevo estado"), self.stage, _("Estado al que pasa la instancia.")),
            (
                "event_date",
                _("&Fecha del hito"),
                self.event_date,
                _("Día en que la instancia pasó a ese estado (su creación, su instalación…)."),
            ),
            (
                "evidence",
                _("&Medio de verificación"),
                self.evidence,
                _("Documento que prueba el cambio de estado."),
            ),
            (
                "with_norm",
                _("N&orma"),
                self.with_norm,
                _("Márquelo si el cambio se sustenta en una norma; habilita sus datos debajo."),
            ),
            (
                "recorded_norm",
                _("Norma &registrada"),
                self.recorded,
                _("Una norma ya registrada en «Normas» de la instancia: llena sus datos debajo."),
            ),
            (
                "norm_norm_type",
                _("&Tipo de norma"),
                self.norm_type,
                _("Clase de la norma: las que emite el gobierno de este nivel."),
            ),
            ("norm_number", _("N° de &norma"), self.norm_number, _("Número de la norma.")),
            (
                "norm_issued_on",
                _("Fecha de la n&orma"),
                self.norm_date,
                _("Día en que se emitió la norma."),
            ),
            (
                "norm_issuing_body",
                _("&Emitida por"),
                self.norm_body,
                _("Gobierno u órgano que emitió la norma, por ejemplo el concejo municipal."),
            ),
        ):
            self.add_field(name, label, widget, description)
        self.with_norm.toggled.connect(self._toggle_norm)
        self.recorded.currentIndexChanged.connect(self._fill_from_recorded)
        self.with_norm.setChecked(_NEXT[current] is Stage.CREATED)
        self._toggle_norm(self.with_norm.isChecked())
        self.resize(520, self.sizeHint().height())

    def _toggle_norm(self, on: bool) -> None:
        typed = on and self.recorded.currentData() is None  # a recorded one is shown, not edited
        for widget in (self.norm_type, self.norm_number, self.norm_date, self.norm_body):
            widget.setEnabled(typed)
        self.recorded.setEnabled(on and bool(self._norms))

    def _fill_from_recorded(self, _index: int) -> None:
        chosen = self.recorded.currentData()
        self._toggle_norm(self.with_norm.isChecked())
        norm = next((n for n in self._norms if str(n.id) == chosen), None)
        if norm is None:
            return
        self.norm_type.setCurrentIndex(self.norm_type.findData(norm.norm_type.value))
        self.norm_number.setText(norm.number)
        self.norm_date.set_day(norm.issued_on)
        self.norm_body.setText(norm.issuing_body)

    def gather(self) -> Callable[[], Any]:
        """The hito as typed, with a norm typed here or one already in «Normas»."""
        norm, norm_id, recorded = None, None, self.recorded.currentData()
        if self.with_norm.isChecked() and recorded is not None:
            norm_id = uuid.UUID(recorded)
        elif self.with_norm.isChecked():
            norm = NormInput(
                norm_type=NormType(self.norm_type.currentData()),
                number=self.norm_number.text(),
                issued_on=self.norm_date.day("norm_issued_on"),
                issuing_body=self.norm_body.text(),
            )
        data = StageEventInput(
            stage=Stage(self.stage.currentData()),
            event_date=self.event_date.day("event_date"),
            evidence=self.evidence.text(),
            norm=norm,
            norm_id=norm_id,
        )
        services, visit_id = self._services, self._visit_id
        return lambda: services.record_stage_event(visit_id, data)
