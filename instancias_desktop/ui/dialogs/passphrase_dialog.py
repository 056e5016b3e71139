"""Changing the profile's passphrase: the current one, then the new one twice."""

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.i18n import _
from instancias_desktop.ui.ops import Operations

Change = Callable[[str, str, str], None]  # (current, new, repeated); ValidationError: refused


def passphrase_field(name: str, accessible: str) -> QLineEdit:
    """A hidden-text field for a passphrase, named for tests and screen readers."""
    field = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
    field.setObjectName(name)
    field.setAccessibleName(accessible)
    field.setToolTip(
        _("Al menos 10 caracteres; distingue mayúsculas y minúsculas. Intro para continuar.")
    )
    return field


class PassphraseDialog(QDialog):
    """Asks for the current passphrase and a new one; the change runs off the GUI thread."""

    def __init__(self, ops: Operations, change: Change, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(_("Cambiar la contraseña del perfil"))
        self._ops = ops
        self._change = change
        self.current = passphrase_field("currentPassphrase", _("Contraseña actual"))
        self.new = passphrase_field("newPassphrase", _("Contraseña nueva"))
        self.repeated = passphrase_field("newPassphraseRepeat", _("Repetir la contraseña nueva"))
        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("passphraseMessage")
        self.change_button = QPushButton(_("&Cambiar"))
        self.change_button.setObjectName("changePassphrase")
        self.change_button.setDefault(True)
        cancel = QPushButton(_("Cance&lar"))
        cancel.setAutoDefault(False)
        buttons = QDialogButtonBox()
        buttons.addButton(self.change_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        form = QFormLayout()
        form.addRow(_("Contraseña &actual:"), self.current)
        form.addRow(_("Contraseña &nueva:"), self.new)
        form.addRow(_("&Repítala:"), self.repeated)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _(
                    "Los datos no se vuelven a cifrar: cambia solo la contraseña que los abre. "
                    "Use al menos 10 caracteres."
                ),
                wordWrap=True,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.setMinimumWidth(440)

    def submit(self) -> None:
        """Check the current passphrase and keep the new one (off the GUI thread)."""
        current, new, repeated = self.current.text(), self.new.text(), self.repeated.text()
        self._busy(True)
        self.message.setText(_("Comprobando…"))
        self._ops.run(lambda: self._change(current, new, repeated), self._done, self._refused)

    def _done(self, _result: object) -> None:
        self.message.setText(_("Contraseña cambiada."))
        self.accept()

    def _refused(self, error: Exception) -> None:
        self._busy(False)
        self.message.setText(str(error))

    def _busy(self, busy: bool) -> None:
        for widget in (self.current, self.new, self.repeated, self.change_button):
            widget.setEnabled(not busy)
        if not busy:
            self.change_button.setDefault(True)
