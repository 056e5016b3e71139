"""Agreements with their follow-up history below, and the button that records progress."""

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from instancias_desktop.domain.follow_ups import AgreementLine
from instancias_desktop.i18n import _, n_
from instancias_desktop.services.planning_api import FollowUpService
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.dialogs.follow_up_dialog import FollowUpDialog
from instancias_desktop.ui.models.agreement_columns import (
    HISTORY_COLUMNS,
    history_tooltip,
    is_overdue,
)
from instancias_desktop.ui.models.record_model import Column
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.widgets.detail_split import detail_split
from instancias_desktop.ui.widgets.list_section import ListSection
from instancias_desktop.ui.widgets.record_table import RecordTable

AREAS = frozenset({Area.AGREEMENTS, Area.VISITS})


class FollowUpPanel(QWidget):
    """The selected agreement's history shows under the list; Ctrl+R records progress.

    ``object_name`` names its list (see ListSection); the panel is «…Panel», the history
    «…History». ``description`` says which agreements the list holds; what Enter does is added.
    """

    open_visit = Signal(object)  # uuid.UUID of the visit an agreement comes from

    def __init__(
        self,
        ops: Operations,
        columns: Sequence[Column],
        name: str,
        *,
        object_name: str,
        description: str,
        search_key: Callable[[Any], str] | None = None,
        enter_opens_origin: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{object_name}Panel")
        self._ops = ops
        self._services: FollowUpService | None = None
        self._visit_id: uuid.UUID | None = None
        self.dialog: FollowUpDialog | None = None
        keys = (
            _(
                "Intro o doble clic abre el acta de origen del acuerdo seleccionado; Ctrl+R "
                "registra un avance."
            )
            if enter_opens_origin
            else _("Intro, doble clic o Ctrl+R registran un avance del acuerdo seleccionado.")
        )
        self.section = ListSection(
            columns,
            name,
            search_key=search_key,
            alarming=is_overdue,
            parent=self,
            object_name=object_name,
            description=f"{description} {keys}",
        )
        self.table = self.section.table
        self.section.add_action(
            "record",
            _("Registrar &avance…"),
            self.record,
            shortcut="Ctrl+R",
            needs_row=True,
            tip=_(
                "Registrar cómo avanzó el acuerdo seleccionado: la fecha, el estado alcanzado "
                "y su medio de verificación"
            ),
        )
        self.section.add_action(
            "origin",
            _("Abrir acta de &origen"),
            self._open_origin,
            needs_row=True,
            tip=_("Abrir el acta de la visita donde se tomó el acuerdo seleccionado"),
        )
        self.history_title = QLabel(_("Historial del acuerdo seleccionado"))
        self.history_title.setObjectName("sectionTitle")
        self.history = RecordTable(
            HISTORY_COLUMNS,
            _("Historial del acuerdo"),
            description=_(
                "Los seguimientos del acuerdo seleccionado arriba, del primero al último: "
                "fecha, estado alcanzado, nuevo plazo, medio de verificación y quién lo registró."
            ),
            sortable=False,
            tooltip=history_tooltip,
        )
        self.history.setObjectName(f"{object_name}History")
        splitter = detail_split(self.section, self.history_title, self.history, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.table.selectionModel().selectionChanged.connect(self._show_history)
        self.table.source.modelReset.connect(self._show_history)
        # Enter records progress inside a visit; on the agreements page it opens the acta.
        self.table.opened.connect(self._open_origin if enter_opens_origin else self.record)

    def attach(self, services: FollowUpService, visit_id: uuid.UUID | None = None) -> None:
        """Record progress through ``services``; inside a visit, as part of that visit."""
        self._services = services
        self._visit_id = visit_id

    def set_lines(self, lines: Sequence[AgreementLine]) -> None:
        """Show these agreements (the selection stays on the same agreement)."""
        self.table.set_records(lines)

    def set_editable(self, editable: bool) -> None:
        """A finalized visit shows what was recorded in it, read-only."""
        self.section.set_editable(editable, keep=("origin",))

    def _show_history(self, *_args: object) -> None:
        line: AgreementLine | None = self.table.selected_record()
        self.history.set_records(line.history if line is not None else ())
        if line is None:
            self.history_title.setText(_("Historial del acuerdo seleccionado"))
            return
        self.history_title.setText(
            _("Historial del acuerdo N° {n} del acta {acta}: {count}").format(
                n=line.number,
                acta=line.acta_number,
                count=n_("{n} seguimiento", "{n} seguimientos", len(line.history)),
            )
        )

    def record(self, *_args: object) -> None:
        """Open the follow-up dialog on the selected agreement."""
        line: AgreementLine | None = self.table.selected_record()
        services = self._services
        if services is None or line is None or not self.section.buttons["record"].isEnabled():
            return
        self.dialog = FollowUpDialog(
            self._ops, services, line, today=services.today(), visit_id=self._visit_id, parent=self
        )
        self.dialog.accepted.connect(lambda: self._ops.announce(AREAS))
        self.dialog.open()

    def _open_origin(self, *_args: object) -> None:
        line: AgreementLine | None = self.table.selected_record()
        if line is not None:
            self.open_visit.emit(line.visit_id)
