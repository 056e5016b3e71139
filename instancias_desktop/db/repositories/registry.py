"""Instancia registry queries: the national list with derived stages, and bulk loads."""

import uuid
from collections.abc import Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from instancias_desktop.db.engine import driver_connection
from instancias_desktop.db.models import (
    InstanciaRow,
    NormRow,
    SpecialistRow,
    StageEventRow,
    TerritoryAssignmentRow,
    VisitRow,
)
from instancias_desktop.db.registry_read import TerritoryRead, read_summaries, read_territories
from instancias_desktop.db.repositories.bulk import insert_stamped
from instancias_desktop.domain.entities import (
    Instancia,
    Norm,
    Specialist,
    StageEvent,
    TerritoryAssignment,
)
from instancias_desktop.domain.enums import InstanciaLevel
from instancias_desktop.domain.instancia_data import INSTANCIA_DATA_FIELDS
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.domain.stages import DatedStage
from instancias_desktop.domain.visit_views import StageEventView


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

    def summaries(self, instancia_id: uuid.UUID | None = None) -> list[InstanciaSummary]:
        """Every live instancia (or just one) with territory names, stage and visit figures."""
        return read_summaries(driver_connection(self._session), instancia_id)

    def territories(self) -> TerritoryRead:
        """Departments and provinces in force, the catalogues loaded, every territory's name."""
        return read_territories(driver_connection(self._session))

    def header(self, instancia_id: uuid.UUID) -> Instancia:
        """The registry fields of one live instancia; LookupError when missing."""
        row = self._session.get(InstanciaRow, instancia_id)
        if row is None or row.deleted:
            raise LookupError(instancia_id)
        return Instancia(
            level=row.level,
            unit_code=row.unit_code,
            name=row.name,
            chair_name=row.chair_name,
            chair_post=row.chair_post,
            secretariat_unit=row.secretariat_unit,
            secretariat_person=row.secretariat_person,
            id=row.id,
        )

    def update_header(self, instancia_id: uuid.UUID, values: Mapping[str, str]) -> list[str]:
        """Set registry fields of one live instancia through the ORM (so the outbox hears it).

        Only the fields whose value differs are touched; returns their names ([]: a no-op).
        """
        unknown = set(values) - set(INSTANCIA_DATA_FIELDS)
        if unknown:
            raise ValueError(f"not editable registry fields: {sorted(unknown)}")
        row = self._session.get(InstanciaRow, instancia_id)
        if row is None or row.deleted:
            raise LookupError(instancia_id)
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        return changed

    def history(
        self, instancia_id: uuid.UUID | None = None, visit_id: uuid.UUID | None = None
    ) -> list[StageEventView]:
        """Stage events of an instancia (or recorded in a visit), newest first."""
        query = (
            select(StageEventRow, NormRow.norm_type, NormRow.number, VisitRow.acta_number)
            .outerjoin(NormRow, NormRow.id == StageEventRow.norm_id)
            .outerjoin(VisitRow, VisitRow.id == StageEventRow.visit_id)
            .where(StageEventRow.deleted.is_(False))
        )
        if instancia_id is not None:
            query = query.where(StageEventRow.instancia_id == instancia_id)
        if visit_id is not None:
            query = query.where(StageEventRow.visit_id == visit_id)
        rows = sorted(
            self._session.execute(query).all(),
            key=lambda r: (
                DatedStage(r[0].stage, r[0].event_date, r[0].sequence, r[0].created_at).order
            ),
            reverse=True,
        )
        return [
            StageEventView(
                id=event.id,
                stage=event.stage,
                event_date=event.event_date,
                evidence=event.evidence,
                norm_title=f"{norm_type.label} N° {number}" if norm_type else "",
                acta_number=acta or "",
                author=event.author,
                recorded_at=event.created_at,
            )
            for event, norm_type, number, acta in rows
        ]
