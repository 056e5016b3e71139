"""Opening the profile: her passphrase, or a new one on the first start.

The key is derived off the GUI thread (a deliberate fraction of a second, longer after each
wrong try); the window behind stays painted and nothing of the profile is shown until then.
"""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.i18n import _
from instancias_desktop.ui.dialogs.passphrase_dialog import passphrase_field
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.prompts import question

# (passphrase, repeated, remember) -> the profile's key; a Spanish error when refused.
Submit = Callable[[str, str, bool], bytes]


@dataclass(frozen=True)
class StartOver:
    """A forgotten passphrase: what starting over would lose, and starting over."""

    explain: Callable[[], str]  # Spanish: what is lost, what is kept, where
    run: Callable[[], str]  # sets the locked data aside (worker); where it went


class UnlockDialog(QDialog):
    """Asks for the passphrase (twice when it is new) and hands over the key it opens."""

    unlocked = Signal(bytes)

    def __init__(
        self,
        ops: Operations,
        submit: Submit,
        *,
        new: bool,
        can_remember: bool,
        start_over: StartOver | None = None,
        upgrading: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("unlockDialog")
        self._ops = ops
        self._submit = submit
        self.new = new
        self.upgrading = upgrading  # an earlier version's plain profile: encrypted on opening
        self.setWindowTitle(
            _("Proteger el perfil con una contraseña") if new else _("Abrir el perfil")
        )
        self.passphrase = passphrase_field("passphrase", _("Contraseña del perfil"))
        self.repeated = passphrase_field("passphraseRepeat", _("Repetir la contraseña"))
        self.remember = QCheckBox(_("Recordar en &este equipo"))
        self.remember.setObjectName("rememberKey")
        self.remember.setEnabled(can_remember)
        self.remember.setToolTip(
            _(
                "Guardar la clave en el almacén de credenciales del sistema: este equipo abrirá "
                "el perfil sin preguntar. Úselo solo si la laptop tiene su propia sesión con "
                "contraseña."
            )
            if can_remember
            else _("Este sistema no ofrece un almacén de credenciales: se pedirá la contraseña.")
        )
        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("unlockMessage")
        buttons = QDialogButtonBox()
        self.open_button = QPushButton(_("&Crear contraseña y abrir") if new else _("&Abrir"))
        self.open_button.setObjectName("unlockOpen")
        self.open_button.setDefault(True)
        quit_button = QPushButton(_("&Salir"))
        quit_button.setObjectName("unlockQuit")
        quit_button.setAutoDefault(False)  # Enter never quits, whatever has the focus
        self._start_over = start_over
        self.prompt: QMessageBox | None = None  # the question on screen, for tests
        self.forgot_button = QPushButton(_("Olvidé la &contraseña…"))
        self.forgot_button.setObjectName("forgotPassphrase")
        self.forgot_button.setAutoDefault(False)
        self.forgot_button.setToolTip(
            _("Empezar un perfil nuevo en este equipo; los datos actuales se guardan aparte")
        )
        self.forgot_button.setVisible(not new and start_over is not None)
        self.forgot_button.clicked.connect(lambda _checked: self.ask_start_over())
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.forgot_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.form = form = QFormLayout()
        form.addRow(_("&Contraseña:"), self.passphrase)
        if new:
            form.addRow(_("&Repítala:"), self.repeated)
        else:
            self.repeated.hide()
        layout = QVBoxLayout(self)
        explanation = QLabel(self._explanation(), wordWrap=True)
        explanation.setObjectName("unlockExplanation")
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.try_open)
        buttons.rejected.connect(self.reject)
        self.setMinimumWidth(460)

    def _explanation(self) -> str:
        if not self.new:
            return _(
                "Los datos de este equipo están cifrados. Escriba la contraseña del perfil para "
                "abrirlo."
            )
        protect = _(
            "Los datos de este equipo (nombres, DNI, firmas) se guardarán cifrados: sin la "
            "contraseña nadie puede leerlos, aunque se pierda o roben la laptop. Elija una "
            "contraseña de al menos 10 caracteres; una frase corta es fácil de recordar. Si la "
            "olvida, lo guardado solo en este equipo no se podrá recuperar (lo ya sincronizado "
            "se recupera del servidor)."
        )
        if not self.upgrading:
            return protect
        return (
            protect
            + " "
            + _(
                "Este perfil se creó con una versión anterior, sin cifrar: al abrirlo se cifra una "
                "sola vez y los archivos sin cifrar se sobrescriben y se borran. En discos de "
                "estado sólido (SSD) y memorias USB, el propio disco puede conservar copias de "
                "bloques antiguos fuera del alcance de cualquier programa."
            )
        )

    def try_open(self) -> None:
        """Derive the key off the GUI thread; the form waits meanwhile."""
        passphrase, repeated = self.passphrase.text(), self.repeated.text()
        if not self.new:
            repeated = passphrase
        remember = self.remember.isChecked()
        self._busy(True)
        self.message.setText(_("Comprobando la contraseña…"))
        self._ops.run(
            lambda: self._submit(passphrase, repeated, remember), self._opened, self._refused
        )

    def _opened(self, key: bytes) -> None:
        self.message.setText(_("Abriendo el perfil…"))
        self.unlocked.emit(key)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self._busy(False)
        self.message.setText(str(error))
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _busy(self, busy: bool) -> None:
        for widget in (self.passphrase, self.repeated, self.open_button):
            widget.setEnabled(not busy)
        if not busy:
            self.open_button.setDefault(True)  # disabling it took that away: Enter opens

    # ------------------------------------------------------------------ forgotten
    def ask_start_over(self) -> None:
        """Say what starting over loses and keeps; «Volver» is the default answer."""
        start_over = self._start_over
        if start_over is None:
            return
        box = question(
            self,
            name="startOverPrompt",
            title=_("Olvidé la contraseña"),
            text=start_over.explain(),
            yes=_("&Empezar un perfil nuevo"),
            no=_("&Volver"),
            icon=QMessageBox.Icon.Warning,
        )
        box.finished.connect(
            lambda code: (
                self._run_start_over(start_over) if code == QMessageBox.StandardButton.Yes else None
            )
        )
        self.prompt = box
        box.open()

    def _run_start_over(self, start_over: StartOver) -> None:
        self._busy(True)
        self._ops.run(start_over.run, self._started_over, self._refused)

    def _started_over(self, folder: str) -> None:
        self.new = True
        self.setWindowTitle(_("Proteger el perfil con una contraseña"))
        self.open_button.setText(_("&Crear contraseña y abrir"))
        self.forgot_button.hide()
        self.form.insertRow(1, _("&Repítala:"), self.repeated)
        self.repeated.show()
        self._busy(False)
        self.passphrase.clear()
        self.passphrase.setFocus()
        self.message.setText(
            _(
                "Los datos anteriores quedaron guardados, cifrados, en {folder}. Elija una "
                "contraseña para el perfil nuevo y sincronice para recibir lo del servidor."
            ).format(folder=folder)
        )
