"""Hypothesis strategies and helpers that build random valid checklist definitions and answers."""

import datetime as dt
import functools
import itertools
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from hypothesis import strategies as st

from instancias_desktop.domain.enums import Answer, InstanciaLevel
from instancias_desktop.domain.forms import (
    AnswerType,
    Band,
    Condition,
    EvidenceRule,
    FormDefinition,
    FormItem,
    FormSection,
    ItemAnswer,
    Option,
    credit,
)

NOT_APPLICABLE = Answer.NOT_APPLICABLE.value
OFF_LIST = "fantasma"  # an answer code no generated item offers

credits = st.one_of(st.sampled_from([0.0, 0.25, 0.34, 0.5, 0.67, 1.0]), st.floats(0.0, 1.0))
levels = st.sampled_from(list(InstanciaLevel))
T = TypeVar("T")


def answer_with(item: FormItem, code: str) -> ItemAnswer:
    """The ItemAnswer the app stores for an answer code of an item (an odd code as an option)."""
    if code in {a.value for a in Answer}:
        return ItemAnswer(Answer(code))
    if item.answer_type is AnswerType.CHOICE and any(o.code == code for o in item.options):
        worth = next(o.credit for o in item.options if o.code == code)
        summary = Answer.YES if worth >= 1.0 else Answer.NO if worth <= 0.0 else Answer.PARTIAL
        return ItemAnswer(summary, option=code)
    return ItemAnswer(Answer.YES, option=code)


def zero_answer(item: FormItem) -> ItemAnswer:
    """The item's «no»: its zero-credit option for a choice item, else the answer «no»."""
    for option in item.options:
        if option.credit == 0.0:
            return answer_with(item, option.code)
    return ItemAnswer(Answer.NO)


def dependents(form: FormDefinition, code: str) -> set[str]:
    """Codes of every item whose condition leads, directly or not, to the given item.

    A condition whose threshold is worth 0 asks for nothing: its item does not depend.
    """
    found: set[str] = set()
    for item in form.items:  # conditions point to earlier items, so one pass is enough
        when = item.when
        parent = form.item(when.item) if when is not None and when.item else None
        if when is None or parent is None or credit(form, parent, when.at_least) <= 0.0:
            continue
        if when.item == code or when.item in found:
            found.add(item.code)
    return found


def without(form: FormDefinition, codes: set[str]) -> FormDefinition:
    """The same definition with some items removed (and sections left empty dropped)."""
    sections = tuple(
        FormSection(s.code, s.title, tuple(i for i in s.items if i.code not in codes))
        for s in form.sections
    )
    return FormDefinition(
        form_id=form.form_id,
        version=form.version,
        title=form.title,
        levels=form.levels,
        sections=tuple(s for s in sections if s.items),
        bands=form.bands,
        stage_rules=form.stage_rules,
        partial_credit=form.partial_credit,
    )


def better_codes(form: FormDefinition, item: FormItem, given: ItemAnswer | None) -> list[str]:
    """Offered codes worth strictly more than the given answer (any code when unanswered)."""
    if given is None:
        return list(item.choices())
    if given.answer is Answer.NOT_APPLICABLE:
        return []
    now = credit(form, item, given.code)
    return [c for c in item.choices() if credit(form, item, c) > now]


@functools.cache
def _index(size: int) -> st.SearchStrategy[int]:
    return st.integers(0, size - 1)


def _pick(draw: st.DrawFn, values: Sequence[T]) -> T:
    """One of the values (a cached strategy per size keeps generation fast)."""
    return values[draw(_index(len(values)))]


_types = st.sampled_from(list(AnswerType))
_option_credits = st.lists(credits, min_size=2, max_size=4)
_weights = st.integers(0, 10)
_condition_kinds = st.sampled_from(["none", "none", "item", "levels", "both"])
_level_sets = st.lists(levels, unique=True, min_size=1, max_size=2)
_subsets = st.lists(st.integers(0, 2), unique=True, max_size=3)


