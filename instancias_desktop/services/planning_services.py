"""The follow-up and planning half of an opened profile's services (agreements, priority, plan)."""

import datetime as dt
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.follow_ups import AgreementLine, FollowUpInput
from instancias_desktop.services import exports, follow_ups


class FollowUpService(Protocol):
    """Agreements across visits and their follow-up."""

    def today(self) -> dt.date:
        """The civil date in Peru by the profile's clock (defaults of date fields)."""
        ...

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
    """Lists saved to Excel or CSV."""

    def export_agreements(self, lines: Sequence[AgreementLine], target: Path) -> Path:
        """The agreements given, in the format the file name says."""
        ...


class PlanningServices:
    """Implements the follow-up and planning protocols over ``self.database``."""

    database: Database

    def today(self) -> dt.date:
        """The civil date in Peru by the profile's clock."""
        return peru_today(self.database.clock())

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

    def export_agreements(self, lines: Sequence[AgreementLine], target: Path) -> Path:
        """The agreements given, as .xlsx or .csv."""
        return exports.write_table(exports.agreements_table(lines), target)
