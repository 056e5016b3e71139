"""Record or correct a norm of the instancia: its type, number, date, issuer and purpose."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from instancias_desktop.domain.enums import NormRole, NormType
from instancias_desktop.domain.instancia_records import (
    NormRecordInput,
    NormView,
)
from instancias_desktop.i18n import _
from instancias_desktop.services.api import RecordEditor
from instancias_desktop.ui.dialogs.participant_dialog import enum_combo
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.date_field import DateField


class NormDialog(ServiceDialog):
    """The types offered are those the instancia's government issues (``norm_types``)."""

    def __init__(
        self,
        ops: Operations,
        services: RecordEditor,
        instancia_id: uuid.UUID,
        types: tuple[NormType, ...],
        *,
        today: dt.date,
        editing: NormView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ops, _("Corregir norma") if editing else _("Nueva norma"), parent, name="norm"
        )
        self._services, self._instancia_id, self._editing = services, instancia_id, editing
        self.role = enum_combo(NormRole, editing.role if editing else NormRole.CREATES)
        self.norm_type = enum_combo(types, editing.norm_type if editing else types[0])
        self.number = QLineEdit(editing.number if editing else "", maxLength=100)
        self.number.setPlaceholderText(_("p. ej. 003-2025-MDPO"))
        self.issued_on = DateField(editing.issued_on if editing else today)
        self.issuing_body = QLineEdit(editing.issuing_body if editing else "", maxLength=200)
        self.issuing_body.setPlaceholderText(_("p. ej. Concejo Municipal"))
        for name, label, widget, description in (
            ("role", _("&Objeto"), self.role,
             _("Qué hace la norma: crea la instancia, la modifica, la deroga o aprueba su "
               "reglamento.")),
            ("norm_type", _("&Tipo de norma"), self.norm_type,
             _("Las normas que emite el gobierno de este nivel.")),
            ("number", _("&Número"), self.number, _("Número de la norma, tal como se publicó.")),
            ("issued_on", _("&Fecha"), self.issued_on, _("Día en que se emitió la norma.")),
            ("issuing_body", _("&Emitida por"), self.issuing_body,
             _("Órgano que la emitió: consejo regional, concejo municipal, alcaldía…")),
        ):  # fmt: skip
            self.add_field(name, label, widget, description)
        self.resize(520, self.sizeHint().height())
        self.role.setFocus()

    def gather(self) -> Callable[[], Any]:
        """The norm as typed."""
        data = NormRecordInput(
            role=NormRole(self.role.currentData()),
            norm_type=NormType(self.norm_type.currentData()),
            number=self.number.text(),
            issued_on=self.issued_on.day("issued_on"),
            issuing_body=self.issuing_body.text(),
        )
        services, instancia_id = self._services, self._instancia_id
        editing = self._editing.id if self._editing else None
        return lambda: services.save_norm(instancia_id, data, editing)
