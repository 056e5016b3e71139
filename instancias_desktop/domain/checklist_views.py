"""What the checklist page shows: the definition, the answers, the score and the comparison."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from instancias_desktop.domain.enums import InstanciaLevel, Stage
from instancias_desktop.domain.form_changes import ChecklistComparison
from instancias_desktop.domain.forms import Answers, FormDefinition, FormRef
from instancias_desktop.domain.record_evidence import Suggestion
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
    # Answers the instancia's records support, by item, for her to confirm (never stored).
    suggestions: Mapping[str, Suggestion] = field(default_factory=dict)
    records_stage: Stage | None = None  # the stage those answers alone would suggest
