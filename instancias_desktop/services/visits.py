"""Visits: start a draft, change its fields as they are typed, finalize it, correct it by addendum.

Each public function is one user action and one transaction.
"""

import dataclasses
import datetime as dt
import uuid
from collections.abc import Mapping

from instancias_desktop.db.uow import Database, UnitOfWork
from instancias_desktop.domain.acta_code import snapshot_of
from instancias_desktop.domain.acta_numbers import ActaNumber
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.entities import Visit
from instancias_desktop.domain.entity_checks import check_visit
from instancias_desktop.domain.enums import AtType, AuditAction, Modality, Stage, VisitStatus
from instancias_desktop.domain.finalization import IncompleteVisitError, missing_for_finalization
from instancias_desktop.domain.validation import FieldError, ValidationError
from instancias_desktop.domain.visit_inputs import EDITABLE_VISIT_FIELDS
from instancias_desktop.domain.visit_views import VisitDetail, VisitSummary
from instancias_desktop.i18n import _
from instancias_desktop.services import checklists
from instancias_desktop.services.acta_records import build_record
from instancias_desktop.services.drafts import editable_visit
from instancias_desktop.services.follow_ups import with_follow_ups
from instancias_desktop.services.form_catalogue import Definitions
from instancias_desktop.services.identity import IDENTITY_MISSING, identity_in
from instancias_desktop.settings import Settings
from sync.kinds import VISIT

# The assistance a visit usually gives to an instancia in each stage (the editor can change it).
AT_FOR_STAGE = {
    Stage.NOT_CREATED: AtType.CREATION,
    Stage.CREATED: AtType.INSTALLATION,
    Stage.INSTALLED: AtType.FUNCTIONING,
    Stage.FUNCTIONING: AtType.FOLLOW_UP,
    Stage.INACTIVE: AtType.REACTIVATION,
    Stage.REACTIVATED: AtType.FUNCTIONING,
}


def _new_number(uow: UnitOfWork, settings: Settings, year: int) -> ActaNumber:
    # Numbers made before their parts were recorded, or by another pattern, are skipped too.
    while True:
        number = ActaNumber(
            settings.acta_series, year, uow.visits.take_sequence(settings.acta_series, year)
        )
        if not uow.visits.number_taken(number.format(settings.acta_pattern)):
            return number


def _numbered(visit: Visit, number: ActaNumber, settings: Settings) -> Visit:
    return dataclasses.replace(
        visit,
        acta_number=number.format(settings.acta_pattern),
        acta_series=number.series,
        acta_year=number.year,
        acta_sequence=number.sequence,
    )


def start_visit(database: Database, settings: Settings, instancia_id: uuid.UUID) -> uuid.UUID:
    """A new draft for an instancia, numbered and dated today, with sensible defaults."""
    with database.unit_of_work() as uow:
        visit = new_draft(uow, settings, instancia_id, database.clock())
        uow.commit()
    return visit.id


def new_draft(
    uow: UnitOfWork,
    settings: Settings,
    instancia_id: uuid.UUID,
    now: dt.datetime,
    objective: str = "",
) -> Visit:
    """Add a numbered draft dated ``now`` in Peru, within the caller's unit of work."""
    today = peru_today(now)
    (summary,) = uow.registry.summaries(instancia_id)
    visit = Visit(
        instancia_id=instancia_id,
        acta_number="",
        visit_date=today,
        start_time=None,  # typed by her: the moment the draft was made is not the meeting's
        end_time=None,
        place=summary.unit_name,
        place_ubigeo=summary.ubigeo,
        modality=Modality.IN_PERSON,
        at_type=AT_FOR_STAGE[summary.stage],
        objective=objective,
    )
    visit = _numbered(visit, _new_number(uow, settings, today.year), settings)
    uow.visits.add(visit)
    return visit


def update_visit(database: Database, visit_id: uuid.UUID, changes: Mapping[str, object]) -> Visit:
    """Save some fields of a draft; the whole header is checked, nothing is written if it fails."""
    unknown = set(changes) - EDITABLE_VISIT_FIELDS
    if unknown:
        raise ValueError(f"fields not editable: {sorted(unknown)}")
    today = peru_today(database.clock())
    with database.unit_of_work() as uow:
        visit = dataclasses.replace(editable_visit(uow, visit_id), **changes)  # type: ignore[arg-type]
        check_visit(visit, today)
        if "place_ubigeo" in changes and not uow.catalogue.has_territory(visit.place_ubigeo):
            message = _("El ubigeo «{code}» no figura en el catálogo INEI vigente.").format(
                code=visit.place_ubigeo
            )
            raise ValidationError([FieldError("place_ubigeo", message)])
        uow.visits.update(visit_id, changes)
        uow.commit()
    return visit


