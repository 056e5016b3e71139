"""What she does with the profile itself, beside its name in the status bar."""

from typing import Protocol

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from instancias_desktop.i18n import _
from instancias_desktop.ui.dialogs.passphrase_dialog import PassphraseDialog
from instancias_desktop.ui.ops import Operations


class ProfileService(Protocol):
    """What these actions ask of the opened profile."""

    def change_passphrase(self, current: str, new: str, repeated: str) -> None:
        """Set a new passphrase (ValidationError: what to fix)."""


class ProfileActions(QWidget):
    """«Cambiar contraseña…», enabled once the profile is open."""

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._services: ProfileService | None = None
        self.dialog: PassphraseDialog | None = None
        self.passphrase_button = QPushButton(_("Cambiar contraseña…"))
        self.passphrase_button.setObjectName("openPassphraseDialog")
        self.passphrase_button.setToolTip(
            _("Cambiar la contraseña que abre este perfil (los datos no se vuelven a cifrar)")
        )
        self.passphrase_button.setEnabled(False)
        self.passphrase_button.clicked.connect(lambda _checked: self.change_passphrase())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.passphrase_button)

    def attach(self, services: ProfileService) -> None:
        """The profile is open: its actions can run."""
        self._services = services
        self.passphrase_button.setEnabled(True)

    def change_passphrase(self) -> None:
        """Open the dialog that sets a new passphrase."""
        services = self._services
        if services is None:
            return
        dialog = PassphraseDialog(self._ops, services.change_passphrase, self.window())
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
