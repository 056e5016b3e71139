"""The day at a glance: planned visits, drafts to finish, agreements due, what waits to sync."""

import datetime as dt
from dataclasses import dataclass

from instancias_desktop.domain.enums import ActaState, AgreementState
from instancias_desktop.domain.follow_ups import AgreementLine
from instancias_desktop.domain.plan import PlannedVisit
from instancias_desktop.domain.sync_views import SyncStatus
from instancias_desktop.domain.visit_views import VisitSummary

PLAN_DAYS = 14  # planned visits shown: the next two weeks
DUE_DAYS = 7  # agreements shown: overdue, and those falling due within a week


@dataclass(frozen=True)
class DayOverview:
    """What the home page shows."""

    today: dt.date
    planned: tuple[PlannedVisit, ...]
    drafts: tuple[VisitSummary, ...]
    due: tuple[AgreementLine, ...]
    sync: SyncStatus
    unsigned: tuple[VisitSummary, ...] = ()  # finalized, the signed copy not yet attached


def overview(
    today: dt.date,
    plan: tuple[PlannedVisit, ...],
    unfinished: tuple[VisitSummary, ...],
    due: tuple[AgreementLine, ...],
    sync: SyncStatus,
) -> DayOverview:
    """The plan from today on, the user's drafts and actas to sign, agreements due.

    Agreements: overdue first, then the soonest deadline.
    """
    planned = tuple(
        p for p in plan if today <= p.entry.planned_on <= today + dt.timedelta(days=PLAN_DAYS)
    )
    ordered = sorted(
        due, key=lambda a: (a.state is not AgreementState.OVERDUE, a.deadline, a.acta_number)
    )
    drafts = tuple(v for v in unfinished if v.acta_state is ActaState.DRAFT)
    unsigned = tuple(v for v in unfinished if v.acta_state is ActaState.FINALIZED)
    return DayOverview(today, planned, drafts, tuple(ordered), sync, unsigned)
