"""Participants of a draft visit: add, edit, remove, reorder, or pick a person already known."""

import dataclasses
import re
import uuid

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.entities import Participant, Person
from instancias_desktop.domain.entity_checks import check_participant, check_person
from instancias_desktop.domain.enums import AuditAction, Sex
from instancias_desktop.domain.people import search_key
from instancias_desktop.domain.validation import (
    FieldError,
    ValidationError,
    normalize_document_number,
    run_checks,
)
from instancias_desktop.domain.visit_inputs import ParticipantInput
from instancias_desktop.domain.visit_views import PersonMatch
from instancias_desktop.i18n import _
from instancias_desktop.services.drafts import editable_visit
from sync.kinds import PARTICIPANT


def _checked(data: ParticipantInput) -> Person:
    person = Person(
        document_type=data.document_type,
        document_number=normalize_document_number(data.document_number),
        full_name=" ".join(data.full_name.split()),
        sex=data.sex,
        phone=data.phone.strip(),
        email=data.email.strip(),
    )
    run_checks(
        ("", lambda: check_person(person)),
        ("", lambda: check_participant(data.entity, data.post)),
    )
    return person


def save_participant(
    database: Database,
    visit_id: uuid.UUID,
    data: ParticipantInput,
    participant_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Add (or edit) a participant; the same document always means the same person."""
    person = _checked(data)
    with database.unit_of_work() as uow:
        editable_visit(uow, visit_id)
        known = uow.participants.person_by_document(person.document_type, person.document_number)
        if known is not None:
            # The same person. What is on record stays as recorded (finalized actas show it);
            # a later visit only fills what was missing.
            person = dataclasses.replace(
                known,
                phone=known.phone or person.phone,
                email=known.email or person.email,
                sex=person.sex if known.sex is Sex.UNSTATED else known.sex,
            )
        present = {p.person_id: p.id for p in uow.participants.views(visit_id)}
        if present.get(person.id, participant_id) != participant_id:
            raise ValidationError(
                [
                    FieldError(
                        "document_number",
                        _("{name} ya figura en la lista de participantes de esta visita.").format(
                            name=person.full_name
                        ),
                    )
                ]
            )
        uow.participants.save_person(person)
        if participant_id is None:
            position = uow.participants.next_position(visit_id)
            participant_id = uuid.uuid4()
        else:
            existing = uow.participants.get(participant_id)
            if existing.visit_id != visit_id:
                raise LookupError(participant_id)
            position = existing.position
        uow.participants.save(
            Participant(
                visit_id=visit_id,
                person_id=person.id,
                position=position,
                entity=" ".join(data.entity.split()),
                post=" ".join(data.post.split()),
                role=data.role,
                consent=data.consent,
                id=participant_id,
            )
        )
        uow.commit()
    return participant_id


def remove_participant(database: Database, participant_id: uuid.UUID) -> None:
    """Take a participant off the list; the others keep their order without gaps."""
    with database.unit_of_work() as uow:
        visit_id = uow.participants.get(participant_id).visit_id
        editable_visit(uow, visit_id)
        uow.participants.remove(participant_id)
        uow.participants.set_order(visit_id, [p.id for p in uow.participants.views(visit_id)])
        uow.audit.note(AuditAction.DELETED, PARTICIPANT.name, participant_id)
        uow.commit()


def move_participant(database: Database, participant_id: uuid.UUID, offset: int) -> None:
    """Move a participant up (negative offset) or down the attendance list."""
    with database.unit_of_work() as uow:
        visit_id = uow.participants.get(participant_id).visit_id
        editable_visit(uow, visit_id)
        order = [p.id for p in uow.participants.views(visit_id)]
        index = order.index(participant_id)
        target = max(0, min(len(order) - 1, index + offset))
        order.insert(target, order.pop(index))
        uow.participants.set_order(visit_id, order)
        uow.commit()


def find_persons(database: Database, query: str, limit: int = 20) -> tuple[PersonMatch, ...]:
    """Persons from earlier visits whose name or document holds every word typed."""
    words = [
        re.sub(r"[.\-]", "", word) if any(c.isdigit() for c in word) else word
        for word in search_key(query, "").split()
    ]
    with database.reader() as uow:
        return tuple(uow.participants.find_persons(words, limit))
