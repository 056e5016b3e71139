"""What prioritizing and planning read and write: figures, weights, oath dates, the visit plan."""

import datetime as dt
import json
import uuid
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from instancias_desktop.db.models import (
    OutboxRow,
    PlanEntryRow,
    PriorityWeightsRow,
    SeenVersionRow,
    StageEventRow,
    TerritoryFigureRow,
)
from instancias_desktop.db.outbox import capture_bulk
from instancias_desktop.db.repositories.send_states import record_states
from instancias_desktop.domain.enums import SendState, Stage
from instancias_desktop.domain.plan import PlanEntry
from instancias_desktop.domain.territory_figures import TerritoryFigure
from sync.kinds import KINDS

WEIGHTS_KEY = "vigentes"


class PlanningRepository:
    """Reads and writes the planning tables within one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # ------------------------------------------------------------------ figures
    def replace_figures(
        self, figures: Iterable[TerritoryFigure], source: str, now: dt.datetime
    ) -> int:
        """The figures of a new file take the place of all those held (one source at a time)."""
        self._session.execute(delete(TerritoryFigureRow))
        rows = [_figure_row(f, source, now) for f in figures]
        self._session.add_all(rows)
        self._session.flush()
        return len(rows)

    def figures(self) -> dict[str, TerritoryFigure]:
        """Every imported figure, by ubigeo."""
        return {
            row.ubigeo: TerritoryFigure(
                row.ubigeo, row.violence_cases, row.has_cem, row.alerts, row.requested, line=0
            )
            for row in self._session.scalars(select(TerritoryFigureRow))
        }

    def figures_info(self) -> tuple[int, dt.datetime | None, str]:
        """How many territories have figures, when the last import was and from which file."""
        count, last = self._session.execute(
            select(func.count(), func.max(TerritoryFigureRow.imported_at))
        ).one()
        source = ""
        if last is not None:
            source = (
                self._session.scalar(
                    select(TerritoryFigureRow.source).where(TerritoryFigureRow.imported_at == last)
                )
                or ""
            )
        return count, last, source

    # ------------------------------------------------------------------ weights
    def weights(self) -> tuple[dict[str, object], str, dt.datetime] | None:
        """The weights in force here, who set them and when (None: the defaults)."""
        row = self._session.get(PriorityWeightsRow, WEIGHTS_KEY)
        if row is None:
            return None
        return json.loads(row.weights), row.source, row.changed_at

    def put_weights(self, weights: dict[str, float], source: str, now: dt.datetime) -> None:
        """Replace the weights in force."""
        row = self._session.get(PriorityWeightsRow, WEIGHTS_KEY)
        text = json.dumps(weights, sort_keys=True)
        if row is None:
            self._session.add(
                PriorityWeightsRow(key=WEIGHTS_KEY, weights=text, source=source, changed_at=now)
            )
        else:
            row.weights, row.source, row.changed_at = text, source, now
        self._session.flush()

    # --------------------------------------------------------------- oath dates
    def sworn_in_dates(self) -> dict[uuid.UUID, dt.date]:
        """Per instancia, the latest installation or re-installation (members sworn in)."""
        query = (
            select(StageEventRow.instancia_id, func.max(StageEventRow.event_date))
            .where(
                StageEventRow.deleted.is_(False),
                StageEventRow.stage.in_((Stage.INSTALLED, Stage.REACTIVATED)),
            )
            .group_by(StageEventRow.instancia_id)
        )
        return {owner: day for owner, day in self._session.execute(query)}  # noqa: C416

    # --------------------------------------------------------------------- plan
    def plan(self, author: str) -> list[PlanEntry]:
        """Her planned visits (not colleagues' received ones), by date and order within a date."""
        query = (
            select(PlanEntryRow)
            .where(PlanEntryRow.deleted.is_(False), PlanEntryRow.author == author)
            .order_by(PlanEntryRow.planned_on, PlanEntryRow.position, PlanEntryRow.id)
        )
        return [
            PlanEntry(
                id=row.id,
                instancia_id=row.instancia_id,
                planned_on=row.planned_on,
                position=row.position,
                note=row.note,
                visit_id=row.visit_id,
            )
            for row in self._session.scalars(query)
        ]

    def add_to_plan(self, entry: PlanEntry, now: dt.datetime) -> None:
        """Insert a planned visit."""
        self._session.add(
            PlanEntryRow(
                id=entry.id,
                instancia_id=entry.instancia_id,
                planned_on=entry.planned_on,
                position=entry.position,
                note=entry.note,
                visit_id=entry.visit_id,
            )
        )
        self._session.flush()

    def update_plan_entry(self, entry: PlanEntry) -> None:
        """Save a planned visit's date, order, note and started visit."""
        row = self._session.get(PlanEntryRow, entry.id)
        if row is None or row.deleted:
            raise LookupError(entry.id)
        row.planned_on, row.position = entry.planned_on, entry.position
        row.note, row.visit_id = entry.note, entry.visit_id
        self._session.flush()

    def remove_from_plan(self, entry_id: uuid.UUID) -> None:
        """Take a planned visit off the plan (a tombstone: her other laptops drop it too)."""
        row = self._session.get(PlanEntryRow, entry_id)
        if row is not None:
            row.deleted = True
            self._session.flush()

    def queue_unsent(self, author: str) -> int:
        """Her plan entries made before the plan travelled: sent as creates; how many."""
        kind = PlanEntryRow.__tablename__
        known = (
            select(OutboxRow.record_id)
            .where(OutboxRow.kind == kind)
            .union(select(SeenVersionRow.record_id).where(SeenVersionRow.kind == kind))
        )
        rows = self._session.scalars(
            select(PlanEntryRow).where(
                PlanEntryRow.author == author,
                PlanEntryRow.deleted.is_(False),
                PlanEntryRow.id.not_in(known),
            )
        ).all()
        capture_bulk(
            self._session,
            kind,
            [{"id": r.id, **{name: getattr(r, name) for name in KINDS[kind].fields}} for r in rows],
        )
        return len(rows)

    def plan_states(self, entry_ids: list[uuid.UUID]) -> dict[uuid.UUID, SendState]:
        """Where each planned visit stands with the server."""
        return record_states(self._session, entry_ids)


def _figure_row(figure: TerritoryFigure, source: str, now: dt.datetime) -> TerritoryFigureRow:
    return TerritoryFigureRow(
        ubigeo=figure.ubigeo,
        violence_cases=figure.violence_cases,
        has_cem=figure.has_cem,
        alerts=figure.alerts,
        requested=figure.requested,
        source=source,
        imported_at=now,
    )
