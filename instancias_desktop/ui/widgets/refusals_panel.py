"""What the server refused, as she typed it and why; and what arrived but could not be stored.

A refused change is never left looking valid: the record shows the server's version again,
and the change waits here until she copies it, sends it again (the cause was fixed: her
supervisor extended her territory) or dismisses it.
"""

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.sync_views import ParkedView, RefusalView
from instancias_desktop.i18n import _
from instancias_desktop.ui.models.record_model import Column
from instancias_desktop.ui.widgets.record_table import RecordTable

REFUSAL_COLUMNS = (
    Column(_("Hecho el"), lambda r: r.made_at.astimezone().strftime("%d/%m/%Y %H:%M")),
    Column(_("Registro"), lambda r: r.record, max_width=300),
    Column(_("Cambio"), lambda r: r.change),
    Column(_("Lo que escribió"), lambda r: r.typed, max_width=300),
    Column(_("Motivo del servidor"), lambda r: r.reason, max_width=520),
)
PARKED_COLUMNS = (
    Column(_("Registro recibido"), lambda p: p.record, max_width=360),
    Column(_("Por qué aún no se guardó"), lambda p: p.reason, max_width=620),
)


class RefusalsPanel(QWidget):
    """The refusals, with copy, send again and dismiss; below, the records still waiting."""

    resend = Signal(object)  # list of op ids
    dismiss = Signal(object)  # list of op ids

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = QLabel(
            _(
                "Cambios que el servidor no aceptó. El registro volvió a mostrar la versión del "
                "servidor; aquí queda lo que usted escribió. Corrija la causa y «Reenviar», o "
                "«Descartar» si ya no hace falta."
            ),
            wordWrap=True,
        )
        self.table = RecordTable(
            REFUSAL_COLUMNS,
            _("Cambios rechazados"),
            description=_(
                "Los cambios que el servidor no aceptó, con lo que usted escribió y el motivo. "
                "Con Mayús o Ctrl se eligen varios; los botones de abajo actúan sobre los "
                "elegidos."
            ),
            parent=self,
        )
        self.table.setObjectName("refusalsTable")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.detail = QLabel(wordWrap=True)
        self.detail.setObjectName("refusalDetail")
        self.copy_button = QPushButton(_("&Copiar lo escrito"))
        self.copy_button.setObjectName("copyRefusal")
        self.copy_button.setToolTip(
            _(
                "Copiar al portapapeles lo que usted escribió en los cambios elegidos, para no "
                "perderlo"
            )
        )
        self.resend_button = QPushButton(_("&Reenviar"))
        self.resend_button.setObjectName("resendRefusal")
        self.resend_button.setToolTip(
            _(
                "Enviar otra vez los cambios elegidos en la próxima sincronización, una vez "
                "corregida la causa del rechazo"
            )
        )
        self.dismiss_button = QPushButton(_("&Descartar"))
        self.dismiss_button.setObjectName("dismissRefusal")
        self.dismiss_button.setToolTip(
            _(
                "Dar por leídos los rechazos elegidos: se quitan de la lista y el equipo deja de "
                "figurar como pendiente por ellos"
            )
        )
        self.copy_button.clicked.connect(lambda _c: self.copy())
        self.resend_button.clicked.connect(lambda _c: self.resend.emit(self._chosen_ids()))
        self.dismiss_button.clicked.connect(lambda _c: self.dismiss.emit(self._chosen_ids()))
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        buttons = QHBoxLayout()
        for button in (self.copy_button, self.resend_button, self.dismiss_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.parked_title = QLabel()
        self.parked = RecordTable(
            PARKED_COLUMNS,
            _("Registros recibidos sin guardar"),
            description=_(
                "Lo que llegó del servidor y este equipo aún no pudo guardar, con el motivo; se "
                "intenta de nuevo en cada sincronización."
            ),
            parent=self,
        )
        self.parked.setObjectName("parkedTable")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        layout.addWidget(self.parked_title)
        layout.addWidget(self.parked, 1)
        self._selected()

    def show_lists(self, refusals: tuple[RefusalView, ...], parked: tuple[ParkedView, ...]) -> None:
        """Replace both lists."""
        self.table.set_records(refusals)
        if refusals and not self.table.selected_records():
            self.table.selectRow(0)
        self.parked.set_records(parked)
        self.parked_title.setText(
            _(
                "Recibidos del servidor que este equipo aún no pudo guardar ({n}): se intentan "
                "de nuevo en cada sincronización."
            ).format(n=len(parked))
            if parked
            else _("Todo lo recibido del servidor está guardado en este equipo.")
        )
        self.parked.setVisible(bool(parked))
        self._selected()

    def chosen(self) -> list[RefusalView]:
        """The refusals selected."""
        return list(self.table.selected_records())

    def copy(self) -> str:
        """Put the selected refusals, as text, on the clipboard; answer that text."""
        text = "\n\n".join(refusal.as_text() for refusal in self.chosen())
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def _chosen_ids(self) -> list[object]:
        return [refusal.op_id for refusal in self.chosen()]

    def _selected(self) -> None:
        chosen = self.chosen()
        for button in (self.copy_button, self.resend_button, self.dismiss_button):
            button.setEnabled(bool(chosen))
        if not chosen:
            self.detail.setText(_("No hay cambios rechazados."))
            return
        first = chosen[0]
        self.detail.setText(
            _("{record} — {change}: {typed}\nMotivo: {reason}").format(
                record=first.record,
                change=first.change,
                typed=first.typed or "—",
                reason=first.reason,
            )
        )
