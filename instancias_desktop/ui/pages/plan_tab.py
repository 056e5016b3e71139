"""The visit plan: by date and route order; a planned visit opens as a pre-filled draft."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from instancias_desktop.domain.documents import ExportedList
from instancias_desktop.domain.plan import PlannedVisit
from instancias_desktop.i18n import _, n_
from instancias_desktop.services.planning_api import ExportService, PlanService
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.dialogs.plan_dialog import PlanDialog
from instancias_desktop.ui.exports import ExportChooser
from instancias_desktop.ui.models.priority_columns import PLAN_COLUMNS
from instancias_desktop.ui.ops import Latest, Operations
from instancias_desktop.ui.widgets.list_section import ListSection


class PlanServices(PlanService, ExportService, Protocol):
    """What the plan tab uses."""


class PlanTab(QWidget):
    """Enter starts (or reopens) the visit; Alt+Up/Down change the route; Del takes it off."""

    loaded = Signal()
    open_visit = Signal(object)  # uuid.UUID

    def __init__(
        self, ops: Operations, choose_target: ExportChooser, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("planTab")
        self._ops = ops
        self._choose_target = choose_target
        self._services: PlanServices | None = None
        self._loads = Latest(ops, self)
        self.today = dt.date.today()  # replaced by the profile's date on attach
        self.dialog: PlanDialog | None = None
        self.section = ListSection(
            PLAN_COLUMNS,
            _("Plan de visitas"),
            object_name="plan",
            description=_(
                "Las visitas planificadas, por fecha y orden de ruta. Intro o doble clic inicia "
                "la visita seleccionada; Alt+↑ y Alt+↓ cambian su orden en el día; Supr la quita "
                "del plan."
            ),
        )
        s = self.section
        s.add_action(
            "start",
            _("&Iniciar visita"),
            self.start_visit,
            needs_row=True,
            tip=_(
                "Abrir el borrador de la visita seleccionada; la primera vez se crea con la "
                "nota del plan como objetivo (también Intro en la lista)"
            ),
        )
        s.add_action(
            "edit",
            _("Cambiar &fecha o nota…"),
            self.edit,
            needs_row=True,
            tip=_("Cambiar el día o la nota de la visita planificada seleccionada"),
        )
        s.add_moves(self.move_planned, what=_("la visita seleccionada en la ruta de su día"))
        s.add_action(
            "remove",
            _("&Quitar del plan"),
            self.remove,
            shortcut="Del",
            needs_row=True,
            tip=_("Quitar la visita seleccionada del plan"),
        )
        s.add_action(
            "export",
            _("E&xportar…"),
            self.export,
            tip=_("Guardar el plan de visitas en Excel (.xlsx) o CSV"),
        )
        s.table.opened.connect(lambda _p: self.start_visit())
        self.status = QLabel()
        self.status.setWordWrap(True)  # an export names its file and what it holds
        self.status.setObjectName("pageStatus")
        layout = QVBoxLayout(self)
        layout.addWidget(self.section, 1)
        layout.addWidget(self.status)

    def attach(self, services: PlanServices) -> None:
        """Work on an opened profile."""
        self._services = services
        self.today = services.today()

    def reload(self) -> None:
        """Read the plan again."""
        services = self._services
        if services is not None:
            self._loads.run(services.planned_visits, self._show)

    def _show(self, planned: tuple[PlannedVisit, ...]) -> None:
        self.section.table.set_records(planned)
        days = len({p.entry.planned_on for p in planned})
        self.status.setText(
            n_("{n} visita planificada", "{n} visitas planificadas", len(planned))
            + " "
            + n_("en {n} día", "en {n} días", days)
            if planned
            else _("El plan está vacío: elija instancias en «Orden de prioridad» y agréguelas.")
        )
        self.loaded.emit()

    def _selected(self) -> PlannedVisit | None:
        selected: PlannedVisit | None = self.section.table.selected_record()
        return selected

    def _run(self, work: Callable[[], object]) -> None:
        self._ops.run(work, lambda _r: self._ops.announce({Area.PLAN}), owner=self)

    def start_visit(self) -> None:
        """Open the planned visit's draft (created pre-filled the first time)."""
        services, planned = self._services, self._selected()
        if services is None or planned is None:
            return
        entry_id = planned.id

        def started(visit_id: uuid.UUID) -> None:
            self._ops.announce({Area.PLAN, Area.VISITS})
            self.open_visit.emit(visit_id)

        self._ops.run(lambda: services.start_planned_visit(entry_id), started, owner=self)

    def edit(self) -> None:
        """Change the date or the note of the selected planned visit."""
        services, planned = self._services, self._selected()
        if services is None or planned is None:
            return
        entry = planned.entry
        self.dialog = PlanDialog(
            self._ops,
            services,
            names=[planned.instancia_name],
            today=self.today,
            entry=(entry.id, entry.planned_on, entry.note),
            parent=self,
        )
        self.dialog.accepted.connect(lambda: self._ops.announce({Area.PLAN}))
        self.dialog.open()

    def move_planned(self, offset: int) -> None:
        """Earlier or later in the day's route."""
        services, planned = self._services, self._selected()
        if services is not None and planned is not None:
            entry_id = planned.id
            self._run(lambda: services.move_planned(entry_id, offset))

    def remove(self) -> None:
        """Take the selected visit off the plan."""
        services, planned = self._services, self._selected()
        if services is not None and planned is not None:
            entry_id = planned.id
            self._run(lambda: services.remove_planned(entry_id))

    def export(self) -> None:
        """Save the plan to Excel or CSV."""
        services = self._services
        if services is None:
            return
        target = self._choose_target(self, f"plan-de-visitas-{self.today.isoformat()}.xlsx")
        if target is None:
            return
        planned = self.section.table.source.records()

        def done(exported: ExportedList) -> None:
            self.status.setText(exported.message)

        self._ops.run(lambda: services.export_plan(planned, target), done, owner=self)
