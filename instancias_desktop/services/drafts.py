"""The guard every change to a visit passes: a finalized acta is never modified."""

import uuid

from instancias_desktop.db.uow import UnitOfWork
from instancias_desktop.domain.entities import Visit
from instancias_desktop.domain.enums import VisitStatus
from instancias_desktop.domain.finalization import FinalizedVisitError


def editable_visit(uow: UnitOfWork, visit_id: uuid.UUID) -> Visit:
    """The visit, if it may still change; a finalized acta refuses with the way to correct it."""
    visit = uow.visits.get(visit_id)
    if visit.status is VisitStatus.FINALIZED:
        raise FinalizedVisitError(visit.acta_number)
    return visit
