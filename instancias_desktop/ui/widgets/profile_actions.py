"""What she does with the profile itself, beside its name in the status bar."""

from typing import Protocol

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from instancias_desktop import __version__
from instancias_desktop.domain.readmodels import AboutInfo
from instancias_desktop.i18n import _
from instancias_desktop.ui.dialogs.about_dialog import AboutDialog
from instancias_desktop.ui.dialogs.passphrase_dialog import PassphraseDialog
from instancias_desktop.ui.ops import Operations


class ProfileService(Protocol):
    """What these actions ask of the opened profile."""

    def change_passphrase(self, current: str, new: str, repeated: str) -> None:
        """Set a new passphrase (ValidationError: what to fix)."""

    def about(self) -> AboutInfo:
        """The app's version, catalogues and fichas."""


class ProfileActions(QWidget):
    """«Cambiar contraseña…», enabled once the profile is open, and «Acerca de» (F1)."""

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._services: ProfileService | None = None
        self.dialog: PassphraseDialog | None = None
        self.about_dialog: AboutDialog | None = None
        self.about_button = QPushButton(_("Acerca de"))
        self.about_button.setObjectName("openAboutDialog")
        self.about_button.setToolTip(_("Versión de la aplicación, de sus catálogos y fichas (F1)"))
        self.about_button.clicked.connect(lambda _checked: self.show_about())
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
        row.addWidget(self.about_button)

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

    def show_about(self) -> None:
        """The versions: the app's at once; the catalogues' and fichas' once read (worker)."""
        services = self._services
        if services is None:
            self._show_about(None)
            return
        self._ops.run(services.about, self._show_about, owner=self)

    def _show_about(self, about: AboutInfo | None) -> None:
        dialog = AboutDialog(__version__, about, self.window())
        dialog.finished.connect(dialog.deleteLater)
        self.about_dialog = dialog
        dialog.open()
