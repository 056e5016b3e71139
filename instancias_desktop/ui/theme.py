"""The app's look: the institutional colours, or the system's own under high contrast.

app.qss holds sizes, spacing and focus (drawn in the palette's highlight); colours.qss the
institutional colours. The colours are left out when the system asks for high contrast or
runs a dark theme, so text keeps the contrast the user chose; the style follows a change of
system theme while the app runs.
"""

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

_DARK = 0.5  # a window lighter than this is a light theme


def system_colours_wanted(app: QGuiApplication) -> bool:
    """Whether the system's palette must be kept: high contrast asked for, or a dark theme."""
    hints = app.styleHints()
    if hints.accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast:
        return True
    if hints.colorScheme() == Qt.ColorScheme.Dark:
        return True
    return app.palette().color(QPalette.ColorRole.Window).lightnessF() < _DARK


def alarm_colour() -> QColor | None:
    """Dark red for what must stand out (an overdue agreement), if the palette is a light one.

    None under the system's colours: the text keeps the palette's colour and is bold.
    """
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication) and system_colours_wanted(app):
        return None
    return QColor(0xA1, 0x12, 0x12)  # 7.9:1 on white, 7.2:1 on the alternate row


class Theme(QObject):
    """Applies the style sheets to the application, and again when the system theme changes."""

    def __init__(self, app: QApplication, folder: Path) -> None:
        super().__init__(app)
        self._app = app
        self._layout = (folder / "app.qss").read_text(encoding="utf-8")
        self._colours = (folder / "colours.qss").read_text(encoding="utf-8")
        hints = app.styleHints()
        hints.accessibility().contrastPreferenceChanged.connect(self.apply)
        hints.colorSchemeChanged.connect(self.apply)
        self.apply()

    @classmethod
    def install(cls, app: QApplication, folder: Path) -> "Theme":
        """The application's theme: the one already installed, applied again, or a new one."""
        for existing in app.findChildren(cls):
            existing.apply()
            return existing
        return cls(app, folder)

    @property
    def institutional(self) -> bool:
        """Whether the institutional colours are in use (not the system's)."""
        return not system_colours_wanted(self._app)

    def apply(self) -> None:
        """Set the style sheet that suits the system's theme now."""
        sheet = self._layout + ("\n" + self._colours if self.institutional else "")
        if self._app.styleSheet() != sheet:  # restyling every widget again costs, and is moot
            self._app.setStyleSheet(sheet)
