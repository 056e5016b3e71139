"""What the instancia report for a supervisor holds: its page and its scores over time."""

import datetime as dt
from dataclasses import dataclass

from instancias_desktop.domain.visit_views import InstanciaDetail


@dataclass(frozen=True)
class ScorePoint:
    """The functioning score found at one visit."""

    visit_date: dt.date
    acta_number: str
    score: float | None
    band: str
    final: bool = True  # False: a draft's checklist, whose score may still change


@dataclass(frozen=True)
class InstanciaReport:
    """Stage history, visits, checklist scores (oldest first) and agreements of one instancia."""

    detail: InstanciaDetail
    scores: tuple[ScorePoint, ...]
    generated_at: str
    generated_by: str
