"""A tab of the visit editor that lists records with its action buttons beside the table."""

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from instancias_desktop.i18n import _
from instancias_desktop.ui.key_names import key_label
from instancias_desktop.ui.models.record_model import Column
from instancias_desktop.ui.widgets.record_table import RecordTable


class ListSection(QWidget):
    """Table plus buttons; buttons that act on a row are enabled only when one is selected.

    ``object_name`` names the section; its table and buttons are named after it
    («participantsTable», «participantsAdd»), so each is unique in the window. ``description``
    says what the table lists and which keys act on it; each button's ``tip`` says what it does.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        name: str,
        parent: QWidget | None = None,
        *,
        object_name: str,
        description: str,
        **options: Any,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        # Not sortable: the list's own order (attendance, agreement numbers) is meaningful.
        self.table = RecordTable(
            columns, name, description=description, sortable=False, parent=self, **options
        )
        self.table.setObjectName(f"{object_name}Table")
        self.buttons: dict[str, QPushButton] = {}
        self._row_buttons: list[QPushButton] = []
        self._bar = QVBoxLayout()
        self._bar.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._bar)
        self.table.selectionModel().selectionChanged.connect(self._sync)
        self.table.source.modelReset.connect(self._sync)
        self._editable = True

    def add_moves(self, move: Callable[[int], None], *, what: str) -> None:
        """«Subir» and «Bajar» (Alt+↑/↓) for the selected row; ``what`` it moves, and where."""
        for key, text, step, shortcut, verb in (
            ("up", _("S&ubir"), -1, "Alt+Up", _("Subir")),
            ("down", _("Ba&jar"), 1, "Alt+Down", _("Bajar")),
        ):
            self.add_action(
                key,
                text,
                partial(move, step),
                shortcut=shortcut,
                needs_row=True,
                tip=_("{verb} {what}").format(verb=verb, what=what),
            )

    def add_action(
        self,
        key: str,
        text: str,
        slot: Callable[[], None],
        *,
        tip: str,
        shortcut: str = "",
        needs_row: bool = False,
        widget: QWidget | None = None,
    ) -> QPushButton:
        """A button (with an optional shortcut active in this tab) calling ``slot``.

        ``tip`` is its toolTip, which a screen reader reads as its description; the shortcut
        is added to it.
        """
        if widget is not None:
            self._bar.insertWidget(self._bar.count() - 1, widget)
        button = QPushButton(text)
        button.setObjectName(self.objectName() + key[:1].upper() + key[1:])
        button.setToolTip(f"{tip} ({key_label(shortcut)})" if shortcut else tip)
        if shortcut:

            def guarded() -> None:
                if button.isEnabled():
                    slot()

            # Active only while the focus is in this tab: other tabs use the same keys.
            QShortcut(QKeySequence(shortcut), self, guarded).setContext(
                Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
        button.clicked.connect(lambda _checked: slot())
        self._bar.insertWidget(self._bar.count() - 1, button)
        self.buttons[key] = button
        if needs_row:
            self._row_buttons.append(button)
        self._sync()
        return button

    def set_editable(self, editable: bool, keep: Sequence[str] = ()) -> None:
        """Disable the changing actions of a finalized acta (``keep`` stays usable)."""
        self._editable = editable
        for key, button in self.buttons.items():
            button.setProperty("always", key in keep)
            button.setEnabled(editable or key in keep)
        self._sync()

    def _sync(self, *_args: object) -> None:
        has_row = self.table.selected_record() is not None
        for button in self._row_buttons:
            button.setEnabled(has_row and (self._editable or button.property("always")))
