"""Browse the instancia registry: the national list and the territorial filter options."""

import dataclasses
import datetime as dt
import uuid

from instancias_desktop.db.uow import Database, UnitOfWork
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.domain.ubigeo import UbigeoLevel, territory_label
from instancias_desktop.domain.visit_views import AgreementView, InstanciaDetail
from instancias_desktop.services.api import TerritoryOptions


def list_instancias(database: Database) -> tuple[InstanciaSummary, ...]:
    """Every instancia with its territory, derived stage and visit figures."""
    with database.reader() as uow:
        return tuple(uow.registry.summaries())


def territory_options(database: Database) -> TerritoryOptions:
    """The departments and provinces in force, for the filters."""
    with database.reader() as uow:
        return TerritoryOptions(
            departments=uow.catalogue.territories(UbigeoLevel.DEPARTMENT),
            provinces=uow.catalogue.territories(UbigeoLevel.PROVINCE),
            catalogues=uow.catalogue.versions(),
        )


def instancia_detail(database: Database, instancia_id: uuid.UUID) -> InstanciaDetail:
    """Everything the instancia page shows, read in one transaction."""
    today = peru_today(database.clock())
    with database.reader() as uow:
        (summary,) = uow.registry.summaries(instancia_id)
        header = uow.registry.header(instancia_id)
        return InstanciaDetail(
            summary=summary,
            chair_name=header.chair_name,
            chair_post=header.chair_post,
            secretariat_unit=header.secretariat_unit,
            secretariat_person=header.secretariat_person,
            history=tuple(uow.registry.history(instancia_id)),
            members=tuple(uow.registry.members(instancia_id)),
            norms=tuple(uow.registry.norms(instancia_id)),
            visits=tuple(uow.visits.summaries(instancia_id)),
            agreements=_followed(uow, today, instancia_id),
        )


def _followed(
    uow: UnitOfWork, today: dt.date, instancia_id: uuid.UUID
) -> tuple[AgreementView, ...]:
    """The instancia's agreements with the state and deadline their follow-ups left."""
    status = {
        line.id: line.status for line in uow.follow_ups.lines(today, instancia_id=instancia_id)
    }
    return tuple(
        dataclasses.replace(a, state=status[a.id].state, deadline=status[a.id].deadline)
        if a.id in status
        else a
        for a in uow.visits.agreements(today, instancia_id=instancia_id)
    )


def place_options(database: Database) -> tuple[tuple[str, str], ...]:
    """Every territory in force as (ubigeo, 'District, Province, Department'), districts first."""
    with database.reader() as uow:
        levels = [uow.catalogue.territories(level) for level in UbigeoLevel]
    names = {t.code: t.name for territories in levels for t in territories}
    ordered = sorted(
        (t for territories in levels for t in territories), key=lambda t: (-len(t.code), t.code)
    )
    return tuple((t.code, territory_label(t.code, names)) for t in ordered)
