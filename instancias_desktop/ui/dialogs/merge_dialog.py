"""Write the value that reunites both sides of a conflict: both texts in view, room to write."""

from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.conflict_views import ConflictView
from instancias_desktop.i18n import _

MIN_WIDTH, MIN_HEIGHT = 720, 480  # fits 1280x720 with room; a long text needs the width


def _text_box(text: str, *, read_only: bool, name: str) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setObjectName(name)
    box.setReadOnly(read_only)
    box.setTabChangesFocus(True)
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    box.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    return box


class MergeDialog(QDialog):
    """Both values side by side (who wrote each, on which laptop) over the value to keep."""

    def __init__(self, conflict: ConflictView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(_("Escribir el valor que debe quedar"))
        self.setMinimumSize(MIN_WIDTH, MIN_HEIGHT)
        heading = QLabel(
            _("«{field}» de {subject}. Escriba abajo el valor que reúne ambos.").format(
                field=conflict.field_label, subject=conflict.subject
            ),
            wordWrap=True,
        )
        self.current = _text_box(conflict.current, read_only=True, name="mergeCurrent")
        self.mine = _text_box(conflict.mine, read_only=True, name="mergeMine")
        self.current.setAccessibleName(_("Valor actual en el servidor"))
        self.current.setAccessibleDescription(
            _("El valor que conservó el servidor ({who}); solo se lee.").format(
                who=conflict.current_source
            )
        )
        self.mine.setAccessibleName(_("Su valor apartado"))
        self.mine.setAccessibleDescription(
            _("Su valor, que quedó apartado ({who}); solo se lee.").format(who=conflict.mine_source)
        )
        initial = conflict.mine if conflict.mine != "—" else conflict.current
        self.merged = _text_box(initial, read_only=False, name="mergeText")
        self.merged.setAccessibleName(_("Valor que debe quedar"))
        self.merged.setAccessibleDescription(
            _("Escriba aquí el valor que reúne ambos. Tab avanza al siguiente campo o botón.")
        )
        sides = QGridLayout()
        for column, (caption, box) in enumerate(
            (
                (_("Valor actual: {who}").format(who=conflict.current_source), self.current),
                (_("Su valor apartado: {who}").format(who=conflict.mine_source), self.mine),
            )
        ):
            label = QLabel(caption, wordWrap=True)
            label.setBuddy(box)
            sides.addWidget(label, 0, column)
            sides.addWidget(box, 1, column)
        merged_label = QLabel(_("&Valor que debe quedar:"))
        merged_label.setBuddy(self.merged)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(_("&Guardar"))
        save.setToolTip(
            _("Dejar este valor en lugar de los dos; se comunica al servidor al sincronizar")
        )
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("&Cancelar"))
        cancel.setToolTip(_("Cerrar sin resolver el conflicto (Esc)"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(sides, 1)
        layout.addWidget(merged_label)
        layout.addWidget(self.merged, 2)
        layout.addWidget(buttons)
        self.merged.setFocus()

    def text(self) -> str:
        """The value written."""
        return self.merged.toPlainText()
