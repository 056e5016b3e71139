"""The functioning score of a checklist, its band, the stage it suggests and what pulls it down.

score = 100 × Σ weight × credit / Σ weight, over the items that count: an unanswered item counts
as 0, «no aplica» and items of another level are left out of both sums. So the score stays within
0..100, a better answer never lowers it, and «no aplica» never scores below «no».
"""

import math
from dataclasses import dataclass

from instancias_desktop.domain.enums import Answer, InstanciaLevel, Stage
from instancias_desktop.domain.forms import (
    Answers,
    Applicability,
    FormDefinition,
    FormItem,
    applicability,
    credit,
    evidence_missing,
)
from instancias_desktop.i18n import _


@dataclass(frozen=True)
class Shortfall:
    """An item that keeps the score down, and by how many points."""

    item: FormItem
    answer_code: str  # "" when unanswered
    points: float


@dataclass(frozen=True)
class ScoreResult:
    """Everything the checklist page and the acta show about a filled checklist."""

    score: float | None  # None when no item counts (everything «no aplica»)
    band: str
    suggested_stage: Stage
    shortfalls: tuple[Shortfall, ...]
    answered: int
    applicable: int
    missing_evidence: tuple[FormItem, ...]
    visible: frozenset[str]  # codes of the items to show (not excluded by level or condition)


def _counted(
    form: FormDefinition, level: InstanciaLevel, answers: Answers
) -> list[tuple[FormItem, float]]:
    """(item, credit) of every item in the sums."""
    counted = []
    for item in form.items:
        state = applicability(form, item, level, answers)
        given = answers.get(item.code)
        if state is Applicability.EXCLUDED or item.weight == 0:
            continue
        if given is not None and given.answer is Answer.NOT_APPLICABLE:
            continue
        worth = credit(form, item, given.code) if state is Applicability.APPLIES and given else 0.0
        counted.append((item, worth))
    return counted


# Scores, bands and suggested stages rest on weights no norm sets: said wherever they are shown.
REFERENCE_NOTE = _(
    "Referencial: los pesos, los tramos y las reglas del estado sugerido los fija el MIMP en "
    "cada versión de la ficha para orientar la asistencia técnica; ninguna norma los establece."
)


def score_text(score: float | None) -> str:
    """The score as shown: whole points, never rounded up across a band's minimum."""
    return "—" if score is None else str(math.floor(score + 1e-9))


def score_of(form: FormDefinition, level: InstanciaLevel, answers: Answers) -> float | None:
    """The functioning score, 0..100 (None when nothing counts)."""
    counted = _counted(form, level, answers)
    total = sum(item.weight for item, _ in counted)
    if total == 0:
        return None
    return 100.0 * sum(item.weight * worth for item, worth in counted) / total


def band_of(form: FormDefinition, score: float | None) -> str:
    """The qualification of a score: the band with the highest minimum it reaches."""
    if score is None:
        return ""
    reached = [b for b in form.bands if score >= b.min_score]
    return max(reached, key=lambda b: b.min_score).label if reached else ""


def suggested_stage(
    form: FormDefinition, level: InstanciaLevel, answers: Answers, score: float | None
) -> Stage:
    """The furthest stage whose rule holds: its items «sí» (or «no aplica»), its minimum score."""
    stage = Stage.NOT_CREATED
    for rule in form.stage_rules:
        held = all(_fulfilled(form, code, level, answers) for code in rule.requires)
        if held and (score or 0.0) >= rule.min_score:
            stage = rule.stage
    return stage


def _fulfilled(form: FormDefinition, code: str, level: InstanciaLevel, answers: Answers) -> bool:
    item = form.item(code)
    given = answers.get(code)
    if item is None or given is None:
        return False
    if given.answer is Answer.NOT_APPLICABLE:
        return True
    applies = applicability(form, item, level, answers) is Applicability.APPLIES
    return applies and credit(form, item, given.code) >= 1.0


def evaluate(form: FormDefinition, level: InstanciaLevel, answers: Answers) -> ScoreResult:
    """Score, band, suggested stage, the items that pull the score down, missing evidence."""
    counted = _counted(form, level, answers)
    total = sum(item.weight for item, _ in counted)
    score = score_of(form, level, answers)
    shortfalls = sorted(
        (
            Shortfall(
                item,
                answers[item.code].code if item.code in answers else "",
                100.0 * item.weight * (1.0 - worth) / total,
            )
            for item, worth in counted
            if worth < 1.0
        ),
        key=lambda s: (-s.points, s.item.number),
    )
    states = {i.code: applicability(form, i, level, answers) for i in form.items}
    visible = frozenset(c for c, s in states.items() if s is not Applicability.EXCLUDED)
    return ScoreResult(
        score=score,
        band=band_of(form, score),
        suggested_stage=suggested_stage(form, level, answers, score),
        shortfalls=tuple(shortfalls),
        answered=sum(1 for c in visible if c in answers),
        applicable=len(visible),
        missing_evidence=tuple(
            i
            for i in form.items
            if states[i.code] is Applicability.APPLIES and evidence_missing(i, answers.get(i.code))
        ),
        visible=visible,
    )
