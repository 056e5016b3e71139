"""The files of a norm, a session (its acta) or an instrument: attach, open, withdraw.

A file is sealed into the profile like a visit's annex; opening one decrypts a copy into a
private temporary folder for the system viewer.
"""

import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from instancias_desktop.domain.instancia_records import RecordFileView
from instancias_desktop.domain.visit_views import InstanciaDetail
from instancias_desktop.i18n import _
from instancias_desktop.services.api import RecordEditor
from instancias_desktop.ui.dialogs.annex_file import FileChooser, choose_with_dialog
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.list_section import ListSection

# The name the services give each section's records.
OWNER = {"norms": "norm", "sessions": "session", "instruments": "instrument"}


def files_text(record: Any) -> str:
    """The files of a record, by name, for its row."""
    files: tuple[RecordFileView, ...] = record.files
    return ", ".join(f.filename for f in files) or "—"


class RecordFiles:
    """Adds «Adjuntar archivo», «Abrir archivo» and «Quitar archivo» to a section."""

    def __init__(
        self,
        ops: Operations,
        parent: QWidget,
        services: Callable[[], RecordEditor | None],
        saved: Callable[[InstanciaDetail], None],
    ) -> None:
        self._ops, self._parent, self._services, self._saved = ops, parent, services, saved
        self.choose_file: FileChooser = choose_with_dialog  # tests give their own
        self.opener: Callable[[Path], object] = lambda path: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(path))
        )

    def add_to(self, section: ListSection, key: str) -> None:
        """The three actions on the section's selected record."""
        what = OWNER[key]
        section.add_action("attach", _("Ad&juntar archivo"), lambda: self.attach(section, what),
                           tip=_("Elegir el archivo (escaneo, PDF) del registro seleccionado"),
                           needs_row=True, shortcut="Ctrl+J")  # fmt: skip
        section.add_action("open", _("A&brir archivo"), lambda: self.open(section),
                           tip=_("Abrir el archivo del registro seleccionado"),
                           needs_row=True)  # fmt: skip
        section.add_action("unlink", _("Quitar arc&hivo"), lambda: self.unlink(section),
                           tip=_("Quitar un archivo adjuntado por error"),
                           needs_row=True)  # fmt: skip

    def attach(self, section: ListSection, what: str) -> None:
        """Pick a file and link it to the selected record."""
        record, services = section.table.selected_record(), self._services()
        if record is None or services is None:
            return
        path = self.choose_file(self._parent)
        if path is None:
            return
        record_id: uuid.UUID = record.id
        self._ops.run(lambda: services.attach_record_file(what, record_id, path), self._saved,
                      owner=self._parent)  # fmt: skip

    def open(self, section: ListSection) -> None:
        """Open one of the selected record's files in the system viewer."""
        services = self._services()
        chosen = self._pick(section, _("Abrir archivo"))
        if chosen is None or services is None:
            return

        def export() -> Path:
            folder = Path(tempfile.mkdtemp(prefix="archivo-"))
            target = folder / chosen.filename
            target.write_bytes(services.annex_content(chosen.sha256))
            return target

        self._ops.run(export, self._show, owner=self._parent)

    def _show(self, path: Path) -> None:
        self.opener(path)

    def unlink(self, section: ListSection) -> None:
        """Withdraw one of the selected record's files, after asking."""
        services = self._services()
        chosen = self._pick(section, _("Quitar archivo"))
        if chosen is None or services is None:
            return
        answer = QMessageBox.question(
            self._parent, _("Quitar archivo"),
            _("¿Quitar «{name}»? Desaparece también en los demás equipos al sincronizar.")
            .format(name=chosen.filename),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            file_id = chosen.id
            self._ops.run(lambda: services.remove_record_file(file_id), self._saved,
                          owner=self._parent)  # fmt: skip

    def _pick(self, section: ListSection, title: str) -> RecordFileView | None:
        record = section.table.selected_record()
        files: tuple[RecordFileView, ...] = record.files if record is not None else ()
        if not files:
            if record is not None:
                QMessageBox.information(self._parent, title, _("El registro no tiene archivos."))
            return None
        if len(files) == 1:
            return files[0]
        names = [f.filename for f in files]
        name, ok = QInputDialog.getItem(self._parent, title, _("Archivo:"), names, 0, False)
        return files[names.index(name)] if ok else None
