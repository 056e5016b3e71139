"""A read-only table over immutable records (DTOs), with a sort value and search key per row."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from instancias_desktop.domain.text import fold
from instancias_desktop.ui.theme import alarm_colour

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ALARM_ROLES = (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole)


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def date_text(day: dt.date | None) -> str:
    """dd/mm/yyyy as written in Peru; a dash when there is no date."""
    return day.strftime("%d/%m/%Y") if day else "—"


@dataclass(frozen=True)
class Column:
    """A column: header, displayed text, sort value, whether it is a number, widest it gets.

    Long texts (names, descriptions) stop at ``max_width`` pixels and show whole in a tooltip,
    so the columns after them stay on screen.
    """

    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    numeric: bool = False
    max_width: int | None = None
    keep_end: bool = False  # cut on the left: names that share a long beginning


class RecordTableModel(QAbstractTableModel):
    """Rows of records shown through columns; the whole list is replaced on each load."""

    def __init__(
        self,
        columns: Sequence[Column],
        search_key: Callable[[Any], str] | None = None,
        tooltip: Callable[[Any], str] | None = None,
        parent: Any = None,
        *,
        alarming: Callable[[Any], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._alarming = alarming  # rows that must stand out (an overdue agreement)
        self._search_key = search_key  # the folded text (domain.text.fold) a search looks into
        self._tooltip = tooltip
        self._rows: tuple[Any, ...] = ()
        self._keys: tuple[str, ...] = ()

    def search_keys(self, rows: Sequence[Any]) -> tuple[str, ...]:
        """The folded search keys of rows: pure, so a worker thread can compute them."""
        search = self._search_key
        return tuple(search(r) for r in rows) if search else ()

    def set_rows(
        self,
        rows: Sequence[Any],
        *,
        keys_later: bool = False,
        keys: Sequence[str] | None = None,
    ) -> None:
        """Replace every row; with ``keys_later`` the search keys come by set_search_keys.

        ``keys``: the rows' search keys, already folded (in a worker, with ``search_keys``).
        """
        self.beginResetModel()
        self._rows = tuple(rows)
        if keys is not None and len(keys) == len(self._rows):
            self._keys = tuple(keys)
        else:
            self._keys = () if keys_later else self.search_keys(self._rows)
        self.endResetModel()

    def sorted_order(self, rows: Sequence[Any], column: int, descending: bool) -> list[int]:
        """The positions of rows in the order the view shows them sorted by ``column``.

        Sorting 1,917 rows in the view calls ``data()`` some 30,000 times; Python's sort on
        one key per row costs a small part of it.
        """
        positions = list(range(len(rows)))
        if not 0 <= column < len(self.columns):
            return positions
        spec = self.columns[column]
        key = spec.sort or (lambda row: fold(spec.text(row)))
        keys = [key(row) for row in rows]
        return sorted(positions, key=keys.__getitem__, reverse=descending)

    def set_search_keys(self, keys: Sequence[str]) -> None:
        """The search keys of the current rows, folded off the GUI thread."""
        if len(keys) != len(self._rows):
            raise ValueError("one search key per row")
        self._keys = tuple(keys)

    def record(self, row: int) -> Any:
        """The value behind a source row."""
        return self._rows[row]

    def records(self) -> tuple[Any, ...]:
        """Every value, in source order."""
        return self._rows

    def search_key(self, row: int) -> str:
        """The folded text a search looks into."""
        return self._keys[row] if self._keys else ""

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows of the table (flat)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns of the table."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, sort value, tooltip, alignment and the record of a cell."""
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort(row) if column.sort else fold(column.text(row))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip_of(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return _RIGHT
        return self._alarm(row, role)

    def _alarm(self, row: Any, role: int) -> Any:
        """Dark red bold text for the rows that must stand out."""
        if role not in _ALARM_ROLES or self._alarming is None or not self._alarming(row):
            return None
        return alarm_colour() if role == Qt.ItemDataRole.ForegroundRole else _bold()

    def _tooltip_of(self, row: Any, column: Column) -> str | None:
        if self._tooltip is not None:
            return self._tooltip(row)
        return column.text(row) if column.max_width else None  # the whole of a cut text

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column headers in Spanish."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None


class RecordFilterProxy(QSortFilterProxyModel):
    """Sorts by the sort role; shows the rows a predicate (record, search key) accepts."""

    def __init__(self, source: RecordTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self._source = source
        self._accepts: Callable[[Any, str], bool] | None = None
        self._token: object = None
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)

    def set_predicate(self, token: object, accepts: Callable[[Any, str], bool] | None) -> None:
        """Filter by ``accepts``; ``token`` identifies it so an unchanged filter costs nothing."""
        if token == self._token:
            return
        self.beginFilterChange()
        self._token = token
        self._accepts = accepts
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def refilter(self) -> None:
        """Apply the current predicate again (the search keys arrived)."""
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def record_at(self, index: QModelIndex) -> Any:
        """The record behind a proxy index."""
        return self._source.record(self.mapToSource(index).row())

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        """Ask the predicate about the row."""
        if self._accepts is None:
            return True
        return self._accepts(self._source.record(source_row), self._source.search_key(source_row))