def finalize_visit(database: Database, definitions: Definitions, visit_id: uuid.UUID) -> None:
    """Close the acta: refused, with the list of what is missing, until it is complete."""
    now = database.clock()
    with database.unit_of_work() as uow:
        visit = editable_visit(uow, visit_id)
        missing = missing_for_finalization(visit, uow.participants.views(visit_id), peru_today(now))
        missing += checklists.missing_for_finalization(uow, definitions, visit_id)
        if not identity_in(uow).complete:
            missing.append(IDENTITY_MISSING)
        if missing:
            raise IncompleteVisitError(missing)
        # What the acta says is kept as it is now: its hash and code are printed on the paper.
        snapshot = snapshot_of(build_record(uow, definitions, visit_id, finalized_at=now))
        uow.visits.finalize(visit_id, now, snapshot)
        uow.audit.note(AuditAction.FINALIZED, VISIT.name, visit_id)
        uow.commit()


def create_addendum(database: Database, settings: Settings, visit_id: uuid.UUID) -> uuid.UUID:
    """A new draft that corrects a finalized acta and points to it; it gets its own number."""
    now = database.clock()
    today = peru_today(now)
    with database.unit_of_work() as uow:
        original = uow.visits.get(visit_id)
        if original.status is not VisitStatus.FINALIZED:
            raise ValueError(
                _("El acta {number} aún es borrador: corríjala directamente.").format(
                    number=original.acta_number
                )
            )
        addendum = dataclasses.replace(
            original,
            visit_date=today,
            end_time=None,
            objective="",
            agenda="",
            development="",
            instruments="",
            diagnosis="",
            status=VisitStatus.DRAFT,
            addendum_of=original.id,
            id=uuid.uuid4(),
        )
        addendum = _numbered(addendum, _new_number(uow, settings, today.year), settings)
        uow.visits.add(addendum)
        uow.commit()
    return addendum.id


def delete_draft(database: Database, visit_id: uuid.UUID) -> None:
    """Remove a draft; its acta number stays used and is never handed out again."""
    with database.unit_of_work() as uow:
        editable_visit(uow, visit_id)
        uow.visits.tombstone_contents(visit_id)
        uow.checklists.tombstone(visit_id)
        uow.visits.tombstone(visit_id)
        uow.audit.note(AuditAction.DELETED, VISIT.name, visit_id)
        uow.commit()


def list_visits(database: Database) -> tuple[VisitSummary, ...]:
    """Every live visit, newest first."""
    with database.reader() as uow:
        return tuple(uow.visits.summaries())


def unfinished_of(database: Database, author: str) -> tuple[VisitSummary, ...]:
    """One author's drafts and finalized actas still without a signed copy, newest first."""
    with database.reader() as uow:
        return tuple(uow.visits.summaries(unfinished_of=author))


def visit_detail(database: Database, visit_id: uuid.UUID) -> VisitDetail:
    """A visit with its participants, agreements, annexes and the hitos it recorded."""
    today = peru_today(database.clock())
    with database.reader() as uow:
        visit = uow.visits.get(visit_id)
        author, finalized_at = uow.visits.stamps(visit_id)
        (instancia,) = uow.registry.summaries(visit.instancia_id)
        return VisitDetail(
            visit=visit,
            instancia=instancia,
            author=author,
            finalized_at=finalized_at,
            addendum_of_number=(
                uow.visits.acta_number(visit.addendum_of) if visit.addendum_of else ""
            ),
            addenda=uow.visits.addenda(visit_id),
            participants=tuple(uow.participants.views(visit_id)),
            agreements=with_follow_ups(uow, today, uow.visits.agreements(today, visit_id=visit_id)),
            attachments=tuple(uow.visits.attachments(visit_id)),
            stage_events=tuple(uow.registry.history(visit_id=visit_id)),
            signed_copies=tuple(uow.signed_copies.of_visit(visit_id)),
            by_me=author == database.actor,
            norms=tuple(uow.records.norms(visit.instancia_id)),
        )
