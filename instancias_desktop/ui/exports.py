"""Where to save an exported list: Excel or CSV, chosen by the name's extension."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from instancias_desktop.i18n import _

ExportChooser = Callable[[QWidget, str], Path | None]


def choose_export_target(parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save (None when cancelled); the filter chosen sets a missing extension."""
    excel, csv = _("Libro de Excel (*.xlsx)"), _("CSV separado por comas (*.csv)")
    chosen, selected = QFileDialog.getSaveFileName(
        parent, _("Exportar"), suggested, f"{excel};;{csv}"
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".csv" if selected == csv else ".xlsx")
    return path
