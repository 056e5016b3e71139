"""Add a member's representative, correct one, or record a change of representative."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from instancias_desktop.domain.enums import DocumentType, SeatKind
from instancias_desktop.domain.instancia_records import MemberInput, MemberView
from instancias_desktop.domain.membership import MemberEntityType
from instancias_desktop.i18n import _
from instancias_desktop.services.api import RecordEditor
from instancias_desktop.ui.dialogs.participant_dialog import enum_combo
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.date_field import DateField


class MemberDialog(ServiceDialog):
    """Entity, seat and representative: name, document, post, designation and dates.

    ``changing``: the tenure a new representative replaces; the entity and seat stay, and
    «Fecha del cambio» ends the former tenure and starts the new one.
    """

    def __init__(
        self,
        ops: Operations,
        services: RecordEditor,
        instancia_id: uuid.UUID,
        types: tuple[MemberEntityType, ...],
        *,
        today: dt.date,
        editing: MemberView | None = None,
        changing: MemberView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = _("Nuevo integrante")
        if editing is not None:
            title = _("Corregir integrante")
        elif changing is not None:
            title = _("Cambiar representante")
        super().__init__(ops, title, parent, name="member")
        self._services, self._instancia_id = services, instancia_id
        self._editing, self._changing = editing, changing
        self.entity_type = QComboBox()
        for entity_type in types:
            note = _(" (supuesto)") if entity_type.assumption else ""
            self.entity_type.addItem(
                f"{entity_type.label} — {entity_type.rule_label}{note}", entity_type.code
            )
        self.entity_name = QLineEdit(maxLength=200)
        self.seat = enum_combo(SeatKind, SeatKind.TITULAR)
        self.person_name = QLineEdit(maxLength=200)
        self.document_type = enum_combo(DocumentType, DocumentType.DNI)
        self.document_number = QLineEdit(maxLength=20)
        self.post = QLineEdit(maxLength=200)
        self.designation_document = QLineEdit(maxLength=200)
        self.designation_document.setPlaceholderText(_("p. ej. Oficio N° 045-2026-CEM"))
        self.designated_on = DateField(optional=True)
        self.since = DateField(today if changing else None, optional=changing is None)
        self._add_fields(changing is not None)
        self._fill(editing or changing, changing is not None)
        self.entity_type.currentIndexChanged.connect(self._suggest_name)
        if editing is None and changing is None:
            self._suggest_name()
        self.resize(600, self.sizeHint().height())
        (self.person_name if changing else self.entity_type).setFocus()

    def _add_fields(self, changing: bool) -> None:
        for name, label, widget, description in (
            ("entity_type_code", _("&Tipo de entidad"), self.entity_type,
             _("Qué entidad integra la instancia, con la regla de su composición.")),
            ("entity_name", _("&Entidad"), self.entity_name,
             _("Nombre de la entidad, p. ej. Comisaría PNP de Wanchaq.")),
            ("seat", _("Con&dición"), self.seat, _("Titular o alterno(a).")),
            ("person_name", _("&Representante"), self.person_name,
             _("Nombre completo de quien representa a la entidad.")),
            ("document_type", _("Tipo de documen&to"), self.document_type,
             _("Documento de identidad del representante.")),
            ("document_number", _("N° de doc&umento"), self.document_number,
             _("Número del documento; el DNI tiene 8 dígitos.")),
            ("post", _("Car&go"), self.post, _("Cargo del representante en su entidad.")),
            ("designation_document", _("Documento de de&signación"), self.designation_document,
             _("Oficio, resolución u otro documento con que la entidad lo designó.")),
            ("designated_on", _("Fecha de desi&gnación"), self.designated_on,
             _("Fecha de ese documento.")),
            ("since", _("Fecha del cam&bio") if changing else _("Desde"), self.since,
             _("Desde cuándo ocupa el asiento.")),
        ):  # fmt: skip
            self.add_field(name, label, widget, description)

    def _fill(self, shown: MemberView | None, changing: bool) -> None:
        if shown is None:
            return
        self.entity_type.setCurrentIndex(self.entity_type.findData(shown.entity_type_code))
        self.entity_name.setText(shown.entity_name)
        self.seat.setCurrentIndex(self.seat.findData(shown.seat.value))
        if changing:  # the seat stays; the person is new
            for widget in (self.entity_type, self.entity_name, self.seat):
                widget.setEnabled(False)
            return
        self.person_name.setText(shown.person_name)
        self.document_type.setCurrentIndex(self.document_type.findData(shown.document_type.value))
        self.document_number.setText(shown.document_number)
        self.post.setText(shown.post)
        self.designation_document.setText(shown.designation_document)
        self.designated_on.set_day(shown.designated_on)
        self.since.set_day(shown.since)

    def _suggest_name(self) -> None:
        """A new seat starts with its type's name, to complete («… de Wanchaq»)."""
        label = self.entity_type.currentText().split(" — ")[0]
        if not self.entity_name.isModified():
            self.entity_name.setText(label)

    def gather(self) -> Callable[[], Any]:
        """The representative as typed."""
        data = MemberInput(
            entity_type_code=str(self.entity_type.currentData() or ""),
            entity_name=self.entity_name.text(),
            seat=SeatKind(self.seat.currentData()),
            person_name=self.person_name.text(),
            document_type=DocumentType(self.document_type.currentData()),
            document_number=self.document_number.text(),
            post=self.post.text(),
            designation_document=self.designation_document.text(),
            designated_on=self.designated_on.read("designated_on"),
            since=self.since.read("since"),
            until=self._editing.until if self._editing else None,
        )
        services, instancia_id = self._services, self._instancia_id
        if self._changing is not None:
            replaced, on = self._changing.id, self.since.day("since")
            return lambda: services.change_representative(replaced, data, on)
        editing = self._editing.id if self._editing else None
        return lambda: services.save_member(instancia_id, data, editing)
