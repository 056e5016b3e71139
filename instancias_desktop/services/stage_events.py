"""Update an instancia's stage from a visit: a hito with its evidence, appended to the history."""

import datetime as dt
import uuid

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.entities import Norm, StageEvent
from instancias_desktop.domain.entity_checks import check_norm, check_stage_event
from instancias_desktop.domain.enums import NormType, Stage
from instancias_desktop.domain.instancia_records import check_norm_type
from instancias_desktop.domain.stages import transition_warning
from instancias_desktop.domain.validation import FieldError, ValidationError, run_checks
from instancias_desktop.domain.visit_inputs import StageEventInput
from instancias_desktop.i18n import _
from instancias_desktop.services.drafts import editable_visit
from instancias_desktop.services.instancia_records import issued_norms


def _check(
    event: StageEvent, norm: Norm | None, issued: tuple[NormType, ...], today: dt.date
) -> None:
    checks = [("", lambda: check_stage_event(event, today)), ("", lambda: _sustained(event, norm))]
    if norm is not None:
        checks.append(("norm_", lambda: check_norm(norm, today)))
        checks.append(("norm_", lambda: check_norm_type(norm.norm_type, issued)))
    run_checks(*checks)


def _sustained(event: StageEvent, norm: Norm | None) -> None:
    """«Creada» rests on its norm; without one, the specialist says why it is missing."""
    del norm  # typed with the hito or already recorded: either names it in ``norm_id``
    if event.stage is Stage.CREATED and event.norm_id is None and not event.evidence:
        raise ValidationError(
            [
                FieldError(
                    "evidence",
                    _(
                        "Una instancia se crea por una norma: marque «Norma» y registre la "
                        "ordenanza, o escriba aquí por qué aún no se tiene (p. ej. «Ordenanza "
                        "aprobada en sesión de concejo, pendiente de publicación»)."
                    ),
                )
            ]
        )


def record_stage_event(
    database: Database, visit_id: uuid.UUID, data: StageEventInput
) -> str | None:
    """Append a hito recorded in a draft visit; returns a warning when the change is unusual."""
    today = peru_today(database.clock())
    with database.unit_of_work() as uow:
        visit = editable_visit(uow, visit_id)
        norm = None
        if data.norm is not None:
            norm = Norm(
                instancia_id=visit.instancia_id,
                role=data.norm.role,
                norm_type=data.norm.norm_type,
                number=data.norm.number.strip(),
                issued_on=data.norm.issued_on,
                issuing_body=data.norm.issuing_body.strip(),
            )
        recorded = {n.id for n in uow.records.norms(visit.instancia_id)}
        if data.norm_id is not None and (norm is not None or data.norm_id not in recorded):
            raise ValidationError([FieldError("recorded_norm", _(
                "Elija una norma registrada de esta instancia, o escriba la norma debajo."
            ))])  # fmt: skip
        event = StageEvent(
            instancia_id=visit.instancia_id,
            stage=data.stage,
            event_date=data.event_date,
            evidence=data.evidence.strip(),
            norm_id=norm.id if norm else data.norm_id,
            visit_id=visit_id,
        )
        _check(event, norm, issued_norms(uow, visit.instancia_id), today)
        (before,) = uow.registry.summaries(visit.instancia_id)  # the stage it changes from
        if norm is not None:
            uow.registry.add_norms([norm])
        uow.registry.add_stage_events([event])
        uow.commit()
    return transition_warning(before.stage, data.stage)
