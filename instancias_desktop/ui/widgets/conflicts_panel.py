"""The conflicts to resolve: both values, who wrote them, and the three ways out."""

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.conflict_views import ConflictChoice, ConflictView
from instancias_desktop.i18n import _
from instancias_desktop.ui.dialogs.merge_dialog import MergeDialog
from instancias_desktop.ui.models.record_model import Column
from instancias_desktop.ui.widgets.record_table import RecordTable

TextAsker = Callable[[QWidget, ConflictView], str | None]
CONFLICT_COLUMNS = (
    Column(_("Registro"), lambda c: c.subject, max_width=300),
    Column(_("Campo"), lambda c: c.field_label),
    Column(_("Valor al empezar"), lambda c: c.base, max_width=180),
    Column(_("Valor actual"), lambda c: f"{c.current} ({c.current_source})", max_width=220),
    Column(_("Mi valor (apartado)"), lambda c: f"{c.mine} ({c.mine_source})", max_width=220),
    Column(_("Hecho el"), lambda c: c.made_at.astimezone().strftime("%d/%m/%Y %H:%M")),
)


def ask_with_dialog(parent: QWidget, conflict: ConflictView) -> str | None:
    """Ask for the merged value (None when cancelled)."""
    dialog = MergeDialog(conflict, parent)
    try:
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


class ConflictsPanel(QWidget):
    """Lists the open conflicts; the buttons act on the selected one."""

    chosen = Signal(object, object, str)  # conflict_id, ConflictChoice, merged text

    def __init__(self, ask_text: TextAsker = ask_with_dialog, parent: QWidget | None = None):
        super().__init__(parent)
        self._ask_text = ask_text
        self.table = RecordTable(
            CONFLICT_COLUMNS,
            _("Conflictos"),
            description=_(
                "Campos cambiados a la vez en este equipo y en otro: el valor que conservó el "
                "servidor y el suyo, apartado. Los botones de abajo resuelven el seleccionado."
            ),
            parent=self,
        )
        self.detail = QLabel(wordWrap=True)
        self.keep_button = QPushButton(_("Conservar el valor &actual"))
        self.mine_button = QPushButton(_("Usar &mi valor"))
        self.text_button = QPushButton(_("Escribir &otro valor…"))
        for button, tip in (
            (self.keep_button, _("Dejar el valor que conservó el servidor y descartar el suyo")),
            (self.mine_button, _("Reemplazar el valor del servidor por el suyo, apartado")),
            (self.text_button, _("Escribir un valor que reúna ambos, con los dos a la vista")),
        ):
            button.setToolTip(
                tip + " " + _("(se comunica al servidor en la próxima sincronización)")
            )
        for widget, name in (
            (self.table, "conflictsTable"),
            (self.detail, "conflictDetail"),
            (self.keep_button, "keepCurrentValue"),
            (self.mine_button, "useMyValue"),
            (self.text_button, "writeOtherValue"),
        ):
            widget.setObjectName(name)
        self.keep_button.clicked.connect(lambda _c: self._choose(ConflictChoice.KEEP_CURRENT))
        self.mine_button.clicked.connect(lambda _c: self._choose(ConflictChoice.USE_MINE))
        self.text_button.clicked.connect(lambda _c: self._choose(ConflictChoice.USE_TEXT))
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        buttons = QHBoxLayout()
        for button in (self.keep_button, self.mine_button, self.text_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self._selected()

    def show_conflicts(self, conflicts: tuple[ConflictView, ...]) -> None:
        """Replace the list; the first conflict is selected."""
        self.table.set_records(conflicts)
        if conflicts and self.table.selected_record() is None:
            self.table.selectRow(0)
        self._selected()

    def _selected(self) -> None:
        conflict: ConflictView | None = self.table.selected_record()
        self.keep_button.setEnabled(conflict is not None)
        self.mine_button.setEnabled(conflict is not None and conflict.can_change)
        self.text_button.setEnabled(conflict is not None and conflict.takes_text)
        if conflict is None:
            self.detail.setText(_("No hay conflictos por resolver."))
            return
        self.detail.setText(
            conflict.reason
            or _(
                "«{field}» de {subject}: el servidor conservó «{current}» ({author}); su valor "
                "«{mine}» ({mine_source}) quedó apartado. Elija cuál queda, o escriba uno que "
                "reúna ambos."
            ).format(
                field=conflict.field_label,
                subject=conflict.subject,
                current=conflict.current,
                author=conflict.current_source,
                mine=conflict.mine,
                mine_source=conflict.mine_source,
            )
        )

    def _choose(self, choice: ConflictChoice) -> None:
        conflict: ConflictView | None = self.table.selected_record()
        if conflict is None:
            return
        text = ""
        if choice is ConflictChoice.USE_TEXT:
            asked = self._ask_text(self, conflict)
            if asked is None:
                return
            text = asked
        self.chosen.emit(conflict.conflict_id, choice, text)
