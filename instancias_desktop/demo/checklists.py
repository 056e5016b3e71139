"""Plausible checklist answers for demo visits: the further the instancia's stage, the more «sí»."""

import datetime as dt
import random

from instancias_desktop.domain.entities import Checklist, ChecklistResponse, Visit
from instancias_desktop.domain.enums import Answer, InstanciaLevel, Stage
from instancias_desktop.domain.forms import (
    Applicability,
    FormDefinition,
    FormItem,
    ItemAnswer,
    answer_for,
    answer_id,
    applicability,
    checklist_id,
    credit,
)

# Chance that an item is fulfilled, by the instancia's stage.
_FULFILLED = {
    Stage.NOT_CREATED: 0.05,
    Stage.CREATED: 0.3,
    Stage.INSTALLED: 0.5,
    Stage.FUNCTIONING: 0.8,
    Stage.INACTIVE: 0.35,
    Stage.REACTIVATED: 0.6,
}


def _code(rng: random.Random, form: FormDefinition, item: FormItem, fulfilled: float) -> str:
    """Best answer with the stage's chance, else one of the others; sometimes «no aplica»."""
    if rng.random() < 0.04 and item.not_applicable:
        return Answer.NOT_APPLICABLE.value
    ranked = sorted(item.choices(), key=lambda code: -credit(form, item, code))
    if rng.random() < fulfilled:
        return ranked[0]
    return rng.choice(ranked[1:])


def fill_checklist(
    rng: random.Random, form: FormDefinition, level: InstanciaLevel, stage: Stage, visit: Visit
) -> tuple[Checklist, list[ChecklistResponse]]:
    """Answer every item that applies, with evidence where the definition requires it."""
    answers: dict[str, ItemAnswer] = {}
    for item in form.items:
        if applicability(form, item, level, answers) is not Applicability.APPLIES:
            continue
        code = _code(rng, form, item, _FULFILLED[stage])
        needs_evidence = code in item.evidence.required_when
        document = item.evidence.types[0] if item.evidence.types else "Documento"
        answers[item.code] = ItemAnswer(
            answer=answer_for(item, code),
            option=code if code in {o.code for o in item.options} else "",
            evidence_type=document if needs_evidence else "",
            evidence_number=f"{rng.randint(1, 250):03d}-{visit.visit_date.year}"
            if needs_evidence
            else "",
            evidence_date=visit.visit_date - dt.timedelta(days=rng.randint(30, 900))
            if needs_evidence
            else None,
        )
    checklist = Checklist(visit.id, form.form_id, form.version, id=checklist_id(visit.id))
    responses = [
        ChecklistResponse(
            visit_id=visit.id,
            item_code=code,
            answer=a.answer,
            evidence_type=a.evidence_type,
            evidence_number=a.evidence_number,
            evidence_date=a.evidence_date,
            option=a.option,
            id=answer_id(visit.id, code),
        )
        for code, a in answers.items()
    ]
    return checklist, responses
