"""A navigation entry whose screen arrives in a later version: says so, plainly."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from instancias_desktop.i18n import _


class PlaceholderPage(QWidget):
    """Title and a short honest note instead of an empty screen."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        note = QLabel(
            description + "\n\n" + _("Esta sección estará disponible en una próxima versión."),
            wordWrap=True,
        )
        note.setObjectName("placeholderNote")
        note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(note, 1)
