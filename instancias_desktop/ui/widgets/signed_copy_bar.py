"""The signed copy of a finalized acta: its state, and attaching the scan or photos of the paper.

The paper is read off the GUI thread (photos, QR code); a paper whose code is another acta's,
or has none legible, is attached only when she says so, after reading why.
"""

import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.enums import ActaState, QrCheck
from instancias_desktop.domain.signed_copies import PaperReading
from instancias_desktop.domain.visit_views import SignedCopyView, VisitDetail
from instancias_desktop.i18n import _, n_
from instancias_desktop.services.api import SignedCopyService
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.documents import DocumentActions
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.prompts import question

PapersChooser = Callable[[QWidget], list[Path]]
PAPER_FILTER = "*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.bmp *.webp"


def choose_papers(parent: QWidget) -> list[Path]:
    """Ask for the scan (PDF) or the photos of the signed paper, pages in order."""
    names, _filter = QFileDialog.getOpenFileNames(
        parent,
        _("Elegir el escaneo o las fotos de la copia firmada (páginas en orden)"),
        "",
        _("Escaneos y fotos") + f" ({PAPER_FILTER});;" + _("Todos los archivos") + " (*)",
    )
    return [Path(name) for name in names]


def copy_text(copy: SignedCopyView) -> str:
    """«Copia firmada adjunta el 06/12/2026 a las 10:20 · 3 páginas · código QR verificado»."""
    when = copy.attached_at.astimezone()
    return " · ".join(
        (
            _("Copia firmada adjunta el {date} a las {time}").format(
                date=when.strftime("%d/%m/%Y"), time=when.strftime("%H:%M")
            ),
            n_("{n} página", "{n} páginas", copy.page_count),
            copy.qr_check.label,
            copy.send_state.label.lower() if copy.send_state else _("solo en este equipo"),
        )
    )


