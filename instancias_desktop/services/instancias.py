"""The instancia registry: the national list, filter options, one instancia and its shared data."""

import datetime as dt
import uuid
from collections.abc import Mapping

from instancias_desktop.db.uow import Database, UnitOfWork
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import NormRole, Stage
from instancias_desktop.domain.instancia_data import clean_data_changes
from instancias_desktop.domain.instancia_standing import (
    INSTALLED_OR_LATER,
    composition_gaps,
    schedule,
)
from instancias_desktop.domain.priority_views import scope_text
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.domain.record_evidence import RecordFacts
from instancias_desktop.domain.ubigeo import UbigeoLevel, territory_label, working_territories
from instancias_desktop.domain.visit_views import InstanciaDetail
from instancias_desktop.i18n import _
from instancias_desktop.services.api import TerritoryOptions
from instancias_desktop.services.follow_ups import with_follow_ups
from instancias_desktop.services.registry_scope import options_for
from instancias_desktop.syncing.account import enrolment_of


def list_instancias(database: Database) -> tuple[InstanciaSummary, ...]:
    """Every instancia with its territory, derived stage and visit figures."""
    with database.reader() as uow:
        return tuple(uow.registry.summaries())


def assigned_scope(database: Database) -> tuple[tuple[str, ...], str, str]:
    """The enrolled user's territories, role and name (none before the first sign-in).

    A supervisor, or a laptop not yet enrolled, works on the whole country: no territories.
    """
    found = enrolment_of(database)
    if found is None:
        return (), "", ""
    enrolment = found[0]
    return (
        working_territories(enrolment.role, enrolment.territories),
        enrolment.role,
        enrolment.username,
    )


def territory_options(database: Database) -> TerritoryOptions:
    """The departments and provinces in force, for the filters, and her own territories."""
    assigned, _role, _user = assigned_scope(database)
    with database.reader() as uow:
        return options_for(uow.registry.territories(), assigned)


def territory_warning(database: Database, instancia_id: uuid.UUID) -> str | None:
    """Why the server would refuse a visit to this instancia (None when it is hers)."""
    assigned, _role, user = assigned_scope(database)
    with database.reader() as uow:
        (summary,) = uow.registry.summaries(instancia_id)
        if not assigned or summary.ubigeo.startswith(assigned):
            return None
        names = uow.catalogue.names_of(assigned)
    return _(
        "{name} no está en los territorios asignados a su usuario ({user}: {territories}). "
        "El servidor no aceptará esta visita al sincronizar: sus registros quedarán como "
        "rechazados hasta que un(a) supervisor(a) le asigne ese territorio y usted los "
        "reenvíe. ¿Crear el borrador de todos modos?"
    ).format(name=summary.name, user=user, territories=scope_text(assigned, names))


def instancia_detail(database: Database, instancia_id: uuid.UUID) -> InstanciaDetail:
    """Everything the instancia page shows, read in one transaction."""
    today = peru_today(database.clock())
    with database.reader() as uow:
        (summary,) = uow.registry.summaries(instancia_id)
        header = uow.registry.header(instancia_id)
        history = tuple(uow.registry.history(instancia_id))
        members = tuple(uow.records.members(instancia_id))
        sessions = tuple(uow.records.sessions(instancia_id))
        norms = tuple(uow.records.norms(instancia_id))
        types = uow.catalogue.member_entity_types(header.level)
        reached = {event.stage for event in history}
        return InstanciaDetail(
            summary=summary,
            chair_name=header.chair_name,
            chair_post=header.chair_post,
            secretariat_unit=header.secretariat_unit,
            secretariat_person=header.secretariat_person,
            history=history,
            members=members,
            norms=norms,
            visits=tuple(uow.visits.summaries(instancia_id)),
            agreements=with_follow_ups(
                uow, today, uow.visits.agreements(today, instancia_id=instancia_id)
            ),
            sessions=sessions,
            instruments=tuple(uow.records.instruments(instancia_id)),
            entity_types=types,
            composition_gaps=tuple(composition_gaps(types, members, header.level, today)),
            schedule=schedule(
                uow.records.schedule(instancia_id),
                created=bool(reached - {Stage.NOT_CREATED})
                or any(n.role is NormRole.CREATES for n in norms),
                installed=bool(reached & INSTALLED_OR_LATER),
                convened=bool(sessions),
            ),
            today=today,
        )


def record_facts(uow: UnitOfWork, instancia_id: uuid.UUID, today: dt.date) -> RecordFacts:
    """What the instancia's records hold, for the checklist's suggested answers."""
    header = uow.registry.header(instancia_id)
    members = uow.records.members(instancia_id)
    types = uow.catalogue.member_entity_types(header.level)
    return RecordFacts(
        today=today,
        norms=tuple(uow.records.norms(instancia_id)),
        history=tuple(uow.registry.history(instancia_id)),
        secretariat_unit=header.secretariat_unit,
        secretariat_person=header.secretariat_person,
        chair_name=header.chair_name,
        chair_post=header.chair_post,
        current_members=sum(1 for m in members if m.current(today)),
        gaps=tuple(composition_gaps(types, members, header.level, today)),
        sessions=tuple(uow.records.sessions(instancia_id)),
        instruments=tuple(uow.records.instruments(instancia_id)),
    )


def update_instancia(
    database: Database, instancia_id: uuid.UUID, changes: Mapping[str, str]
) -> InstanciaDetail:
    """Change the chair or technical secretariat of an instancia; returns the page as it is now.

    Values are stripped ("" is no data); ValidationError names each refused field and nothing
    is written. Values equal to the stored ones change nothing and send nothing to the server.
    """
    cleaned = clean_data_changes(changes)
    with database.unit_of_work() as uow:
        if uow.registry.update_header(instancia_id, cleaned):
            uow.commit()
    return instancia_detail(database, instancia_id)


def place_options(database: Database) -> tuple[tuple[str, str], ...]:
    """Every territory in force as (ubigeo, 'District, Province, Department'), districts first."""
    with database.reader() as uow:
        levels = [uow.catalogue.territories(level) for level in UbigeoLevel]
    names = {t.code: t.name for territories in levels for t in territories}
    ordered = sorted(
        (t for territories in levels for t in territories), key=lambda t: (-len(t.code), t.code)
    )
    return tuple((t.code, territory_label(t.code, names)) for t in ordered)
