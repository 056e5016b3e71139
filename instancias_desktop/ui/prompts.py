"""Yes-or-no questions in Spanish, «No» the default: the careful answer is the one Enter gives."""

from PySide6.QtWidgets import QMessageBox, QWidget


def question(
    parent: QWidget,
    *,
    name: str,
    title: str,
    text: str,
    yes: str,
    no: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> QMessageBox:
    """A message box answered by ``yes`` or ``no`` (their own words, not Qt's «Yes»/«No»)."""
    box = QMessageBox(
        icon, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent
    )
    box.setObjectName(name)
    box.button(QMessageBox.StandardButton.Yes).setText(yes)
    box.button(QMessageBox.StandardButton.No).setText(no)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box
