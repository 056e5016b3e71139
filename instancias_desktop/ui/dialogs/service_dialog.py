"""A dialog that saves through a service: errors appear next to their fields, success closes it."""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.i18n import _
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.typed_input import FieldInputError
from instancias_desktop.ui.widgets.visit_fields import error_label


def object_name(prefix: str, field: str) -> str:
    """The objectName of a field's input: «agreementResponsibleEntity», «planNote»."""
    return prefix + "".join(part.capitalize() for part in field.split("_"))


class ServiceDialog(QDialog):
    """Gathers input, runs the save off the GUI thread, shows what to fix or closes.

    ``name`` names the dialog («agreementDialog») and each field's input after it (see
    ``object_name``), unless the input has a name of its own. Each field is described (what goes
    in it) for a screen reader.
    """

    saved = Signal(object)

    def __init__(
        self, ops: Operations, title: str, parent: QWidget | None = None, *, name: str
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Dialog")
        self._name = name
        self._ops = ops
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.form = QFormLayout()
        self.errors: dict[str, QLabel] = {}
        self.widgets: dict[str, QWidget] = {}
        self.general_error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("dialogButtons")
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(_("&Guardar"))
        save.setToolTip(_("Guardar lo escrito y cerrar (Intro en un campo de una sola línea)"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("&Cancelar"))
        cancel.setToolTip(_("Cerrar sin guardar nada (Esc)"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.general_error)
        self.layout_.addWidget(self.buttons)
        self.busy = False

    def add_field(self, name: str, label: str, widget: QWidget, description: str) -> QWidget:
        """A labelled row with an error line under the widget; ``description`` is read aloud."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        self.errors[name] = error_label()
        self.widgets[name] = widget
        widget.setObjectName(widget.objectName() or object_name(self._name, name))
        column.addWidget(self.errors[name])
        caption = QLabel(label)
        caption.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", ""))
        if isinstance(widget, QPlainTextEdit) and widget.tabChangesFocus():
            description += " " + _("Tab avanza al siguiente campo o botón.")
        widget.setAccessibleDescription(description)
        self.form.addRow(caption, holder)
        return widget

    def gather(self) -> Callable[[], Any]:
        """Read the widgets into a call of the service (raise FieldInputError for bad input)."""
        raise NotImplementedError

    def submit(self) -> None:
        """Save: on success the dialog closes; on error the fields say what to fix."""
        if self.busy:
            return
        self.show_errors({})
        try:
            work = self.gather()
        except FieldInputError as error:
            self.show_errors({error.field: error.message})
            return
        self.busy = True
        self._ops.run(work, self._done, self._failed, owner=self)

    def _done(self, result: object) -> None:
        self.busy = False
        self.saved.emit(result)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.busy = False
        if isinstance(error, ValidationError):
            messages: dict[str, str] = {}
            for e in error.errors:
                messages[e.field] = "\n".join(filter(None, (messages.get(e.field), e.message)))
            self.show_errors(messages)
        else:
            self.show_errors({"": str(error)})

    def show_errors(self, messages: dict[str, str]) -> None:
        """Each message under its field; messages for unknown fields at the bottom."""
        for name, label in self.errors.items():
            label.setText(messages.get(name, ""))
            label.setVisible(name in messages)
        rest = [m for f, m in messages.items() if f not in self.errors]
        self.general_error.setText("\n".join(rest))
        self.general_error.setVisible(bool(rest))
        first = next((self.widgets[n] for n in self.widgets if n in messages), None)
        if first is not None:
            first.setFocus()
