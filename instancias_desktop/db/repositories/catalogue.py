"""Catalogue queries and loads: territory, government units, member-entity types, versions."""

import dataclasses
import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from instancias_desktop.db.models import (
    CatalogueVersionRow,
    GovernmentUnitRow,
    MemberEntityTypeRow,
    TerritoryRow,
)
from instancias_desktop.db.repositories.bulk import insert_values
from instancias_desktop.domain.entities import GovernmentUnit
from instancias_desktop.domain.enums import InstanciaLevel, UnitKind
from instancias_desktop.domain.membership import MemberEntityType
from instancias_desktop.domain.readmodels import CatalogueInfo
from instancias_desktop.domain.ubigeo import Territory, UbigeoLevel


class CatalogueRepository:
    """Reads and loads the catalogues of one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def versions(self) -> tuple[CatalogueInfo, ...]:
        """Every catalogue loaded, by name."""
        rows = self._session.scalars(select(CatalogueVersionRow).order_by(CatalogueVersionRow.name))
        return tuple(CatalogueInfo(r.name, r.version, r.source) for r in rows)

    def record_version(self, name: str, version: str, source: str, when: dt.datetime) -> None:
        """Note which version of a catalogue the database now holds."""
        self._session.merge(
            CatalogueVersionRow(name=name, version=version, source=source, loaded_at=when)
        )

    def add_territories(self, territories: Iterable[Territory]) -> int:
        """Load territories (parents before children)."""
        rows = [
            {
                "code": t.code,
                "name": t.name,
                "level": t.level,
                "parent_code": t.parent_code,
                "vigente": t.vigente,
            }
            for t in territories
        ]
        self._session.execute(insert(TerritoryRow), rows)
        return len(rows)

    def add_government_units(self, units: Iterable[GovernmentUnit]) -> int:
        """Load the registry of government units."""
        return insert_values(self._session, GovernmentUnitRow, units)

    def add_member_entity_types(self, types: Iterable[MemberEntityType]) -> int:
        """Load the member-entity types with their cardinality rules."""
        return insert_values(self._session, MemberEntityTypeRow, types)

    def territory_states(self) -> dict[str, tuple[str, bool]]:
        """Every territory held, by code: (name, in force)."""
        query = select(TerritoryRow.code, TerritoryRow.name, TerritoryRow.vigente)
        return {code: (name, vigente) for code, name, vigente in self._session.execute(query)}

    def update_territories(self, territories: Iterable[Territory]) -> int:
        """A newer catalogue's name and in-force flag for territories already held."""
        count = 0
        for territory in territories:
            row = self._session.get(TerritoryRow, territory.code)
            if row is not None:
                row.name, row.vigente = territory.name, territory.vigente
                count += 1
        self._session.flush()
        return count

    def unit_codes(self) -> set[str]:
        """The codes of every government unit held."""
        return set(self._session.scalars(select(GovernmentUnitRow.code)))

    def put_member_entity_types(self, types: Iterable[MemberEntityType]) -> tuple[int, int]:
        """A newer catalogue's entity types: changed ones updated, new ones added.

        None is removed: the seats recorded with it keep their type. Answers (updated, added).
        """
        updated = added = 0
        for entity_type in types:
            row = self._session.get(MemberEntityTypeRow, (entity_type.level, entity_type.code))
            if row is None:
                insert_values(self._session, MemberEntityTypeRow, [entity_type])
                added += 1
                continue
            for name, value in dataclasses.asdict(entity_type).items():
                if hasattr(row, name) and getattr(row, name) != value:
                    setattr(row, name, value)
                    updated += 1
        self._session.flush()
        return updated, added

    def territories(
        self, level: UbigeoLevel, *, vigente_only: bool = True
    ) -> tuple[Territory, ...]:
        """Territories of one level, by code."""
        query = select(TerritoryRow).where(TerritoryRow.level == level).order_by(TerritoryRow.code)
        if vigente_only:
            query = query.where(TerritoryRow.vigente.is_(True))
        return tuple(Territory(r.code, r.name, r.vigente) for r in self._session.scalars(query))

    def names_of(self, codes: Iterable[str]) -> dict[str, str]:
        """The names of some territories, by code."""
        query = select(TerritoryRow.code, TerritoryRow.name).where(
            TerritoryRow.code.in_(set(codes))
        )
        return dict(self._session.execute(query).all())

    def has_territory(self, code: str) -> bool:
        """Whether a code is in the ubigeo catalogue and in force."""
        row = self._session.get(TerritoryRow, code)
        return row is not None and row.vigente

    def count_territories(self, *, vigente_only: bool = True) -> dict[UbigeoLevel, int]:
        """How many departments, provinces and districts the catalogue holds."""
        query = select(TerritoryRow.level, func.count()).group_by(TerritoryRow.level)
        if vigente_only:
            query = query.where(TerritoryRow.vigente.is_(True))
        return dict(self._session.execute(query).all())

    def count_government_units(self) -> dict[UnitKind, int]:
        """How many government units of each kind."""
        query = select(GovernmentUnitRow.kind, func.count()).group_by(GovernmentUnitRow.kind)
        return dict(self._session.execute(query).all())

    def member_entity_types(self, level: InstanciaLevel) -> tuple[MemberEntityType, ...]:
        """The entity types of one level, in their display order."""
        query = (
            select(MemberEntityTypeRow)
            .where(MemberEntityTypeRow.level == level)
            .order_by(MemberEntityTypeRow.position)
        )
        return tuple(
            MemberEntityType(
                code=r.code,
                level=r.level,
                label=r.label,
                cardinality=r.cardinality,
                count=r.count,
                position=r.position,
                note=r.note,
                assumption=r.assumption,
            )
            for r in self._session.scalars(query)
        )
