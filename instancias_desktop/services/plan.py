"""The visit plan: instancias picked from the ranking for the coming weeks, and their visits."""

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence

from instancias_desktop.db.uow import Database, UnitOfWork
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.plan import PlanEntry, PlannedVisit, check_plan_date
from instancias_desktop.domain.ubigeo import territory_label
from instancias_desktop.domain.validation import FieldError, ValidationError
from instancias_desktop.i18n import _
from instancias_desktop.services.visits import new_draft
from instancias_desktop.settings import Settings


def planned_visits(database: Database) -> tuple[PlannedVisit, ...]:
    """The plan by date and order, with each instancia's name, territory and stage."""
    with database.reader() as uow:
        entries = uow.planning.plan(uow.actor)
        summaries = {s.id: s for s in uow.registry.summaries()}
        names = {code: name for code, (name, _v) in uow.catalogue.territory_states().items()}
        actas = {e.visit_id: uow.visits.acta_number(e.visit_id) for e in entries if e.visit_id}
        states = uow.planning.plan_states([e.id for e in entries])
    result = []
    for entry in entries:
        summary = summaries.get(entry.instancia_id)
        if summary is None:
            continue
        result.append(
            PlannedVisit(
                entry=entry,
                instancia_name=summary.name,
                level=summary.level,
                territory=territory_label(summary.ubigeo, names),
                stage=summary.stage,
                acta_number=actas.get(entry.visit_id, "") if entry.visit_id else "",
                send_state=states.get(entry.id),
            )
        )
    return tuple(result)


def add_to_plan(
    database: Database, instancia_ids: Sequence[uuid.UUID], planned_on: dt.date, note: str = ""
) -> tuple[uuid.UUID, ...]:
    """Plan visits to these instancias on a date, after those already planned that day."""
    check_plan_date(planned_on, note, peru_today(database.clock()))
    with database.unit_of_work() as uow:
        entries = uow.planning.plan(uow.actor)
        taken = {e.instancia_id for e in entries if e.planned_on == planned_on}
        doubled = [i for i in instancia_ids if i in taken]
        if doubled:
            raise ValidationError(
                [FieldError("instancias", _("Esa instancia ya está en el plan para ese día."))]
            )
        position = sum(1 for e in entries if e.planned_on == planned_on)
        added = []
        for offset, instancia_id in enumerate(instancia_ids, 1):
            entry = PlanEntry(instancia_id, planned_on, position + offset, note.strip())
            uow.planning.add_to_plan(entry, database.clock())
            added.append(entry.id)
        uow.commit()
    return tuple(added)


def reschedule(database: Database, entry_id: uuid.UUID, planned_on: dt.date, note: str) -> None:
    """Change a planned visit's note, or its date (then it goes last that day)."""
    check_plan_date(planned_on, note, peru_today(database.clock()))
    with database.unit_of_work() as uow:
        entries = uow.planning.plan(uow.actor)
        entry = _entry(entries, entry_id)
        changed = dataclasses.replace(entry, planned_on=planned_on, note=note.strip())
        if planned_on == entry.planned_on:  # same day: it keeps its place in the route
            uow.planning.update_plan_entry(changed)
        else:  # another day: it goes last that day, and the old day closes the gap
            last = 1 + sum(1 for e in entries if e.planned_on == planned_on)
            changed = dataclasses.replace(changed, position=last)
            uow.planning.update_plan_entry(changed)
            _renumber(uow, [e for e in entries if e.id != entry_id] + [changed])
        uow.commit()


def move(database: Database, entry_id: uuid.UUID, offset: int) -> None:
    """Move a planned visit earlier (-1) or later (+1) in its day's route."""
    with database.unit_of_work() as uow:
        entries = uow.planning.plan(uow.actor)
        entry = _entry(entries, entry_id)
        day = [e for e in entries if e.planned_on == entry.planned_on]
        index = day.index(entry)
        target = index + offset
        if not 0 <= target < len(day):
            return
        day[index], day[target] = day[target], day[index]
        _renumber(uow, day)
        uow.commit()


def remove(database: Database, entry_id: uuid.UUID) -> None:
    """Take a planned visit off the plan (a visit started from it stays)."""
    with database.unit_of_work() as uow:
        entries = uow.planning.plan(uow.actor)
        _entry(entries, entry_id)
        uow.planning.remove_from_plan(entry_id)
        _renumber(uow, [e for e in entries if e.id != entry_id])
        uow.commit()


def start_planned_visit(database: Database, settings: Settings, entry_id: uuid.UUID) -> uuid.UUID:
    """The draft of a planned visit: the one started before, or a new one pre-filled from it."""
    with database.unit_of_work() as uow:
        entry = _entry(uow.planning.plan(uow.actor), entry_id)
        if entry.visit_id is not None and _live(uow, entry.visit_id):
            return entry.visit_id
        visit = new_draft(uow, settings, entry.instancia_id, database.clock(), entry.note)
        uow.planning.update_plan_entry(dataclasses.replace(entry, visit_id=visit.id))
        uow.commit()
    return visit.id


def _live(uow: UnitOfWork, visit_id: uuid.UUID) -> bool:
    """Whether the visit started from the plan still exists (a deleted draft does not)."""
    try:
        uow.visits.get(visit_id)
    except LookupError:
        return False
    return True


def _entry(entries: Sequence[PlanEntry], entry_id: uuid.UUID) -> PlanEntry:
    for entry in entries:
        if entry.id == entry_id:
            return entry
    raise LookupError(entry_id)


def _renumber(uow: UnitOfWork, entries: Sequence[PlanEntry]) -> None:
    """Positions 1, 2, 3… within each date, in the given order."""
    by_day: dict[dt.date, list[PlanEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.planned_on):
        by_day.setdefault(entry.planned_on, []).append(entry)
    for day in by_day.values():
        for position, entry in enumerate(day, 1):
            if entry.position != position:
                uow.planning.update_plan_entry(dataclasses.replace(entry, position=position))
