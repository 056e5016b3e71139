"""The laptop was withdrawn by the administrator: export what never reached the server, erase.

Shown over a window whose contents are hidden, at start-up or when a sync learns of it; the
app ends when it closes. Exporting asks for the profile's passphrase (whoever holds an
unlocked laptop must not carry its data away) and for a passphrase for the file, told to
the supervisor apart. Erasing needs no passphrase: it reveals nothing.
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import platformdirs
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.sync_views import Withdrawal
from instancias_desktop.i18n import _, n_
from instancias_desktop.ui.dialogs.passphrase_dialog import passphrase_field
from instancias_desktop.ui.ops import Operations

Verify = Callable[[str], None]  # the profile's passphrase; ValidationError when wrong
Export = Callable[[Path, str, str], Path]  # (target, passphrase, repeated) -> written file
Erase = Callable[[], int]  # how many files were erased


def default_target(username: str, today: dt.date) -> Path:
    """Documents/cambios-no-enviados-<user>-<date>.cambios (outside the profile folder)."""
    folder = Path(platformdirs.user_documents_dir())
    name = f"cambios-no-enviados-{username or 'equipo'}-{today:%Y%m%d}.cambios"
    return folder / name


class WithdrawnDialog(QDialog):
    """Explains the withdrawal; exports the unsent work; erases the profile."""

    def __init__(
        self,
        ops: Operations,
        withdrawal: Withdrawal,
        actions: tuple[Verify, Export, Erase],
        target: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("withdrawnDialog")
        self.setWindowTitle(_("Equipo dado de baja"))
        self.setModal(True)
        self._ops = ops
        self._verify, self._export, self._erase = actions
        self._withdrawal = withdrawal
        self.exported: Path | None = None
        self.erased = False
        intro = QLabel(wordWrap=True)
        intro.setObjectName("withdrawnIntro")
        intro.setText(self._intro())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._export_box(target))
        layout.addWidget(self._erase_box())
        self.close_button = QPushButton(_("&Cerrar la aplicación"))
        self.close_button.setObjectName("closeWithdrawn")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.setMinimumWidth(640)
        self._update_erase()
        # Wrapped labels in group boxes take their height for the width they get: settle both.
        self.resize(640, self.heightForWidth(640))
        if withdrawal.anything_unsent:
            self.profile_passphrase.setFocus()

    def _intro(self) -> str:
        since = self._withdrawal.since.astimezone().strftime("%d/%m/%Y %H:%M")
        head = _(
            "El administrador del servidor dio de baja este equipo ({since}): ya no puede "
            "sincronizar ni seguir trabajando en él. Los datos siguen cifrados."
        ).format(since=since)
        if not self._withdrawal.anything_unsent:
            return head + " " + _("El servidor ya recibió todo lo que se hizo aquí.")
        changes = n_("{n} cambio", "{n} cambios", self._withdrawal.changes)
        files = n_("{n} anexo", "{n} anexos", self._withdrawal.files)
        return (
            head + " "
            + _("Quedan {changes} y {files} que el servidor no recibió: expórtelos para su "
                "supervisor(a) antes de borrar.").format(changes=changes, files=files)
        )  # fmt: skip

    def _export_box(self, target: Path) -> QGroupBox:
        box = QGroupBox(_("1. Exportar los cambios no enviados (archivo cifrado)"))
        self.target = QLineEdit(str(target))
        self.target.setObjectName("unsentTarget")
        self.target.setAccessibleName(_("Archivo de destino"))
        browse = QPushButton(_("E&xaminar…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        place = QHBoxLayout()
        place.addWidget(self.target, 1)
        place.addWidget(browse)
        self.profile_passphrase = passphrase_field(
            "withdrawnProfilePassphrase", _("Contraseña del perfil")
        )
        self.file_passphrase = passphrase_field("unsentPassphrase", _("Contraseña del archivo"))
        self.file_repeated = passphrase_field(
            "unsentPassphraseRepeat", _("Repetir la contraseña del archivo")
        )
        self.export_button = QPushButton(_("&Exportar"))
        self.export_button.setObjectName("exportUnsent")
        self.export_button.clicked.connect(self.export)
        self.export_message = QLabel(wordWrap=True)
        self.export_message.setObjectName("exportUnsentMessage")
        form = QFormLayout(box)
        form.addRow(
            QLabel(
                _(
                    "Elija una contraseña para el archivo (al menos 10 caracteres) y dígasela a "
                    "su supervisor(a) por otro medio: por teléfono o en persona, nunca junto "
                    "con el archivo."
                ),
                wordWrap=True,
            )
        )
        place_label = QLabel(_("&Archivo:"))
        place_label.setBuddy(self.target)  # a row of a layout gets no buddy by itself
        form.addRow(place_label, place)
        form.addRow(_("Contraseña del &perfil:"), self.profile_passphrase)
        form.addRow(_("Contraseña del a&rchivo:"), self.file_passphrase)
        form.addRow(_("&Repítala:"), self.file_repeated)
        form.addRow(self.export_button)
        form.addRow(self.export_message)
        box.setEnabled(self._withdrawal.anything_unsent)
        return box

    def _erase_box(self) -> QGroupBox:
        box = QGroupBox(_("2. Borrar los datos de este equipo"))
        explain = QLabel(
            _(
                "Se sobrescriben y borran la base de datos, los anexos, las copias de "
                "seguridad, el registro de sincronización y lo guardado en la carpeta del "
                "perfil; el archivo exportado se conserva. En discos de estado sólido (SSD) "
                "el disco puede conservar copias de bloques antiguos fuera del alcance de "
                "cualquier programa: los datos siguen cifrados."
            ),
            wordWrap=True,
        )
        self.lose_unsent = QCheckBox(_("Borrar aunque se pierdan los cambios no enviados"))
        self.lose_unsent.setObjectName("loseUnsent")
        self.lose_unsent.setVisible(self._withdrawal.anything_unsent)
        self.confirm_erase = QCheckBox(_("Confirmo que quiero borrar los datos de este equipo"))
        self.confirm_erase.setObjectName("confirmErase")
        self.erase_button = QPushButton(_("&Borrar los datos"))
        self.erase_button.setObjectName("eraseProfile")
        self.erase_button.setAutoDefault(False)
        self.erase_button.clicked.connect(self.erase)
        self.erase_message = QLabel(wordWrap=True)
        self.erase_message.setObjectName("eraseMessage")
        for check in (self.lose_unsent, self.confirm_erase):
            check.toggled.connect(lambda _on: self._update_erase())
        column = QVBoxLayout(box)
        for widget in (explain, self.lose_unsent, self.confirm_erase, self.erase_button):
            column.addWidget(widget)
        column.addWidget(self.erase_message)
        return box

    def _update_erase(self) -> None:
        safe = (
            not self._withdrawal.anything_unsent
            or self.exported is not None
            or self.lose_unsent.isChecked()
        )
        self.erase_button.setEnabled(safe and self.confirm_erase.isChecked() and not self.erased)

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Guardar los cambios no enviados"), self.target.text(),
            _("Cambios no enviados (*.cambios)"),
        )  # fmt: skip
        if chosen:
            self.target.setText(chosen)

    def export(self) -> None:
        """Check the profile's passphrase, then seal the unsent work (off the GUI thread)."""
        target = Path(self.target.text().strip())
        profile = self.profile_passphrase.text()
        typed, repeated = self.file_passphrase.text(), self.file_repeated.text()
        if not self.target.text().strip():
            self.export_message.setText(_("Escriba dónde guardar el archivo."))
            return
        self.export_button.setEnabled(False)
        self.export_message.setText(_("Comprobando la contraseña y cifrando…"))

        def run() -> Path:
            self._verify(profile)
            return self._export(target, typed, repeated)

        def failed(error: Exception) -> None:
            self.export_button.setEnabled(True)
            self.export_message.setText(str(error))

        self._ops.run(run, self._exported, failed, self)

    def _exported(self, written: Path) -> None:
        self.exported = written
        self.export_button.setEnabled(True)
        for field in (self.profile_passphrase, self.file_passphrase, self.file_repeated):
            field.clear()
        self.export_message.setText(
            _(
                "Guardado en {path}. Entregue el archivo a su supervisor(a) y dígale la "
                "contraseña por otro medio."
            ).format(path=written)
        )
        self._update_erase()

    def erase(self) -> None:
        """Erase the profile (off the GUI thread); the app then ends."""
        self.erase_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.erase_message.setText(_("Borrando…"))

        def failed(error: Exception) -> None:
            self.close_button.setEnabled(True)
            self.erase_message.setText(
                _("No se pudo borrar todo: {error}. Cierre la aplicación y vuelva a intentarlo.")
                .format(error=error)
            )  # fmt: skip

        self._ops.run(self._erase, self._erased, failed, self)

    def _erased(self, count: int) -> None:
        self.erased = True
        self.close_button.setEnabled(True)
        self.close_button.setDefault(True)
        self.erase_message.setText(
            n_(
                "Se borró {n} archivo. Al abrir la aplicación de nuevo empezará un perfil nuevo.",
                "Se borraron {n} archivos. Al abrir la aplicación de nuevo empezará un perfil "
                "nuevo.",
                count,
            )
        )
