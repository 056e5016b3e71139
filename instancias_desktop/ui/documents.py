"""Showing and printing produced PDFs: made off the GUI thread, kept in the profile's exports."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QMessageBox, QWidget

from instancias_desktop.i18n import _
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.printing import a4_printer, print_pdf
from instancias_desktop.ui.prompts import question

Opener = Callable[[Path], bool | None]  # False: nothing on this computer opens it
Document = tuple[str, bytes]  # file name, PDF bytes
Produce = Callable[[], Document]
Keep = Callable[[str, bytes], Path]


def open_with_system(path: Path) -> bool:
    """Open a file (or a folder) in the system's viewer; False when none is installed."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class DocumentActions(QObject):
    """«Ver PDF» and «Imprimir…» for a page: produce, keep a copy, then show it or print it."""

    shown = Signal(object)  # Path of the copy opened in the viewer
    not_shown = Signal(object)  # Path of the copy kept: no viewer opened it (she was told)
    printed = Signal(int)  # pages sent to the printer
    failed = Signal(str)  # a Spanish message for the page

    def __init__(
        self, ops: Operations, owner: QWidget, keep: Keep, opener: Opener = open_with_system
    ) -> None:
        super().__init__(owner)
        self._ops = ops
        self._owner = owner
        self._keep = keep
        self.opener = opener  # the system viewer; tests look instead
        self.dialog: QPrintDialog | None = None  # the print dialog on screen, for tests
        self.notice: QMessageBox | None = None  # «no PDF viewer», on screen, for tests

    def view(self, produce: Produce) -> None:
        """Produce the document, keep it in the exports folder and open that copy."""
        keep = self._keep

        def made() -> Path:
            name, pdf = produce()
            return keep(name, pdf)

        self._ops.run(made, self._open, self._fail, owner=self._owner)

    def _open(self, path: Path) -> None:
        if self.opener(path) is False:
            self._tell_where(path)
            self.not_shown.emit(path)
            return
        self.shown.emit(path)

    def _tell_where(self, path: Path) -> None:
        """No viewer opened the PDF: say where it is kept and offer its folder."""
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("No se pudo abrir el PDF"),
            _(
                "Este equipo no tiene un programa para ver archivos PDF (o no abrió). "
                "El documento quedó guardado en:\n{path}\n\nPuede abrir esa carpeta, o "
                "instalar un visor de PDF y volver a intentarlo."
            ).format(path=path),
            parent=self._owner,
        )
        box.setObjectName("noPdfViewer")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder = box.addButton(_("Abrir la &carpeta"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(_("&Cerrar"), QMessageBox.ButtonRole.RejectRole)
        box.finished.connect(
            lambda _code: self.opener(path.parent) if box.clickedButton() is folder else None
        )
        self.notice = box
        box.open()

    def print(self, produce: Produce) -> None:
        """Produce the document, then ask for a printer (the dialog does not block the app)."""
        self._ops.run(produce, self._ask_printer, self._fail, owner=self._owner)

    def _ask_printer(self, document: Document) -> None:
        name, pdf = document
        printer = a4_printer()
        printer.setDocName(name)
        dialog = QPrintDialog(printer, self._owner)
        dialog.setObjectName("printDialog")
        dialog.setWindowTitle(_("Imprimir {name}").format(name=name))
        dialog.accepted.connect(lambda: self.print_on(printer, pdf))
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)  # does not block the event loop
        dialog.show()

    def print_on(self, printer: QPrinter, pdf: bytes) -> None:
        """Print on a chosen printer, off the GUI thread (rasterizing pages takes seconds)."""
        self._ops.run(lambda: print_pdf(printer, pdf), self.printed.emit, self._fail, owner=self)

    def _fail(self, error: Exception) -> None:
        self.failed.emit(_("No se pudo producir el documento: {error}").format(error=error))


def draft_print_prompt(parent: QWidget, number: str) -> QMessageBox:
    """Asks before a draft is printed: a printed draft must never pass for the acta."""
    return question(
        parent,
        name="printDraftPrompt",
        title=_("Imprimir un borrador"),
        text=_(
            "El acta {number} es un BORRADOR: no lleva código de verificación y no tiene "
            "validez para firma. Cada página dirá «BORRADOR». Para la firma, finalice el acta "
            "y luego imprímala. ¿Imprimir el borrador para revisarlo?"
        ).format(number=number),
        yes=_("&Imprimir el borrador"),
        no=_("&Cancelar"),
        icon=QMessageBox.Icon.Warning,
    )
