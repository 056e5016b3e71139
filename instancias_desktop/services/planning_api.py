"""What the screens may ask of follow-up and planning (protocols: no database, no files).

Kept apart from their implementation (planning_services) so that the main window can be
built, and painted, before SQLAlchemy, openpyxl or the sync client are imported.
"""

from __future__ import annotations  # the domain types below are only named, not loaded

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from instancias_desktop.domain.documents import ExportedList
    from instancias_desktop.domain.follow_ups import AgreementLine, FollowUpInput
    from instancias_desktop.domain.home import DayOverview
    from instancias_desktop.domain.plan import PlannedVisit
    from instancias_desktop.domain.priority_views import PriorityReport, RankedLine, WeightsInForce
    from instancias_desktop.domain.territory_figures import FiguresImport
    from instancias_desktop.domain.visit_views import VisitSummary


class Calendar(Protocol):
    """The profile's date, for the defaults of date fields."""

    def today(self) -> dt.date:
        """The civil date in Peru by the profile's clock."""
        ...


class FollowUpService(Calendar, Protocol):
    """Agreements across visits and their follow-up."""

    def agreement_lines(self) -> tuple[AgreementLine, ...]:
        """Every agreement with its state today, for the agreements page."""
        ...

    def agreements_to_follow(self, visit_id: uuid.UUID) -> tuple[AgreementLine, ...]:
        """Open agreements of earlier visits to the visit's instancia."""
        ...

    def record_follow_up(
        self, agreement_id: uuid.UUID, data: FollowUpInput, visit_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        """Append progress on an agreement (ValidationError with every field error)."""
        ...


class ExportService(Protocol):
    """Lists saved to Excel or CSV, in the format the file name says."""

    def export_agreements(self, lines: Sequence[AgreementLine], target: Path) -> ExportedList:
        """The agreements given."""
        ...

    def export_ranking(self, lines: Sequence[RankedLine], target: Path) -> ExportedList:
        """The ranking given, with each criterion's points."""
        ...

    def export_plan(self, planned: Sequence[PlannedVisit], target: Path) -> ExportedList:
        """The plan given."""
        ...

    def export_visits(self, visits: Sequence[VisitSummary], target: Path) -> ExportedList:
        """The visits given, with the state of each acta."""
        ...


class PriorityService(Protocol):
    """The ranking, its weights and the territory figures behind it."""

    def priority_report(self) -> PriorityReport:
        """The instancias of the user's territories, most in need first."""
        ...

    def set_weights(self, raw: Mapping[str, object]) -> WeightsInForce:
        """A supervisor's weights (WeightsError, WeightsLockedError)."""
        ...

    def import_figures(self, source: Path) -> FiguresImport:
        """Load a CSV of territory figures; kept only when every row is right."""
        ...


class PlanService(Calendar, Protocol):
    """The visit plan of the coming weeks."""

    def planned_visits(self) -> tuple[PlannedVisit, ...]:
        """The plan by date and route order."""
        ...

    def add_to_plan(
        self, instancia_ids: Sequence[uuid.UUID], planned_on: dt.date, note: str = ""
    ) -> tuple[uuid.UUID, ...]:
        """Plan visits on a date (ValidationError: a past date, a repeated instancia)."""
        ...

    def reschedule_planned(self, entry_id: uuid.UUID, planned_on: dt.date, note: str) -> None:
        """Change a planned visit's date and note."""
        ...

    def move_planned(self, entry_id: uuid.UUID, offset: int) -> None:
        """Earlier (-1) or later (+1) in the day's route."""
        ...

    def remove_planned(self, entry_id: uuid.UUID) -> None:
        """Take a visit off the plan."""
        ...

    def start_planned_visit(self, entry_id: uuid.UUID) -> uuid.UUID:
        """The draft of a planned visit, pre-filled (the same one if already started)."""
        ...

    def day_overview(self) -> DayOverview:
        """The home page: plan, drafts, agreements due, what waits to sync."""
        ...
