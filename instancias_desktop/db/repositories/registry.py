"""Instancia registry queries: the national list with derived stages, and bulk loads."""

import datetime as dt
import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from instancias_desktop.db.models import (
    GovernmentUnitRow,
    InstanciaRow,
    NormRow,
    SpecialistRow,
    StageEventRow,
    TerritoryAssignmentRow,
    TerritoryRow,
    VisitRow,
)
from instancias_desktop.db.repositories.bulk import insert_stamped
from instancias_desktop.domain.entities import (
    Instancia,
    Norm,
    Specialist,
    StageEvent,
    TerritoryAssignment,
)
from instancias_desktop.domain.enums import InstanciaLevel, Stage
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.domain.stages import DatedStage, current_stage


class RegistryRepository:
    """Reads and writes the instancia registry within one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_instancias(self, instancias: Iterable[Instancia], author: str | None = None) -> int:
        """Create instancias (one per government unit)."""
        return insert_stamped(self._session, InstanciaRow, instancias, author)

    def add_stage_events(self, events: Iterable[StageEvent], author: str | None = None) -> int:
        """Append stage events to the history."""
        return insert_stamped(self._session, StageEventRow, events, author)

    def add_norms(self, norms: Iterable[Norm], author: str | None = None) -> int:
        """Record norms about instancias."""
        return insert_stamped(self._session, NormRow, norms, author)

    def add_specialists(self, specialists: Iterable[Specialist], author: str | None = None) -> int:
        """Record users."""
        return insert_stamped(self._session, SpecialistRow, specialists, author)

    def add_assignments(
        self, assignments: Iterable[TerritoryAssignment], author: str | None = None
    ) -> int:
        """Assign territories to specialists."""
        return insert_stamped(self._session, TerritoryAssignmentRow, assignments, author)

    def count_instancias(self) -> dict[InstanciaLevel, int]:
        """How many live instancias of each level."""
        query = (
            select(InstanciaRow.level, func.count())
            .where(InstanciaRow.deleted.is_(False))
            .group_by(InstanciaRow.level)
        )
        return dict(self._session.execute(query).all())

    def summaries(self) -> list[InstanciaSummary]:
        """Every live instancia with territory names, current stage and visit figures."""
        names = dict(self._session.execute(select(TerritoryRow.code, TerritoryRow.name)).all())
        stages = self._latest_stages()
        visits = self._visit_figures()
        query = (
            select(
                InstanciaRow.id,
                InstanciaRow.level,
                InstanciaRow.name,
                GovernmentUnitRow.name,
                GovernmentUnitRow.kind,
                GovernmentUnitRow.ubigeo,
            )
            .join(GovernmentUnitRow, GovernmentUnitRow.code == InstanciaRow.unit_code)
            .where(InstanciaRow.deleted.is_(False))
            .order_by(GovernmentUnitRow.ubigeo, InstanciaRow.level)
        )
        result = []
        for id_, level, name, unit_name, kind, ubigeo in self._session.execute(query):
            latest = stages.get(id_)
            count, last = visits.get(id_, (0, None))
            result.append(
                InstanciaSummary(
                    id=id_,
                    level=level,
                    name=name,
                    unit_name=unit_name,
                    unit_kind=kind,
                    ubigeo=ubigeo,
                    department_name=names.get(ubigeo[:2], ""),
                    province_name=names.get(ubigeo[:4], "") if len(ubigeo) >= 4 else "",
                    district_name=names.get(ubigeo, "") if len(ubigeo) == 6 else "",
                    stage=latest.stage if latest else Stage.NOT_CREATED,
                    stage_date=latest.event_date if latest else None,
                    visit_count=count,
                    last_visit_date=last,
                )
            )
        return result

    def _latest_stages(self) -> dict[uuid.UUID, DatedStage]:
        query = select(
            StageEventRow.instancia_id,
            StageEventRow.stage,
            StageEventRow.event_date,
            StageEventRow.sequence,
            StageEventRow.created_at,
        ).where(StageEventRow.deleted.is_(False))
        history: dict[uuid.UUID, list[DatedStage]] = {}
        for instancia_id, stage, event_date, sequence, created in self._session.execute(query):
            history.setdefault(instancia_id, []).append(
                DatedStage(stage, event_date, sequence, created)
            )
        latest = {key: current_stage(events) for key, events in history.items()}
        return {key: value for key, value in latest.items() if value is not None}

    def _visit_figures(self) -> dict[uuid.UUID, tuple[int, dt.date | None]]:
        query = (
            select(VisitRow.instancia_id, func.count(), func.max(VisitRow.visit_date))
            .where(VisitRow.deleted.is_(False))
            .group_by(VisitRow.instancia_id)
        )
        return {row[0]: (row[1], row[2]) for row in self._session.execute(query)}
