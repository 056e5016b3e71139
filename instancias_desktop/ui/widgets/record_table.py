"""A read-only table of records: row selection, Enter or double-click opens, sort by header."""

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from instancias_desktop.ui.models.record_model import Column, RecordFilterProxy, RecordTableModel


class KeepEndDelegate(QStyledItemDelegate):
    """Names share a long prefix ("Instancia Distrital de Concertación de"): keep the end."""

    def initStyleOption(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Elide on the left."""
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


def style_columns(table: QTableView, columns: Sequence[Column]) -> None:
    """Give the columns that keep their end the left-eliding delegate."""
    delegate = KeepEndDelegate(table)
    for index, column in enumerate(columns):
        if column.keep_end:
            table.setItemDelegateForColumn(index, delegate)


def fit_columns(table: QTableView, columns: Sequence[Column]) -> None:
    """Size columns to their contents, up to each column's widest."""
    table.resizeColumnsToContents()
    for index, column in enumerate(columns):
        if column.max_width is not None:
            table.setColumnWidth(index, min(table.columnWidth(index), column.max_width))


class RecordTable(QTableView):
    """Shows records through columns; emits ``opened`` with the record the user picks.

    ``description`` tells a screen reader what the table lists and what Enter does in it.
    """

    opened = Signal(object)

    def __init__(
        self,
        columns: Sequence[Column],
        accessible_name: str,
        *,
        description: str,
        sortable: bool = True,
        parent: QWidget | None = None,
        **model_options: Any,
    ) -> None:
        super().__init__(parent)
        self.source = RecordTableModel(columns, parent=self, **model_options)
        self.proxy = RecordFilterProxy(self.source, self)
        self.setModel(self.proxy)
        style_columns(self, columns)
        self.setAccessibleName(accessible_name)
        self.setAccessibleDescription(description)
        self.setSortingEnabled(sortable)
        # Start in the records' own order (services return them meaningfully ordered): a sort
        # through the proxy calls back into Python per comparison, costly on long lists.
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(100)
        self.doubleClicked.connect(self._open)

    def set_records(self, records: Sequence[Any], *, keys_later: bool = False) -> None:
        """Replace the rows, keeping the selected record selected when it is still there."""
        keep = self.selected_record()
        self.source.set_rows(records, keys_later=keys_later)
        fit_columns(self, self.source.columns)
        if keep is not None:
            self.select_where(lambda r: getattr(r, "id", r) == getattr(keep, "id", keep))

    def selected_record(self) -> Any:
        """The record of the current row, or None."""
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isRowSelected(index.row()):
            return None
        return self.proxy.record_at(index)

    def shown_records(self) -> list[Any]:
        """The records on screen (filtered), in their on-screen order."""
        return [
            self.proxy.record_at(self.proxy.index(row, 0)) for row in range(self.proxy.rowCount())
        ]

    def selected_records(self) -> list[Any]:
        """The records of every selected row, in on-screen order (extended selection)."""
        rows = sorted(index.row() for index in self.selectionModel().selectedRows())
        return [self.proxy.record_at(self.proxy.index(row, 0)) for row in rows]

    def select_where(self, predicate: Any) -> bool:
        """Select the first row whose record satisfies ``predicate``."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if predicate(self.proxy.record_at(index)):
                self.setCurrentIndex(index)
                self.selectRow(row)
                return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Enter opens the selected record."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.opened.emit(self.proxy.record_at(index))