@st.composite
def _item(draw: st.DrawFn, number: int, earlier: list[FormItem]) -> FormItem:
    answer_type = draw(_types)
    options: tuple[Option, ...] = ()
    if answer_type is AnswerType.CHOICE:
        worth = draw(_option_credits)
        options = tuple(Option(f"o{k}", f"Opción {k}", c) for k, c in enumerate(worth, 1))
    kind = draw(_condition_kinds)
    parent = _pick(draw, earlier) if earlier and kind in {"item", "both"} else None
    when = None
    if parent is not None or kind in {"levels", "both"}:
        when = Condition(
            item=parent.code if parent else "",
            at_least=_pick(draw, parent.choices()) if parent else "",
            levels=tuple(draw(_level_sets)) if kind in {"levels", "both"} else (),
        )
    item = FormItem(
        code=f"i{number}",
        number=number,
        text=f"Ítem {number}",
        answer_type=answer_type,
        weight=draw(_weights),
        not_applicable=draw(st.booleans()),
        options=options,
        when=when,
    )
    codes = item.choices()
    required = tuple(codes[k] for k in draw(_subsets) if k < len(codes))
    return replace(item, evidence=EvidenceRule(required, ("Acta de sesión",)))


@st.composite
def definitions(draw: st.DrawFn) -> FormDefinition:
    """A valid definition: 1–4 sections of 1–8 items, conditions on earlier items, a 0 band."""
    items: list[FormItem] = []
    sections = []
    for s in range(1, draw(st.integers(1, 4)) + 1):
        start = len(items)
        for _ in range(draw(st.integers(1, 8))):
            items.append(draw(_item(len(items) + 1, items)))
        sections.append(FormSection(f"s{s}", f"Sección {s}", tuple(items[start:])))
    if not any(i.weight for i in items):
        first = sections[0].items[0]
        fixed = replace(first, weight=draw(st.integers(1, 10)))
        sections[0] = FormSection("s1", "Sección 1", (fixed, *sections[0].items[1:]))
    mins = draw(st.lists(st.floats(1.0, 100.0), unique=True, max_size=3))
    return FormDefinition(
        form_id="ficha_prueba",
        version=1,
        title="Ficha de prueba",
        levels=tuple(InstanciaLevel),
        sections=tuple(sections),
        bands=tuple(Band(m, f"Tramo {m}") for m in [0.0, *mins]),
        partial_credit=draw(credits),
    )


_ODD = (OFF_LIST, Answer.PARTIAL.value, Answer.YES.value, Answer.NO.value)
_evidence = st.sampled_from(
    list(
        itertools.product(
            ["", " ", "Acta de sesión"],
            ["", "  ", "012-2024"],
            [None, dt.date(2024, 5, 2)],
            ["", "7"],
        )
    )
)


@st.composite
def answer_for_item(draw: st.DrawFn, item: FormItem, offered_only: bool = False) -> ItemAnswer:
    """An offered answer (most often), «no aplica» or an odd code, with or without evidence."""
    codes = (*item.choices(), *item.choices(), NOT_APPLICABLE, *(() if offered_only else _ODD))
    kind, number, day, attachment = draw(_evidence)
    return replace(
        answer_with(item, _pick(draw, codes)),
        evidence_type=kind,
        evidence_number=number,
        evidence_date=day,
        evidence_attachment=attachment,
    )


_answered = st.integers(0, 2)


@st.composite
def answers_for(
    draw: st.DrawFn, form: FormDefinition, offered_only: bool = False
) -> dict[str, ItemAnswer]:
    """Answers to some of the items (each item unanswered about a third of the time)."""
    answers: dict[str, ItemAnswer] = {}
    for item in form.items:
        if draw(_answered):
            answers[item.code] = draw(answer_for_item(item, offered_only))
    return answers
