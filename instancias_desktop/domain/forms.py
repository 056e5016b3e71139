"""A checklist definition (ficha) as plain values: sections, items, answers, conditions, bands.

Definitions are data authored in forms/ and checked by formdefs/; this module only describes
them and answers what an answer is worth and whether an item applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from instancias_desktop.domain.enums import Answer, InstanciaLevel, Stage
from sync import kinds


class AnswerType(StrEnum):
    """How an item is answered (the values are those written in forms/)."""

    YES_PARTIAL_NO = "si_parcial_no"
    YES_NO = "si_no"
    CHOICE = "opcion"


@dataclass(frozen=True)
class Option:
    """One answer of a choice item, worth a fraction of the item's weight."""

    code: str
    label: str
    credit: float


@dataclass(frozen=True)
class Condition:
    """When an item applies: at some levels, and/or once an earlier item reaches an answer."""

    item: str = ""
    at_least: str = ""
    levels: tuple[InstanciaLevel, ...] = ()


@dataclass(frozen=True)
class EvidenceRule:
    """Which answers need a means of verification, and the document types to suggest."""

    required_when: tuple[str, ...] = ()
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormItem:
    """One question of the checklist; ``number`` is its position in the whole form (1..n)."""

    code: str
    number: int
    text: str
    answer_type: AnswerType
    weight: int
    help: str = ""
    not_applicable: bool = True
    options: tuple[Option, ...] = ()
    when: Condition | None = None
    evidence: EvidenceRule = EvidenceRule()
    basis: str = ""
    assumption: bool = False

    def choices(self) -> tuple[str, ...]:
        """The answers offered, without «no aplica»: options as written, else sí, parcial, no."""
        if self.answer_type is AnswerType.CHOICE:
            return tuple(o.code for o in self.options)
        if self.answer_type is AnswerType.YES_NO:
            return (Answer.YES.value, Answer.NO.value)
        return (Answer.YES.value, Answer.PARTIAL.value, Answer.NO.value)

    def choice_label(self, code: str) -> str:
        """The Spanish label of an answer code of this item."""
        for option in self.options:
            if option.code == code:
                return option.label
        known = {a.value for a in Answer}
        return Answer(code).label if code in known else code


@dataclass(frozen=True)
class FormSection:
    """A titled group of items."""

    code: str
    title: str
    items: tuple[FormItem, ...]


@dataclass(frozen=True)
class Band:
    """A score range's qualification, from ``min`` up to the next band."""

    min_score: float
    label: str


@dataclass(frozen=True)
class StageRule:
    """The stage suggested when every required item is «sí» and the score reaches ``min_score``."""

    stage: Stage
    requires: tuple[str, ...]
    min_score: float = 0.0


@dataclass(frozen=True)
class FormRef:
    """Which definition a filled checklist follows."""

    form_id: str
    version: int

    def __str__(self) -> str:
        return f"{self.form_id} v{self.version}"


@dataclass(frozen=True)
class FormDefinition:
    """One released version of a checklist, identified by its id, version and content hash."""

    form_id: str
    version: int
    title: str
    levels: tuple[InstanciaLevel, ...]
    sections: tuple[FormSection, ...]
    bands: tuple[Band, ...]
    stage_rules: tuple[StageRule, ...] = ()
    partial_credit: float = 0.5
    description: str = ""
    content_hash: str = ""
    _index: dict[str, FormItem] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({i.code: i for s in self.sections for i in s.items})

    @property
    def ref(self) -> FormRef:
        """Its id and version."""
        return FormRef(self.form_id, self.version)

    @property
    def items(self) -> tuple[FormItem, ...]:
        """Every item, in order."""
        return tuple(self._index.values())

    def item(self, code: str) -> FormItem | None:
        """The item with that code, if this version has it."""
        return self._index.get(code)


# A visit has one checklist and one answer per item on every laptop: their ids derive from the
# visit (and item), so answers given on two laptops meet on the server as one record (sync.kinds).
checklist_id = kinds.checklist_id
answer_id = kinds.answer_id


@dataclass(frozen=True)
class ItemAnswer:
    """What was answered for one item: the answer (or option), its evidence and a note."""

    answer: Answer
    option: str = ""
    evidence_type: str = ""
    evidence_number: str = ""
    evidence_date: dt.date | None = None
    evidence_attachment: str = ""  # id of one of the visit's annexes, as text
    note: str = ""

    @property
    def code(self) -> str:
        """The answer code as written in forms/: an option id, or si/parcial/no/no_aplica."""
        return self.option or self.answer.value

    def has_evidence(self) -> bool:
        """A document type and something that identifies it (number, date or file)."""
        return bool(self.evidence_type.strip()) and bool(
            self.evidence_number.strip() or self.evidence_date or self.evidence_attachment
        )


Answers = Mapping[str, ItemAnswer]


def credit(form: FormDefinition, item: FormItem, code: str) -> float:
    """What an answer code is worth, as a fraction of the item's weight (0..1)."""
    if item.answer_type is AnswerType.CHOICE:
        return next((o.credit for o in item.options if o.code == code), 0.0)
    return {Answer.YES.value: 1.0, Answer.PARTIAL.value: form.partial_credit}.get(code, 0.0)


def answer_for(item: FormItem, code: str) -> Answer:
    """The sí/parcial/no/no aplica summary of an answer code (a choice maps by its credit)."""
    if item.answer_type is not AnswerType.CHOICE or code == Answer.NOT_APPLICABLE.value:
        return Answer(code)
    worth = next((o.credit for o in item.options if o.code == code), 0.0)
    return Answer.YES if worth >= 1.0 else Answer.NO if worth <= 0.0 else Answer.PARTIAL


class Applicability(StrEnum):
    """Whether an item counts in the score, given the level and the earlier answers."""

    APPLIES = "applies"
    BLOCKED = "blocked"  # its earlier item has not reached the answer it needs: counts as 0
    EXCLUDED = "excluded"  # another level, or its earlier item does not apply: not counted


def applicability(
    form: FormDefinition, item: FormItem, level: InstanciaLevel, answers: Answers
) -> Applicability:
    """Whether an item applies; an item that depends on another refines it.

    A dependent item can only earn credit once its earlier item reaches ``at_least``; until
    then it counts as 0 (so improving the earlier answer never lowers the score). When the
    earlier item is «no aplica» or itself excluded, the dependent item is excluded too.
    """
    when = item.when
    if when is not None and when.levels and level not in when.levels:
        return Applicability.EXCLUDED
    parent = form.item(when.item) if when is not None and when.item else None
    if when is None or parent is None or credit(form, parent, when.at_least) <= 0.0:
        return Applicability.APPLIES  # a threshold worth nothing asks for nothing
    parent_state = applicability(form, parent, level, answers)
    given = answers.get(parent.code)
    if parent_state is Applicability.EXCLUDED or (
        given is not None and given.answer is Answer.NOT_APPLICABLE
    ):
        return Applicability.EXCLUDED
    if parent_state is Applicability.BLOCKED or given is None:
        return Applicability.BLOCKED
    reached = credit(form, parent, given.code) >= credit(form, parent, when.at_least)
    return Applicability.APPLIES if reached else Applicability.BLOCKED


def evidence_missing(item: FormItem, answer: ItemAnswer | None) -> bool:
    """Whether the answer given needs a means of verification that is not recorded."""
    if answer is None or answer.code not in item.evidence.required_when:
        return False
    return not answer.has_evidence()
