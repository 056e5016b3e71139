"""A list above, the details of its selected row below, with a title: one vertical splitter."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget


def detail_split(upper: QWidget, title: QLabel, details: QWidget, lower_share: int) -> QSplitter:
    """``upper`` takes 3 parts of the height, the titled ``details`` ``lower_share`` parts."""
    lower = QWidget()
    column = QVBoxLayout(lower)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(title)
    column.addWidget(details, 1)
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(upper)
    splitter.addWidget(lower)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, lower_share)
    return splitter
