"""What the checklist page shows: the definition, the answers, the score and the comparison."""

import uuid
from dataclasses import dataclass

from instancias_desktop.domain.enums import InstanciaLevel
from instancias_desktop.domain.form_changes import ChecklistComparison
from instancias_desktop.domain.forms import Answers, FormDefinition, FormRef
from instancias_desktop.domain.scoring import ScoreResult


@dataclass(frozen=True)
class ChecklistView:
    """A visit's checklist: started (pinned) or not yet, editable while the visit is a draft."""

    visit_id: uuid.UUID
    level: InstanciaLevel
    definition: FormDefinition
    pinned: bool
    answers: Answers
    result: ScoreResult
    editable: bool
    comparison: ChecklistComparison | None
    newer: FormRef | None  # a newer released version a draft could move to
    attachments: tuple[tuple[str, str], ...]  # (annex id as text, file name)
