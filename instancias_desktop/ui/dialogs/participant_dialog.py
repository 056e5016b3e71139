"""Add or edit a participant; a person known from earlier visits is found by name or DNI."""

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from instancias_desktop.domain.enums import DocumentType, ParticipantRole, Sex
from instancias_desktop.domain.visit_inputs import ParticipantInput
from instancias_desktop.domain.visit_views import ParticipantView, PersonMatch
from instancias_desktop.i18n import _
from instancias_desktop.services.api import VisitService
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.ops import Operations

SEARCH_DELAY_MS = 250


def enum_combo(members: Any, current: Any = None) -> QComboBox:
    """A combo of enum members by their Spanish labels (data: the stored value)."""
    combo = QComboBox()
    for member in members:
        combo.addItem(member.label, member.value)
    if current is not None:
        combo.setCurrentIndex(combo.findData(current.value))
    return combo


class ParticipantDialog(ServiceDialog):
    """The attendance-list entry of one person."""

    def __init__(
        self,
        ops: Operations,
        services: VisitService,
        visit_id: uuid.UUID,
        editing: ParticipantView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = _("Editar participante") if editing else _("Agregar participante")
        super().__init__(ops, title, parent, name="participant")
        self._services = services
        self._visit_id = visit_id
        self._editing = editing
        self.search = QLineEdit(
            placeholderText=_("Escriba nombre o DNI de alguien de visitas anteriores"),
            clearButtonEnabled=True,
        )
        self.matches = QListWidget()
        self.matches.setObjectName("participantMatches")
        self.matches.setMaximumHeight(110)
        self.matches.setAccessibleName(_("Personas ya registradas"))
        self.matches.setAccessibleDescription(
            _(
                "Las personas de visitas anteriores que coinciden con lo buscado. Intro o doble "
                "clic copia los datos de la resaltada al formulario."
            )
        )
        self.add_field(
            "search",
            _("&Buscar persona"),
            self.search,
            _(
                "Escriba al menos dos letras del nombre o del DNI de alguien que asistió a una "
                "visita anterior; ↓ pasa a las coincidencias e Intro toma la resaltada."
            ),
        )
        self.form.addRow("", self.matches)
        self.document_type = enum_combo(DocumentType)
        self.document_number = QLineEdit(maxLength=20)
        self.full_name = QLineEdit(maxLength=200)
        self.sex = enum_combo(Sex, Sex.UNSTATED)
        self.phone = QLineEdit(maxLength=20)
        self.email = QLineEdit(maxLength=200)
        self.entity = QLineEdit(maxLength=200)
        self.post = QLineEdit(maxLength=200)
        self.role = enum_combo(ParticipantRole, ParticipantRole.MEMBER)
        self.consent = QCheckBox(
            _("Autoriza el tratamiento de sus datos personales (Ley N° 29733)")
        )
        for name, label, widget, description in (
            (
                "document_type",
                _("&Tipo de documento"),
                self.document_type,
                _("Documento de identidad: DNI, carné de extranjería, pasaporte u otro."),
            ),
            (
                "document_number",
                _("&N° de documento"),
                self.document_number,
                _("Número del documento de identidad de la persona."),
            ),
            (
                "full_name",
                _("Nombres y &apellidos"),
                self.full_name,
                _("Nombres y apellidos completos, como figurarán en la lista de asistencia."),
            ),
            ("sex", _("&Sexo"), self.sex, _("Sexo de la persona; puede quedar «No precisa».")),
            (
                "entity",
                _("&Entidad"),
                self.entity,
                _("Entidad u organización a la que representa en la reunión."),
            ),
            ("post", _("Cargo"), self.post, _("Cargo que ocupa en su entidad.")),
            (
                "role",
                _("&Rol en la instancia"),
                self.role,
                _(
                    "Su papel en la instancia: presidente(a), secretaría técnica, integrante, "
                    "invitado(a) o especialista del MIMP."
                ),
            ),
            ("phone", _("Te&léfono"), self.phone, _("Teléfono de contacto de la persona.")),
            ("email", _("C&orreo"), self.email, _("Correo electrónico de contacto de la persona.")),
            (
                "consent",
                _("&Consentimiento"),
                self.consent,
                _(
                    "Márquelo solo si la persona autorizó el tratamiento de sus datos personales; "
                    "sin él no se puede finalizar el acta."
                ),
            ),
        ):
            self.add_field(name, label, widget, description)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._find)
        self.search.textEdited.connect(lambda _t: self._timer.start())
        self.matches.itemActivated.connect(self._pick)
        self.resize(560, self.sizeHint().height())
        if editing is not None:
            self._fill(editing)
            self.entity.setText(editing.entity)
            self.post.setText(editing.post)
            self.role.setCurrentIndex(self.role.findData(editing.role.value))
            self.consent.setChecked(editing.consent)
            self.document_number.setFocus()
        else:
            self.search.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """In the search box, Enter takes the highlighted person and Down walks the matches."""
        if self.search.hasFocus() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._timer.stop()
            item = self.matches.currentItem()
            if item is not None:
                self._pick(item)
            return
        if self.search.hasFocus() and event.key() == Qt.Key.Key_Down:
            self.matches.setFocus()
            return
        super().keyPressEvent(event)

    def _find(self) -> None:
        text = self.search.text()
        if len(text.strip()) < 2:
            self.matches.clear()
            return
        self._ops.run(
            lambda: (text, self._services.find_persons(text)), self._show_matches, owner=self
        )

    def _show_matches(self, result: tuple[str, tuple[PersonMatch, ...]]) -> None:
        text, found = result
        if text != self.search.text():
            return  # the user kept typing: a newer search is coming
        self.matches.clear()
        for match in found:
            where = " — ".join(filter(None, (match.last_entity, match.last_post)))
            item = QListWidgetItem(
                f"{match.full_name} · {match.document_type.label} {match.document_number}"
                + (f" · {where}" if where else "")
            )
            item.setData(Qt.ItemDataRole.UserRole, match)
            self.matches.addItem(item)
        if not found:
            self.matches.addItem(_("Nadie coincide; complete los datos abajo."))
        elif self.matches.currentRow() < 0:
            self.matches.setCurrentRow(0)

    def _pick(self, item: QListWidgetItem) -> None:
        match = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(match, PersonMatch):
            return
        self._fill(match)
        self.entity.setText(match.last_entity)
        self.post.setText(match.last_post)
        if match.last_role is not None:
            self.role.setCurrentIndex(self.role.findData(match.last_role.value))
        self.consent.setFocus()

    def _fill(self, person: PersonMatch | ParticipantView) -> None:
        self.document_type.setCurrentIndex(self.document_type.findData(person.document_type.value))
        self.document_number.setText(person.document_number)
        self.full_name.setText(person.full_name)
        self.sex.setCurrentIndex(self.sex.findData(person.sex.value))
        self.phone.setText(person.phone)
        self.email.setText(person.email)

    def gather(self) -> Callable[[], Any]:
        """The participant as typed."""
        data = ParticipantInput(
            document_type=DocumentType(self.document_type.currentData()),
            document_number=self.document_number.text(),
            full_name=self.full_name.text(),
            entity=self.entity.text(),
            post=self.post.text(),
            role=ParticipantRole(self.role.currentData()),
            consent=self.consent.isChecked(),
            sex=Sex(self.sex.currentData()),
            phone=self.phone.text(),
            email=self.email.text(),
        )
        services, visit_id = self._services, self._visit_id
        editing = self._editing.id if self._editing else None
        return lambda: services.save_participant(visit_id, data, editing)
