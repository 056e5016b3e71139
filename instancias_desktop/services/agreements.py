"""Agreements of a draft visit: numbered in order, with responsible, deadline and verification."""

import uuid

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.entities import Agreement
from instancias_desktop.domain.entity_checks import check_agreement
from instancias_desktop.domain.enums import AuditAction
from instancias_desktop.domain.visit_inputs import AgreementInput
from instancias_desktop.services.drafts import editable_visit
from sync.kinds import AGREEMENT


def save_agreement(
    database: Database,
    visit_id: uuid.UUID,
    data: AgreementInput,
    agreement_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Add an agreement at the end of the visit's list, or edit one; all fields are checked."""
    with database.unit_of_work() as uow:
        visit = editable_visit(uow, visit_id)
        if agreement_id is None:
            number = uow.visits.next_agreement_number(visit_id)
            agreement_id = uuid.uuid4()
        else:
            existing = uow.visits.agreement(agreement_id)
            if existing.visit_id != visit_id:
                raise LookupError(agreement_id)
            number = existing.number
        agreement = Agreement(
            visit_id=visit_id,
            number=number,
            description=data.description.strip(),
            responsible_entity=" ".join(data.responsible_entity.split()),
            responsible_person=" ".join(data.responsible_person.split()),
            deadline=data.deadline,
            verification_means=data.verification_means.strip(),
            state=data.state,
            id=agreement_id,
        )
        check_agreement(agreement, visit.visit_date)
        uow.visits.save_agreement(agreement)
        uow.commit()
    return agreement_id


def remove_agreement(database: Database, agreement_id: uuid.UUID) -> None:
    """Remove an agreement; the later ones move up a number."""
    with database.unit_of_work() as uow:
        editable_visit(uow, uow.visits.agreement(agreement_id).visit_id)
        uow.visits.remove_agreement(agreement_id)
        uow.audit.note(AuditAction.DELETED, AGREEMENT.name, agreement_id)
        uow.commit()