class SignedCopyBar(QFrame):
    """Under a finalized acta's banner: «por firmar» or «firmada», and what she can do."""

    message = Signal(str)  # what happened (also shown under the bar)

    def __init__(
        self,
        ops: Operations,
        documents: DocumentActions,
        choose: PapersChooser = choose_papers,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signedCopyBar")
        self._ops = ops
        self._documents = documents
        self._choose = choose
        self._services: SignedCopyService | None = None
        self._visit_id: uuid.UUID | None = None
        self._copy: SignedCopyView | None = None
        self.prompt: QMessageBox | None = None  # the question on screen, for tests
        self.state = QLabel(wordWrap=True)
        self.state.setObjectName("actaState")
        self.attach_button = self._button(
            "attachSignedCopy",
            _("Adjuntar copia &firmada…"),
            _(
                "Adjuntar el escaneo (PDF) o las fotos del acta firmada, páginas en orden; se "
                "comprueba su código QR"
            ),
        )
        self.open_button = self._button(
            "openSignedCopy", _("Ver copia firmada"), _("Abrir la copia firmada en el visor")
        )
        self.withdraw_button = self._button(
            "withdrawSignedCopy",
            _("Retirar copia…"),
            _("Retirar la copia firmada adjuntada por error; el acta vuelve a «por firmar»"),
        )
        self.note = QLabel(wordWrap=True)
        self.note.setObjectName("signedCopyNote")
        self.note.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.state, 1)
        for button in (self.open_button, self.withdraw_button, self.attach_button):
            row.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.note)
        self.attach_button.clicked.connect(lambda _checked: self.attach())
        self.open_button.clicked.connect(lambda _checked: self.open_copy())
        self.withdraw_button.clicked.connect(lambda _checked: self.ask_withdraw())

    def _button(self, name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        return button

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self.message.emit(text)

    def set_services(self, services: SignedCopyService) -> None:
        """Work on an opened profile."""
        self._services = services

    def show_detail(self, detail: VisitDetail, mine: bool) -> None:
        """Show the acta's state; hidden while it is a draft."""
        if detail.visit.id != self._visit_id:
            self._say("")  # what was said concerned another acta
        self._visit_id = detail.visit.id
        self._copy = detail.signed_copies[0] if detail.signed_copies else None
        self.setVisible(detail.acta_state is not ActaState.DRAFT)
        if self._copy is None:
            self.state.setText(
                _(
                    "<b>Por firmar:</b> imprima el acta, hágala firmar y adjunte aquí el escaneo "
                    "o las fotos del papel firmado."
                )
            )
        else:
            self.state.setText(f"<b>{_('Firmada')}:</b> {copy_text(self._copy)}")
        self.attach_button.setEnabled(mine)
        self.withdraw_button.setEnabled(mine)
        self.attach_button.setText(
            _("Adjuntar copia &firmada…") if self._copy is None else _("Adjuntar otra &copia…")
        )
        self.open_button.setVisible(self._copy is not None)
        self.withdraw_button.setVisible(self._copy is not None)

    # ------------------------------------------------------------------ attaching
    def attach(self) -> None:
        """Pick the scan or the photos, read them off the GUI thread, then attach."""
        services, visit_id = self._services, self._visit_id
        if services is None or visit_id is None:
            return
        paths = self._choose(self)
        if not paths:
            return
        self._say(
            n_("Leyendo {n} archivo de la copia firmada…", "Leyendo {n} archivos…", len(paths))
        )
        self._ops.run(
            lambda: services.read_signed_copy(visit_id, paths), self._read, self._failed, self
        )

    def _read(self, reading: PaperReading) -> None:
        if reading.qr_check is QrCheck.MATCHES:
            self._attach(reading, knowingly=False)
            return
        box = question(
            self,
            name="signedCopyPrompt",
            title=_("Revise la copia firmada"),
            text=reading.message,
            yes=_("&Adjuntar de todos modos"),
            no=_("&No adjuntar"),
            icon=QMessageBox.Icon.Warning,
        )
        box.finished.connect(
            lambda code: (
                self._attach(reading, knowingly=True)
                if code == QMessageBox.StandardButton.Yes
                else self._say(_("No se adjuntó la copia firmada."))
            )
        )
        self.prompt = box
        box.open()

    def _attach(self, reading: PaperReading, *, knowingly: bool) -> None:
        services = self._services
        if services is None:
            return

        def attached(_copy_id: uuid.UUID) -> None:
            self._say(
                n_(
                    "Copia firmada adjuntada ({n} página): se enviará en la próxima "
                    "sincronización.",
                    "Copia firmada adjuntada ({n} páginas): se enviará en la próxima "
                    "sincronización.",
                    reading.page_count,
                )
            )
            self._ops.announce({Area.VISITS})

        self._ops.run(
            lambda: services.attach_signed_copy(reading, knowingly=knowingly),
            attached,
            self._failed,
            self,
        )

    def _failed(self, error: Exception) -> None:
        self._say(_("No se adjuntó la copia firmada: {error}").format(error=error))

    # ------------------------------------------------------------------ the copy
    def open_copy(self) -> None:
        """Open the signed copy in the system viewer (a copy kept in the exports folder)."""
        services, copy = self._services, self._copy
        if services is None or copy is None:
            return
        self._documents.view(lambda: (copy.filename, services.annex_content(copy.sha256)))

    def ask_withdraw(self) -> None:
        """Withdraw the copy after confirmation (a paper attached by mistake)."""
        services, copy = self._services, self._copy
        if services is None or copy is None:
            return
        box = question(
            self,
            name="withdrawSignedCopyPrompt",
            title=_("Retirar la copia firmada"),
            text=_(
                "¿Retirar la copia firmada «{name}»? El acta volverá a figurar por firmar; el "
                "servidor conserva el registro de que se retiró."
            ).format(name=copy.filename),
            yes=_("&Retirar"),
            no=_("&Conservar"),
        )
        box.finished.connect(
            lambda code: self._withdraw(copy.id) if code == QMessageBox.StandardButton.Yes else None
        )
        self.prompt = box
        box.open()

    def _withdraw(self, copy_id: uuid.UUID) -> None:
        services = self._services
        if services is not None:
            self._ops.run(
                lambda: services.withdraw_signed_copy(copy_id),
                lambda _r: self._ops.announce({Area.VISITS}),
                self._failed,
                self,
            )
