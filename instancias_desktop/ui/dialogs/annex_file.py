"""Choosing the file to annex to a visit: the system's file dialog (tests give their own)."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from instancias_desktop.i18n import _

FileChooser = Callable[[QWidget], Path | None]


def choose_with_dialog(parent: QWidget) -> Path | None:
    """Ask for a file to annex (scans, photos, documents)."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        _("Elegir el archivo a anexar"),
        "",
        _("Escaneos, fotos y documentos")
        + " (*.pdf *.jpg *.jpeg *.png *.doc *.docx *.xls *.xlsx *.odt);;"
        + _("Todos los archivos")
        + " (*)",
    )
    return Path(name) if name else None
