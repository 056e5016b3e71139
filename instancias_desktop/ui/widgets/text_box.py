"""A multi-line text input for a dialog: Tab moves on (it never types a tab), a few lines tall."""

from PySide6.QtWidgets import QPlainTextEdit


def text_box(text: str = "", lines: int = 3) -> QPlainTextEdit:
    """A plain-text box holding ``text``, about ``lines`` lines tall."""
    box = QPlainTextEdit(text)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 16)
    return box
