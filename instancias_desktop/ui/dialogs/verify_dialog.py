"""Check a printed acta: type its verification code or scan its QR code with a reader."""

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.documents import CodeCheck
from instancias_desktop.i18n import _
from instancias_desktop.services.api import DocumentService
from instancias_desktop.ui.dialogs.annex_file import FileChooser
from instancias_desktop.ui.ops import Operations


def choose_paper(parent: QWidget) -> Path | None:
    """Ask for the scan or photo of a printed acta."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        _("Elegir el escaneo o la foto del acta"),
        "",
        _("Escaneos y fotos") + " (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.bmp *.webp);;"
        + _("Todos los archivos") + " (*)",
    )  # fmt: skip
    return Path(name) if name else None


class VerifyDialog(QDialog):
    """Says whether a code belongs to a finalized acta whose record is unchanged."""

    checked = Signal(object)  # CodeCheck
    open_visit = Signal(object)  # uuid.UUID of the acta found

    def __init__(
        self,
        ops: Operations,
        services: DocumentService,
        parent: QWidget | None = None,
        choose: FileChooser = choose_paper,
    ):
        super().__init__(parent)
        self._ops = ops
        self._services = services
        self._choose = choose  # the system's file dialog; tests give their own
        self.last: CodeCheck | None = None
        self.setObjectName("verifyDialog")
        self.setWindowTitle(_("Verificar un acta impresa"))
        intro = QLabel(
            _(
                "Escriba el código de verificación que figura al pie del acta (por ejemplo"
                " 7KQ2-M9XD-4TRB), léalo con un lector de códigos QR o elija un escaneo o una foto"
                " del acta."
            )
        )
        intro.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setObjectName("verifyCode")
        self.code.setPlaceholderText(_("Código de verificación"))
        self.code.setAccessibleName(_("Código de verificación"))
        self.code.setAccessibleDescription(
            _(
                "Escriba el código del pie del acta impresa o léalo con un lector de códigos QR; "
                "Intro lo verifica."
            )
        )
        caption = QLabel(_("&Código:"))
        caption.setBuddy(self.code)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setObjectName("checkResult")
        buttons = QDialogButtonBox()
        self.verify_button = QPushButton(_("&Verificar"))
        self.verify_button.setDefault(True)
        self.verify_button.setToolTip(
            _(
                "Comprobar si el código corresponde a un acta finalizada cuyo registro no cambió "
                "(Intro)"
            )
        )
        self.file_button = QPushButton(_("Leer de un &escaneo o foto…"))
        self.file_button.setObjectName("verifyFromFile")
        self.file_button.setToolTip(
            _(
                "Elegir el escaneo (PDF) o la foto del acta impresa: se lee su código QR y se "
                "verifica"
            )
        )
        self.open_button = QPushButton(_("&Abrir el acta"))
        self.open_button.setObjectName("openVerifiedActa")
        self.open_button.setToolTip(_("Abrir en el editor el acta del código verificado"))
        buttons.addButton(self.verify_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.hide()  # after addButton, which shows it: only once a code is checked
        close = QPushButton(_("&Cerrar"))
        close.setToolTip(_("Cerrar la verificación (Esc)"))
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        for widget in (intro, caption, self.code, self.outcome, buttons):
            layout.addWidget(widget)
        self.verify_button.clicked.connect(lambda _checked: self.verify())
        self.file_button.clicked.connect(lambda _checked: self.verify_file())
        self.open_button.clicked.connect(lambda _checked: self._open())
        buttons.rejected.connect(self.reject)
        self.resize(600, 260)

    def verify(self) -> None:
        """Check the code typed (off the GUI thread)."""
        typed = self.code.text()
        self.outcome.setText(_("Verificando…"))
        services = self._services
        self._ops.run(lambda: services.verify_acta_code(typed), self._show, owner=self)

    def verify_file(self) -> None:
        """Read the QR code of a scan or photo she picks, and check it (off the GUI thread)."""
        path = self._choose(self)
        if path is None:
            return
        self.outcome.setText(_("Leyendo el código de {name}…").format(name=path.name))
        services = self._services
        self._ops.run(lambda: services.verify_acta_paper(path), self._show, owner=self)

    def _show(self, check: CodeCheck) -> None:
        self.outcome.setProperty("valid", "true" if check.valid else "false")
        self.outcome.style().polish(self.outcome)
        self.outcome.setText(("✔ " if check.valid else "✘ ") + check.message)
        self.open_button.setVisible(check.visit_id is not None)
        self.last = check
        self.checked.emit(check)

    def _open(self) -> None:
        check = self.last
        if check is not None and check.visit_id is not None:
            self.open_visit.emit(check.visit_id)
            self.accept()
