"""Signed papers of several actas picked at once: each filed under its acta by its QR code.

She picks the scans or photos of a day's actas in order; what each file was filed under, and
what found no acta, is shown before anything is attached.
"""

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from instancias_desktop.domain.signed_copies import PapersFiled
from instancias_desktop.i18n import _, n_
from instancias_desktop.services.api import SignedCopyService
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.prompts import question
from instancias_desktop.ui.widgets.signed_copy_bar import PapersChooser


class PapersFiling(QObject):
    """«Adjuntar copias firmadas…» of the visits list: choose, read, confirm, attach."""

    message = Signal(str)  # what happened, for the page's status line

    def __init__(self, ops: Operations, owner: QWidget, choose: PapersChooser) -> None:
        super().__init__(owner)
        self._ops = ops
        self._owner = owner
        self._choose = choose
        self.prompt: QMessageBox | None = None  # the confirmation on screen, for tests

    def start(self, services: SignedCopyService) -> None:
        """Ask for the files, then read and file them off the GUI thread."""
        paths = self._choose(self._owner)
        if not paths:
            return
        self.message.emit(
            n_("Leyendo {n} archivo…", "Leyendo {n} archivos y sus códigos QR…", len(paths))
        )
        self._ops.run(
            lambda: services.file_signed_copies(paths),
            lambda filed: self._confirm(services, filed),
            self._failed,
            self._owner,
        )

    def _confirm(self, services: SignedCopyService, filed: PapersFiled) -> None:
        lines = [f"• {reading.message}" for reading in filed.readings]
        if filed.left_out:
            lines += ["", _("No se adjuntará:"), *(f"• {line}" for line in filed.left_out)]
        if not filed.readings:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                _("Copias firmadas"),
                _("Ningún archivo se pudo ubicar en un acta suya.") + "\n\n" + "\n".join(lines),
                QMessageBox.StandardButton.Ok,
                self._owner,
            )
            box.setObjectName("papersFilingPrompt")
            box.button(QMessageBox.StandardButton.Ok).setText(_("&Aceptar"))
            self._show(box)
            return
        count = len(filed.readings)
        box = question(
            self._owner,
            name="papersFilingPrompt",
            title=_("Copias firmadas"),
            text=n_(
                "Se adjuntará la copia firmada de {n} acta:",
                "Se adjuntarán las copias firmadas de {n} actas:",
                count,
            )
            + "\n\n"
            + "\n".join(lines),
            yes=n_("&Adjuntar {n} copia", "&Adjuntar {n} copias", count),
            no=_("&Cancelar"),
        )
        box.finished.connect(
            lambda code: (
                self._attach(services, filed) if code == QMessageBox.StandardButton.Yes else None
            )
        )
        self._show(box)

    def _show(self, box: QMessageBox) -> None:
        self.prompt = box
        box.open()

    def _attach(self, services: SignedCopyService, filed: PapersFiled) -> None:
        def attach_all() -> int:
            for reading in filed.readings:
                services.attach_signed_copy(reading)
            return len(filed.readings)

        def done(count: int) -> None:
            self.message.emit(
                n_(
                    "Se adjuntó {n} copia firmada.",
                    "Se adjuntaron {n} copias firmadas.",
                    count,
                )
            )
            self._ops.announce({Area.VISITS})

        self._ops.run(attach_all, done, self._failed, self._owner)

    def _failed(self, error: Exception) -> None:
        self.message.emit(_("No se adjuntaron las copias firmadas: {error}").format(error=error))
        self._ops.announce({Area.VISITS})  # those attached before the error are shown
