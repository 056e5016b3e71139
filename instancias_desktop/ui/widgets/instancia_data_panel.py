"""«Datos de la instancia»: who chairs it and its technical secretariat, edited in place.

The values shown are the stored ones; what the specialist types stays until she saves or
discards it, even when the page reloads underneath (a sync, another screen's change).
"""

import uuid
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.instancia_data import INSTANCIA_DATA_FIELDS, data_label
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_views import InstanciaDetail
from instancias_desktop.i18n import _
from instancias_desktop.services.api import RegistryEditor
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.visit_fields import error_label

# objectName of each field's input (tests and accessibility tools find them by it).
OBJECT_NAMES = {
    "chair_name": "instanciaChairName",
    "chair_post": "instanciaChairPost",
    "secretariat_unit": "instanciaSecretariatUnit",
    "secretariat_person": "instanciaSecretariatPerson",
}
# What goes in each field, for a screen reader (the keys that save or discard are added).
DESCRIPTIONS = {
    "chair_name": _("Nombre de quien preside la instancia."),
    "chair_post": _("Cargo de quien preside la instancia, por ejemplo alcalde o alcaldesa."),
    "secretariat_unit": _("Unidad del gobierno que ejerce la secretaría técnica de la instancia."),
    "secretariat_person": _("Persona a cargo de la secretaría técnica de la instancia."),
}
# The letter of each label that Alt reaches (the page already uses V, P and N).
_MNEMONICS = {
    "chair_name": "m",
    "chair_post": "c",
    "secretariat_unit": "u",
    "secretariat_person": "e",
}


def _with_mnemonic(label: str, letter: str) -> str:
    """The label with ``&`` before the first ``letter`` inside its parentheses."""
    start = label.find("(") + 1
    at = label.find(letter, start)
    return label if at < 0 else f"{label[:at]}&{label[at:]}"


class InstanciaDataPanel(QGroupBox):
    """The four shared fields of an instancia with «Guardar datos» and «Descartar»."""

    saved = Signal(object)  # InstanciaDetail, as stored after the change

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(_("Datos de la instancia"), parent)
        self.setObjectName("instanciaData")
        self._ops = ops
        self._services: RegistryEditor | None = None
        self._instancia_id: uuid.UUID | None = None
        self._stored: dict[str, str] = dict.fromkeys(INSTANCIA_DATA_FIELDS, "")
        self.busy = False
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in INSTANCIA_DATA_FIELDS:
            form.addRow(*self._field_row(name))
        self.general_error = error_label()
        self.state = QLabel()
        self.state.setObjectName("saveState")
        self.save_button = QPushButton(_("&Guardar datos"))
        self.save_button.setObjectName("saveInstanciaData")
        self.save_button.setToolTip(_("Guardar los cambios (Enter en un campo)"))
        self.discard_button = QPushButton(_("&Descartar"))
        self.discard_button.setObjectName("discardInstanciaData")
        self.discard_button.setToolTip(_("Volver a los datos guardados (Esc en un campo)"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.general_error)
        column.addLayout(buttons)
        self.save_button.clicked.connect(lambda _checked: self.save())
        self.discard_button.clicked.connect(lambda _checked: self.discard())
        self._update_buttons()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Esc in a field (which passes it on) puts back the stored values."""
        if event.key() == Qt.Key.Key_Escape and self.changes():
            self.discard()
            event.accept()
            return
        super().keyPressEvent(event)

    def _field_row(self, name: str) -> tuple[QLabel, QWidget]:
        label = data_label(name)
        edit = QLineEdit()
        edit.setObjectName(OBJECT_NAMES[name])
        edit.setAccessibleName(label)
        edit.setAccessibleDescription(
            DESCRIPTIONS[name]
            + " "
            + _("Intro guarda los cambios de estos datos; Esc los descarta.")
        )
        edit.setPlaceholderText(_("Sin registrar"))
        edit.setMinimumWidth(edit.fontMetrics().averageCharWidth() * 36)  # a unit's usual name
        edit.textChanged.connect(lambda _text: self._edited())
        edit.returnPressed.connect(self.save)
        self.fields[name] = edit
        self.errors[name] = error_label()
        holder = QWidget()
        cell = QVBoxLayout(holder)
        cell.setContentsMargins(0, 0, 0, 0)
        cell.setSpacing(2)
        cell.addWidget(edit)
        cell.addWidget(self.errors[name])
        caption = QLabel(_with_mnemonic(label, _MNEMONICS[name]) + ":")
        caption.setBuddy(edit)
        return caption, holder

    def attach(self, services: RegistryEditor) -> None:
        """Save through an opened profile."""
        self._services = services

    def changes(self) -> dict[str, str]:
        """The fields whose text differs from what is stored, as typed."""
        return {
            name: edit.text()
            for name, edit in self.fields.items()
            if edit.text() != self._stored[name]
        }

    def show_detail(self, detail: InstanciaDetail, sent: Mapping[str, str] | None = None) -> None:
        """Show the stored values; a field being edited keeps its text.

        ``sent``: what was just saved; those fields, still as sent, show the stored value.
        """
        other = detail.summary.id != self._instancia_id
        self._instancia_id = detail.summary.id
        sent = sent or {}
        for name, edit in self.fields.items():
            value = str(getattr(detail, name))
            typed = edit.text()
            if other or typed == self._stored[name] or sent.get(name) == typed:
                edit.setText(value)
                edit.setCursorPosition(0)
            self._stored[name] = value
        if other:
            self._show_errors({})
            self.state.clear()
        self._update_buttons()

    def save(self) -> None:
        """Send the changed fields to the service off the GUI thread."""
        services, instancia_id, changes = self._services, self._instancia_id, self.changes()
        if self.busy or services is None or instancia_id is None or not changes:
            return
        self.busy = True
        self.state.setText(_("Guardando…"))
        self._update_buttons()
        self._ops.run(
            lambda: services.update_instancia(instancia_id, changes),
            lambda detail: self._done(detail, changes),
            self._failed,
            owner=self,
        )

    def discard(self) -> None:
        """Put the stored values back in every field."""
        for name, edit in self.fields.items():
            edit.setText(self._stored[name])
        self._show_errors({})
        self.state.clear()
        self._update_buttons()

    def _done(self, detail: InstanciaDetail, sent: Mapping[str, str]) -> None:
        self.busy = False
        self._show_errors({})
        self.show_detail(detail, sent)
        self.state.setText(_("Datos guardados."))
        self.saved.emit(detail)

    def _failed(self, error: Exception) -> None:
        self.busy = False
        self.state.clear()
        if isinstance(error, ValidationError):
            self._show_errors({e.field: e.message for e in error.errors})
        else:
            self._show_errors({"": str(error)})
        self._update_buttons()

    def _show_errors(self, messages: dict[str, str]) -> None:
        for name, label in self.errors.items():
            label.setText(messages.get(name, ""))
            label.setVisible(name in messages)
            self.fields[name].setProperty("invalid", "true" if name in messages else "false")
            self.fields[name].style().polish(self.fields[name])
        rest = [m for f, m in messages.items() if f not in self.errors]
        self.general_error.setText("\n".join(rest))
        self.general_error.setVisible(bool(rest))
        first = next((self.fields[n] for n in self.fields if n in messages), None)
        if first is not None:
            first.setFocus()

    def _edited(self) -> None:
        if self.changes():
            self.state.clear()  # «Datos guardados.» no longer describes what is on screen
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = bool(self.changes())
        self.save_button.setEnabled(dirty and not self.busy)
        self.discard_button.setEnabled(dirty and not self.busy)
