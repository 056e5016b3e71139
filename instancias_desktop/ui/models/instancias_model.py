"""Table model of the instancia registry, and the proxy that filters it as the user types."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from instancias_desktop.domain.enums import InstanciaLevel, Stage
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.domain.text import fold, matches_all_words
from instancias_desktop.i18n import _

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


def _date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


@dataclass(frozen=True)
class Column:
    """A column: header, displayed text, and the value it sorts by."""

    header: str
    text: Callable[[InstanciaSummary], str]
    sort: Callable[[InstanciaSummary], Any]


COLUMNS: tuple[Column, ...] = (
    Column(_("Nivel"), lambda r: r.level.label, lambda r: ("IRC", "IPC", "IDC").index(r.level)),
    Column(_("Instancia"), lambda r: r.name, lambda r: fold(r.name)),
    Column(_("Departamento"), lambda r: r.department_name, lambda r: fold(r.department_name)),
    Column(_("Provincia"), lambda r: r.province_name or "—", lambda r: fold(r.province_name)),
    Column(_("Distrito"), lambda r: r.district_name or "—", lambda r: fold(r.district_name)),
    Column(_("Ubigeo"), lambda r: r.ubigeo, lambda r: r.ubigeo),
    Column(_("Estado"), lambda r: r.stage.label, lambda r: list(Stage).index(r.stage)),
    Column(_("Desde"), lambda r: _date(r.stage_date), lambda r: r.stage_date or dt.date.min),
    Column(_("Visitas"), lambda r: str(r.visit_count), lambda r: r.visit_count),
    Column(
        _("Última visita"),
        lambda r: _date(r.last_visit_date),
        lambda r: r.last_visit_date or dt.date.min,
    ),
)
_RIGHT = {COLUMNS.index(c) for c in COLUMNS if c.header in (_("Visitas"),)}


class InstanciaTableModel(QAbstractTableModel):
    """Read-only rows of InstanciaSummary values, with a folded search key per row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[InstanciaSummary, ...] = ()
        self._keys: tuple[str, ...] = ()

    def set_rows(self, rows: tuple[InstanciaSummary, ...]) -> None:
        """Replace every row (the registry is reloaded as a whole: about 2,000 rows)."""
        self.beginResetModel()
        self._rows = rows
        self._keys = tuple(
            fold(
                " ".join(
                    (
                        r.name,
                        r.unit_name,
                        r.department_name,
                        r.province_name,
                        r.district_name,
                        r.ubigeo,
                    )
                )
            )
            for r in rows
        )
        self.endResetModel()

    def summary(self, row: int) -> InstanciaSummary:
        """The value behind a source row."""
        return self._rows[row]

    def search_key(self, row: int) -> str:
        """The folded text a search looks into."""
        return self._keys[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows of the table (none below a row: it is flat)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns of the table."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, sort value, tooltip and alignment of a cell."""
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.name}\n{row.unit_name} · ubigeo {row.ubigeo}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in _RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column headers in Spanish."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        return None


@dataclass(frozen=True)
class InstanciaFilter:
    """What the user asked to see; empty fields mean 'all'."""

    department: str = ""
    province: str = ""
    level: InstanciaLevel | None = None
    stage: Stage | None = None
    text: str = ""

    def accepts(self, summary: InstanciaSummary, search_key: str) -> bool:
        """Whether a row passes every filter."""
        return (
            (not self.department or summary.department_code == self.department)
            and (not self.province or summary.province_code == self.province)
            and (self.level is None or summary.level is self.level)
            and (self.stage is None or summary.stage is self.stage)
            and (not self.text or matches_all_words(self.text, search_key))
        )


class InstanciaFilterProxy(QSortFilterProxyModel):
    """Sorts by the sort role and shows only the rows the current filter accepts."""

    def __init__(self, source: InstanciaTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self._source = source
        self._filter = InstanciaFilter()
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)

    @property
    def current_filter(self) -> InstanciaFilter:
        """The filter in force."""
        return self._filter

    def set_filter(self, new: InstanciaFilter) -> None:
        """Apply a new filter (no-op when unchanged, so repeated signals cost nothing)."""
        if new == self._filter:
            return
        self.beginFilterChange()
        self._filter = new
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        """Ask the filter about the row's summary and search key."""
        return self._filter.accepts(
            self._source.summary(source_row), self._source.search_key(source_row)
        )
