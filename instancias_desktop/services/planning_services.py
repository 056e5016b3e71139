"""The follow-up and planning half of an opened profile's services (implements planning_api)."""

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.documents import ExportedList
from instancias_desktop.domain.enums import AuditAction
from instancias_desktop.domain.follow_ups import AgreementLine, FollowUpInput
from instancias_desktop.domain.home import DUE_DAYS, DayOverview, overview
from instancias_desktop.domain.plan import PlannedVisit
from instancias_desktop.domain.priority_views import PriorityReport, RankedLine, WeightsInForce
from instancias_desktop.domain.territory_figures import FiguresImport
from instancias_desktop.domain.visit_views import VisitSummary
from instancias_desktop.services import exports, follow_ups, plan, priority, visits
from instancias_desktop.settings import Settings
from instancias_desktop.tables.table import Table


class PlanningServices:
    """Implements the follow-up, export, priority and plan protocols over the profile."""

    database: Database
    settings: Settings

    def today(self) -> dt.date:
        """The civil date in Peru by the profile's clock."""
        return peru_today(self.database.clock())

    # ------------------------------------------------------------ agreements
    def agreement_lines(self) -> tuple[AgreementLine, ...]:
        """Every agreement with its state today."""
        return follow_ups.agreement_lines(self.database)

    def agreements_to_follow(self, visit_id: uuid.UUID) -> tuple[AgreementLine, ...]:
        """Open agreements of earlier visits to the visit's instancia."""
        return follow_ups.open_agreements_for_visit(self.database, visit_id)

    def record_follow_up(
        self, agreement_id: uuid.UUID, data: FollowUpInput, visit_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        """Append progress on an agreement."""
        return follow_ups.record_follow_up(self.database, agreement_id, data, visit_id)

    # --------------------------------------------------------------- exports
    def export_agreements(self, lines: Sequence[AgreementLine], target: Path) -> ExportedList:
        """The agreements given, as .xlsx or .csv."""
        return self._export(exports.agreements_table(lines), target)

    def export_ranking(self, lines: Sequence[RankedLine], target: Path) -> ExportedList:
        """The ranking given, as .xlsx or .csv."""
        return self._export(exports.ranking_table(lines), target)

    def export_plan(self, planned: Sequence[PlannedVisit], target: Path) -> ExportedList:
        """The plan given, as .xlsx or .csv."""
        return self._export(exports.plan_table(planned), target)

    def export_visits(self, visits: Sequence[VisitSummary], target: Path) -> ExportedList:
        """The visits given, with their acta state, as .xlsx or .csv."""
        return self._export(exports.visits_table(visits), target)

    def _export(self, table: Table, target: Path) -> ExportedList:
        """Write the table, and note in the audit trail which list left the laptop."""
        written = exports.write_table(table, target)
        with self.database.unit_of_work(record=False) as uow:
            uow.audit.note(
                AuditAction.EXPORTED, lista=table.title, filas=len(table.rows),
                formato=written.suffix.lstrip("."),
                datos_personales=len(table.personal_data),
            )  # fmt: skip
            uow.commit()
        return ExportedList(written, table.personal_data)

    # -------------------------------------------------------------- priority
    def priority_report(self) -> PriorityReport:
        """The ranking of the user's territories."""
        return priority.priority_report(self.database)

    def set_weights(self, raw: Mapping[str, object]) -> WeightsInForce:
        """A supervisor's weights."""
        return priority.set_weights(self.database, raw)

    def import_figures(self, source: Path) -> FiguresImport:
        """Load territory figures from a CSV."""
        return priority.import_figures(self.database, source)

    # ------------------------------------------------------------------ plan
    def planned_visits(self) -> tuple[PlannedVisit, ...]:
        """The plan by date and route order."""
        return plan.planned_visits(self.database)

    def add_to_plan(
        self, instancia_ids: Sequence[uuid.UUID], planned_on: dt.date, note: str = ""
    ) -> tuple[uuid.UUID, ...]:
        """Plan visits on a date."""
        return plan.add_to_plan(self.database, instancia_ids, planned_on, note)

    def reschedule_planned(self, entry_id: uuid.UUID, planned_on: dt.date, note: str) -> None:
        """Change a planned visit's date and note."""
        plan.reschedule(self.database, entry_id, planned_on, note)

    def move_planned(self, entry_id: uuid.UUID, offset: int) -> None:
        """Earlier or later in the day's route."""
        plan.move(self.database, entry_id, offset)

    def remove_planned(self, entry_id: uuid.UUID) -> None:
        """Take a visit off the plan."""
        plan.remove(self.database, entry_id)

    def start_planned_visit(self, entry_id: uuid.UUID) -> uuid.UUID:
        """The draft of a planned visit."""
        return plan.start_planned_visit(self.database, self.settings, entry_id)

    def day_overview(self) -> DayOverview:
        """The home page's contents."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415

        return overview(
            self.today(),
            plan.planned_visits(self.database),
            visits.unfinished_of(self.database, self.database.actor),
            follow_ups.agreements_due(self.database, DUE_DAYS),
            synchronization.sync_status(self.database),
        )
