"""Record or correct a session of the instancia, marking who attended from its members."""

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QListWidget, QListWidgetItem, QWidget

from instancias_desktop.domain.enums import SessionType
from instancias_desktop.domain.instancia_records import (
    MemberView,
    SessionInput,
    SessionView,
    member_name,
)
from instancias_desktop.i18n import _
from instancias_desktop.services.api import RecordEditor
from instancias_desktop.ui.dialogs.participant_dialog import enum_combo
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.date_field import DateField
from instancias_desktop.ui.widgets.text_box import text_box
from instancias_desktop.ui.widgets.typed_input import FieldInputError


class SessionDialog(ServiceDialog):
    """Date, type, quorum, agenda, agreements, its acta and the members present.

    The members offered are those who held their seat on the session's date (and any already
    marked, so a correction never drops one silently).
    """

    def __init__(
        self,
        ops: Operations,
        services: RecordEditor,
        instancia_id: uuid.UUID,
        members: Sequence[MemberView],
        *,
        today: dt.date,
        editing: SessionView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ops, _("Corregir sesión") if editing else _("Nueva sesión"), parent, name="session"
        )
        self._services, self._instancia_id, self._editing = services, instancia_id, editing
        self.held_on = DateField(editing.held_on if editing else today)
        self.session_type = enum_combo(
            SessionType, editing.session_type if editing else SessionType.ORDINARY
        )
        self.quorum = QCheckBox(_("Hubo quórum"))
        self.quorum.setChecked(editing.quorum if editing else False)
        self.agenda = text_box(editing.agenda if editing else "")
        self.agreements = text_box(editing.agreements if editing else "")
        self.acta_reference = QLineEdit(editing.acta_reference if editing else "", maxLength=200)
        self.acta_reference.setPlaceholderText(
            _("p. ej. Acta N° 002-2026-IDC, libro de actas f. 12")
        )
        self.attendees = QListWidget()
        self.attendees.setObjectName("sessionAttendees")
        self._members = tuple(members)
        self._marked = editing.attendee_ids if editing else frozenset()
        self._offer(self._marked)
        self.held_on.edited.connect(lambda: self._offer(self.attendee_ids()))
        for name, label, widget, description in (
            ("held_on", _("&Fecha"), self.held_on, _("Día de la sesión.")),
            ("session_type", _("&Tipo"), self.session_type, _("Ordinaria o extraordinaria.")),
            ("quorum", _("&Quórum"), self.quorum, _("Márquelo si la sesión tuvo quórum.")),
            ("attendees", _("&Asistentes"), self.attendees,
             _("Integrantes presentes: Espacio marca o desmarca al seleccionado.")),
            ("agenda", _("A&genda"), self.agenda, _("Los puntos tratados.")),
            ("agreements", _("Ac&uerdos"), self.agreements, _("Lo que la instancia acordó.")),
            ("acta_reference", _("Acta de la &sesión"), self.acta_reference,
             _("Número o ubicación del acta de la sesión.")),
        ):  # fmt: skip
            self.add_field(name, label, widget, description)
        self.resize(620, self.sizeHint().height())
        self.held_on.setFocus()

    def _offer(self, checked: frozenset[uuid.UUID]) -> None:
        """List who held a seat on the typed date, and whoever is marked (never dropped)."""
        try:
            day = self.held_on.read()
        except FieldInputError:
            return  # a date half typed: the list stays as it is until it reads as one
        self.attendees.clear()
        for member in self._members:
            held = day is not None and member.current(day)
            if not held and member.id not in checked | self._marked:
                continue
            item = QListWidgetItem(member_name(member))
            item.setData(Qt.ItemDataRole.UserRole, member.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            marked = member.id in checked
            item.setCheckState(Qt.CheckState.Checked if marked else Qt.CheckState.Unchecked)
            self.attendees.addItem(item)

    def attendee_ids(self) -> frozenset[uuid.UUID]:
        """The members marked present."""
        return frozenset(
            self.attendees.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.attendees.count())
            if self.attendees.item(row).checkState() == Qt.CheckState.Checked
        )

    def gather(self) -> Callable[[], Any]:
        """The session as typed."""
        data = SessionInput(
            held_on=self.held_on.day("held_on"),
            session_type=SessionType(self.session_type.currentData()),
            quorum=self.quorum.isChecked(),
            agenda=self.agenda.toPlainText(),
            agreements=self.agreements.toPlainText(),
            acta_reference=self.acta_reference.text(),
            attendee_ids=self.attendee_ids(),
        )
        services, instancia_id = self._services, self._instancia_id
        editing = self._editing.id if self._editing else None
        return lambda: services.save_session(instancia_id, data, editing)
