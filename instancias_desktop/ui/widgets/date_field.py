"""A date field typed as dd/mm/aaaa (or pasted), with a calendar for those who prefer to pick.

Qt's QDateEdit edits one section at a time: typing «28/02/2027» into it gave 28/01/2027, the
month and year silently dropped. This field keeps the text as typed, reads it strictly when it
is needed (`typed_input.parse_day`) and says what is wrong instead of guessing.
"""

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from instancias_desktop.i18n import _
from instancias_desktop.ui.widgets.typed_input import FieldInputError, format_day, parse_day

_OPEN_KEYS = (Qt.Key.Key_F4,)


class DateField(QWidget):
    """A line for dd/mm/aaaa and a calendar button (F4 or Alt+↓ opens it)."""

    edited = Signal()  # the user typed, pasted or picked a date

    def __init__(
        self, day: dt.date | None = None, *, optional: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._optional = optional
        self.line = QLineEdit(format_day(day), maxLength=24)
        self.line.setObjectName("dateLine")  # one in every date field: found within it
        self.line.setPlaceholderText(_("dd/mm/aaaa"))
        self.line.setToolTip(_("Escriba la fecha como dd/mm/aaaa; F4 abre el calendario"))
        self.line.textEdited.connect(lambda _t: self.edited.emit())
        self.line.editingFinished.connect(self._tidy)
        self.line.installEventFilter(self)
        self.calendar_button = QToolButton()
        self.calendar_button.setText("▾")
        self.calendar_button.setAccessibleName(_("Elegir la fecha en el calendario"))
        self.calendar_button.setToolTip(_("Elegir en el calendario (F4)"))
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.clicked.connect(self.open_calendar)
        self.calendar: QCalendarWidget | None = None  # built when first opened
        self._menu: QMenu | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.calendar_button)
        self.setFocusProxy(self.line)
        self.line.setMinimumWidth(self.line.fontMetrics().horizontalAdvance("00/00/00000") + 16)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802
        """The name belongs to the line a screen reader lands on."""
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)

    def setAccessibleDescription(self, description: str) -> None:  # noqa: N802
        """The description belongs to the line too, with how to type the date there."""
        super().setAccessibleDescription(description)
        self.line.setAccessibleDescription(f"{description} {self.line.toolTip()}")

    def text(self) -> str:
        """What the field holds, as typed."""
        return self.line.text()

    def read(self, field: str = "") -> dt.date | None:
        """The date typed; FieldInputError (naming ``field``) if it cannot be read as typed."""
        try:
            return parse_day(self.line.text(), optional=self._optional)
        except FieldInputError as error:
            raise FieldInputError(error.message, field) from None

    def day(self, field: str = "") -> dt.date:
        """The date typed, which must be there."""
        value = self.read(field)
        if value is None:
            raise FieldInputError(_("Escriba la fecha como dd/mm/aaaa."), field)
        return value

    def set_day(self, day: dt.date | None) -> None:
        """Show a stored date (the user is not editing: nothing is emitted)."""
        self.line.setText(format_day(day))

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802
        """A locked date can be read and copied, not changed."""
        self.line.setReadOnly(read_only)
        self.calendar_button.setEnabled(not read_only)

    def isReadOnly(self) -> bool:  # noqa: N802
        """Whether the date cannot be changed."""
        return self.line.isReadOnly()

    def open_calendar(self) -> None:
        """Show the calendar on the date typed (today if none can be read)."""
        if self.line.isReadOnly() or not self.isEnabled():
            return
        try:
            shown = self.read() or dt.date.today()
        except FieldInputError:
            shown = dt.date.today()
        calendar, menu = self._calendar()
        calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        menu.popup(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.setFocus()

    def _calendar(self) -> tuple[QCalendarWidget, QMenu]:
        if self.calendar is None or self._menu is None:
            self.calendar = QCalendarWidget()
            self.calendar.setObjectName("dateCalendar")
            self.calendar.setGridVisible(True)
            self.calendar.setLocale(self.locale())
            self.calendar.clicked.connect(self._picked)
            self.calendar.activated.connect(self._picked)
            self._menu = QMenu(self)
            action = QWidgetAction(self._menu)
            action.setDefaultWidget(self.calendar)
            self._menu.addAction(action)
        return self.calendar, self._menu

    def _picked(self, chosen: QDate) -> None:
        if self._menu is not None:
            self._menu.close()
        self.line.setText(format_day(dt.date(chosen.year(), chosen.month(), chosen.day())))
        self.line.setFocus()
        self.edited.emit()

    def _tidy(self) -> None:
        """A readable date is shown in the one format (5-3-2027 becomes 05/03/2027)."""
        try:
            value = self.read()
        except FieldInputError:
            return  # left as typed: the form says what is wrong
        tidy = format_day(value)
        if tidy != self.line.text():
            self.line.setText(tidy)

    def eventFilter(self, watched: object, event: object) -> bool:  # noqa: N802
        """F4 or Alt+↓ opens the calendar, as in a drop-down list."""
        if (
            watched is self.line
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
        ):
            alt_down = (
                event.key() == Qt.Key.Key_Down
                and event.modifiers() == Qt.KeyboardModifier.AltModifier
            )
            if event.key() in _OPEN_KEYS or alt_down:
                self.open_calendar()
                return True
        return False
