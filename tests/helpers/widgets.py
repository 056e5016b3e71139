"""The widgets a GUI test reads or drives, found by their Qt objectName (never by attributes).

``child(page, QLineEdit, "visitsSearch")`` fails, saying what it looked for, unless exactly one
widget of that kind has that name under ``page``. Dialogs and prompts stay (hidden) after they
close, so the one on screen is found with ``visible_child``. Table rows are read through the
view's own model.
"""

from typing import TypeVar

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.models.record_model import RecordFilterProxy, RecordTableModel

Q = TypeVar("Q", bound=QObject)
W = TypeVar("W", bound=QWidget)
T = TypeVar("T")


def _under(root: QObject) -> str:
    name = root.objectName()
    return f"{type(root).__name__} «{name}»" if name else type(root).__name__


def child(root: QObject, kind: type[Q], name: str) -> Q:
    """The one ``kind`` named ``name`` under ``root`` (at any depth)."""
    found = root.findChildren(kind, name)
    assert len(found) == 1, (
        f"expected exactly one {kind.__name__} named «{name}» under {_under(root)}, "
        f"found {len(found)}"
    )
    return found[0]


def visible_children(root: QObject, kind: type[W], name: str) -> list[W]:
    """The widgets of ``kind`` named ``name`` under ``root`` that are on screen now."""
    return [w for w in root.findChildren(kind, name) if w.isVisible()]


def visible_child(root: QObject, kind: type[W], name: str) -> W:
    """The one ``kind`` named ``name`` on screen under ``root`` (a dialog open now)."""
    found = visible_children(root, kind, name)
    assert len(found) == 1, (
        f"expected exactly one visible {kind.__name__} named «{name}» under {_under(root)}, "
        f"found {len(found)}"
    )
    return found[0]


def field_error(field: QWidget) -> QLabel:
    """The «fieldError» line under a form field: every field has one, beside it."""
    holder = field.parentWidget()
    assert holder is not None, f"{_under(field)} is not in a form"
    return child(holder, QLabel, "fieldError")


def page_of(window: MainWindow, kind: type[W], key: str) -> W:
    """The window's page of ``key``, built on first use as when she opens it."""
    built = window.page(key)
    assert isinstance(built, kind), f"page «{key}» is a {type(built).__name__}"
    return built


def _proxy(view: QAbstractItemView) -> RecordFilterProxy:
    model = view.model()
    assert isinstance(model, RecordFilterProxy), f"{_under(view)} shows no list of records"
    return model


def source_model(view: QAbstractItemView) -> RecordTableModel:
    """The model holding every record behind a table view (what its filter chooses from)."""
    source = _proxy(view).sourceModel()
    assert isinstance(source, RecordTableModel)
    return source


def _typed(records: list[object], kind: type[T]) -> list[T]:
    typed = [r for r in records if isinstance(r, kind)]
    assert len(typed) == len(records), f"not every record is a {kind.__name__}"
    return typed


def shown_records(view: QAbstractItemView, kind: type[T]) -> list[T]:
    """The records a table view shows, in their on-screen order."""
    proxy = _proxy(view)
    return _typed([proxy.record_at(proxy.index(r, 0)) for r in range(proxy.rowCount())], kind)


def all_records(view: QAbstractItemView, kind: type[T]) -> list[T]:
    """Every record behind a table view, in the order it was given (whatever is filtered)."""
    return _typed(list(source_model(view).records()), kind)


def on_screen_text() -> str:
    """Everything a person could read on screen now: labels, fields and table cells."""
    seen = []
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QLineEdit):
            seen.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            seen.append(widget.toPlainText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model, top = widget.model(), QModelIndex()
            try:
                columns = model.columnCount(top)
            except TypeError:  # a list's model keeps it private: one column
                columns = 1
            seen += [
                str(model.index(r, c).data())
                for r in range(model.rowCount(top))
                for c in range(columns)
            ]
    return "\n".join(seen)
