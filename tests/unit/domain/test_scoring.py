"""Checklist scoring rules: bounded, monotonic, «no aplica» neutral, bands, stages, shortfalls."""

import datetime as dt

from helpers.form_strategies import (
    answer_with,
    answers_for,
    better_codes,
    definitions,
    dependents,
    levels,
    without,
    zero_answer,
)
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from instancias_desktop.domain.enums import Answer, InstanciaLevel, Stage
from instancias_desktop.domain.forms import (
    AnswerType,
    Applicability,
    Band,
    Condition,
    EvidenceRule,
    FormDefinition,
    FormItem,
    FormSection,
    ItemAnswer,
    StageRule,
    applicability,
)
from instancias_desktop.domain.scoring import band_of, evaluate, score_of, suggested_stage
from instancias_desktop.formdefs.library import FormLibrary
from instancias_desktop.paths import forms_dir

IDC = InstanciaLevel.IDC
TOLERANCE = 1e-9
Case = tuple[FormDefinition, InstanciaLevel, dict[str, ItemAnswer], str]


def yes_no(code: str, number: int, weight: int = 1, when: Condition | None = None) -> FormItem:
    return FormItem(code, number, f"Ítem {number}", AnswerType.YES_NO, weight, when=when)


def small_form(*items: FormItem, partial_credit: float = 0.5) -> FormDefinition:
    return FormDefinition(
        form_id="ficha_prueba",
        version=1,
        title="Ficha de prueba",
        levels=tuple(InstanciaLevel),
        sections=(FormSection("s1", "Sección 1", items),),
        bands=(Band(0, "Incipiente"), Band(40, "En proceso"), Band(75, "Adecuado")),
        partial_credit=partial_credit,
    )


def not_lower(after: float | None, before: float | None) -> bool:
    """``after`` is not below ``before``; a None score (nothing counts) is never «lower»."""
    return after is None or before is None or after >= before - TOLERANCE


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A definition, a level, answers and one item of it."""
    form = draw(definitions())
    item = draw(st.sampled_from(form.items))
    return form, draw(levels), draw(answers_for(form)), item.code


@st.composite
def improvements(draw: st.DrawFn, parents_only: bool = False) -> tuple[Case, str]:
    """A case and a better answer code for its item (higher credit, or a first answer)."""
    form, level, answers, _ = draw(cases())
    candidates = [
        (item.code, code)
        for item in form.items
        if not parents_only or dependents(form, item.code)
        for code in better_codes(form, item, answers.get(item.code))
    ]
    assume(candidates)
    code, better = draw(st.sampled_from(candidates))
    return (form, level, answers, code), better


@settings(max_examples=100, deadline=None)
@given(form=definitions(), level=levels, data=st.data())
def test_score_is_none_or_between_0_and_100(
    form: FormDefinition, level: InstanciaLevel, data: st.DataObject
) -> None:
    score = score_of(form, level, data.draw(answers_for(form)))
    assert score is None or 0.0 <= score <= 100.0


@settings(max_examples=100, deadline=None)
@given(improvements())
def test_a_better_answer_never_lowers_the_score(improvement: tuple[Case, str]) -> None:
    (form, level, answers, code), better = improvement
    item = form.item(code)
    assert item is not None
    before = score_of(form, level, answers)
    after = score_of(form, level, {**answers, code: answer_with(item, better)})
    assert before is None or after is not None
    assert not_lower(after, before)


@settings(max_examples=100, deadline=None)
@given(improvements(parents_only=True))
def test_a_better_answer_to_an_item_others_depend_on_never_lowers_the_score(
    improvement: tuple[Case, str],
) -> None:
    (form, level, answers, code), better = improvement
    item = form.item(code)
    assert item is not None
    after = score_of(form, level, {**answers, code: answer_with(item, better)})
    assert not_lower(after, score_of(form, level, answers))


def _parent_reached_by_no() -> Case:
    """«d» applies once «x» is answered at all (at_least = "no", credit 0), and is «sí»."""
    form = small_form(
        yes_no("x", 1),
        yes_no("d", 2, when=Condition(item="x", at_least="no")),
        yes_no("y", 3),
    )
    answers = {"x": ItemAnswer(Answer.NO), "d": ItemAnswer(Answer.YES), "y": ItemAnswer(Answer.NO)}
    return form, IDC, answers, "x"  # «no» on x: 33.3; «no aplica» on x drops «d» too: 0.0


def _parent_reached_by_partial_worth_zero() -> Case:
    """The same with partial_credit = 0 and at_least = "parcial" (hypothesis' own shrink)."""
    form = small_form(
        FormItem("x", 1, "Ítem 1", AnswerType.YES_PARTIAL_NO, 0),
        yes_no("d", 2, when=Condition(item="x", at_least="parcial")),
        yes_no("y", 3),
        partial_credit=0.0,
    )
    return form, IDC, {"d": ItemAnswer(Answer.YES)}, "x"  # «no» on x: 50.0; «no aplica»: 0.0


# Known failure (source bug): when an item's condition asks for an answer worth 0 credit, «no»
# on its earlier item lets it count, while «no aplica» excludes it, so «no aplica» can score below
# «no». A None score («no aplica» leaving nothing to count) is not taken as lower.
@settings(max_examples=100, deadline=None)
@given(cases())
@example(_parent_reached_by_no())
@example(_parent_reached_by_partial_worth_zero())
def test_not_applicable_never_scores_below_no(case: Case) -> None:
    form, level, answers, code = case
    item = form.item(code)
    assert item is not None
    with_no = score_of(form, level, {**answers, code: zero_answer(item)})
    with_na = score_of(form, level, {**answers, code: ItemAnswer(Answer.NOT_APPLICABLE)})
    assert not_lower(with_na, with_no), (with_na, with_no)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_not_applicable_never_scores_below_unanswered(case: Case) -> None:
    form, level, answers, code = case
    unanswered = {c: a for c, a in answers.items() if c != code}
    with_na = score_of(form, level, {**answers, code: ItemAnswer(Answer.NOT_APPLICABLE)})
    assert not_lower(with_na, score_of(form, level, unanswered))


@settings(max_examples=100, deadline=None)
@given(cases())
def test_not_applicable_equals_removing_the_item_and_those_that_depend_on_it(
    case: Case,
) -> None:
    form, level, answers, code = case
    with_na = score_of(form, level, {**answers, code: ItemAnswer(Answer.NOT_APPLICABLE)})
    removed = without(form, {code} | dependents(form, code))
    if not removed.sections:
        assert with_na is None
    else:
        assert with_na == score_of(removed, level, answers)


@settings(max_examples=100, deadline=None)
@given(form=definitions(), level=levels, data=st.data())
def test_shortfalls_add_up_to_the_missing_points_largest_first(
    form: FormDefinition, level: InstanciaLevel, data: st.DataObject
) -> None:
    result = evaluate(form, level, data.draw(answers_for(form)))
    points = [s.points for s in result.shortfalls]
    assert points == sorted(points, reverse=True)
    assert all(p > 0 for p in points)
    if result.score is None:
        assert result.shortfalls == ()
    else:
        assert abs(sum(points) - (100.0 - result.score)) < 1e-6


@settings(max_examples=100, deadline=None)
@given(form=definitions(), level=levels, data=st.data())
def test_evaluate_counts_visible_items_and_lists_missing_evidence(
    form: FormDefinition, level: InstanciaLevel, data: st.DataObject
) -> None:
    answers = data.draw(answers_for(form))
    result = evaluate(form, level, answers)
    states = {i.code: applicability(form, i, level, answers) for i in form.items}
    visible = {c for c, s in states.items() if s is not Applicability.EXCLUDED}
    assert result.visible == visible
    assert result.applicable == len(visible)
    assert result.answered == len(visible & answers.keys())

    def lacks_evidence(given: ItemAnswer) -> bool:
        identified = given.evidence_number.strip() or given.evidence_date
        return not (given.evidence_type.strip() and (identified or given.evidence_attachment))

    expected = [
        i.code
        for i in form.items
        if states[i.code] is Applicability.APPLIES
        and i.code in answers
        and answers[i.code].code in i.evidence.required_when
        and lacks_evidence(answers[i.code])
    ]
    assert [i.code for i in result.missing_evidence] == expected
    assert result.score == score_of(form, level, answers)
    assert result.band == band_of(form, result.score)


def test_unanswered_counts_as_zero_and_not_applicable_is_left_out() -> None:
    form = small_form(
        yes_no("a", 1, weight=6),
        FormItem("b", 2, "Ítem 2", AnswerType.YES_PARTIAL_NO, 4),
        yes_no("c", 3, weight=10),
        partial_credit=0.25,
    )
    answers = {"a": ItemAnswer(Answer.YES), "b": ItemAnswer(Answer.PARTIAL)}
    assert score_of(form, IDC, answers) == 100.0 * (6 + 4 * 0.25) / 20
    answers["c"] = ItemAnswer(Answer.NOT_APPLICABLE)
    assert score_of(form, IDC, answers) == 70.0
    result = evaluate(form, IDC, answers)
    assert [(s.item.code, s.answer_code, s.points) for s in result.shortfalls] == [
        ("b", "parcial", 30.0)
    ]


def test_everything_not_applicable_has_no_score_band_or_stage() -> None:
    form = small_form(yes_no("a", 1), yes_no("b", 2, weight=0))
    answers = {"a": ItemAnswer(Answer.NOT_APPLICABLE)}
    result = evaluate(form, IDC, answers)
    assert (result.score, result.band, result.shortfalls) == (None, "", ())
    assert result.suggested_stage is Stage.NOT_CREATED


def test_dependent_item_is_blocked_until_its_parent_reaches_the_answer_it_needs() -> None:
    parent = FormItem("padre", 1, "Padre", AnswerType.YES_PARTIAL_NO, 4)
    child = yes_no("hijo", 2, weight=6, when=Condition(item="padre", at_least="parcial"))
    grandchild = yes_no("nieto", 3, when=Condition(item="hijo", at_least="si"))
    form = small_form(parent, child, grandchild)
    states = [
        (answers, [applicability(form, i, IDC, answers) for i in (child, grandchild)])
        for answers in (
            {},
            {"padre": ItemAnswer(Answer.NO)},
            {"padre": ItemAnswer(Answer.PARTIAL)},
            {"padre": ItemAnswer(Answer.YES), "hijo": ItemAnswer(Answer.YES)},
            {"padre": ItemAnswer(Answer.NOT_APPLICABLE), "hijo": ItemAnswer(Answer.YES)},
        )
    ]
    blocked, applies, excluded = (
        Applicability.BLOCKED,
        Applicability.APPLIES,
        Applicability.EXCLUDED,
    )
    assert [s for _, s in states] == [
        [blocked, blocked],
        [blocked, blocked],
        [applies, blocked],
        [applies, applies],
        [excluded, excluded],
    ]
    # A blocked item counts as 0 even when answered «sí».
    assert (
        score_of(form, IDC, {"padre": ItemAnswer(Answer.NO), "hijo": ItemAnswer(Answer.YES)}) == 0
    )


def test_item_of_another_level_is_excluded_with_its_dependents() -> None:
    only_irc = yes_no("irc", 1, when=Condition(levels=(InstanciaLevel.IRC,)))
    child = yes_no("hijo", 2, when=Condition(item="irc", at_least="si"))
    form = small_form(only_irc, child, yes_no("otro", 3))
    answers = {"irc": ItemAnswer(Answer.YES), "hijo": ItemAnswer(Answer.YES)}
    assert applicability(form, only_irc, IDC, answers) is Applicability.EXCLUDED
    assert applicability(form, child, IDC, answers) is Applicability.EXCLUDED
    assert applicability(form, child, InstanciaLevel.IRC, answers) is Applicability.APPLIES
    assert score_of(form, IDC, answers) == 0.0
    assert evaluate(form, IDC, answers).visible == frozenset({"otro"})


def test_missing_evidence_needs_a_type_and_a_number_date_or_file() -> None:
    item = FormItem(
        "norma", 1, "Norma", AnswerType.YES_NO, 1, evidence=EvidenceRule(("si",), ("Ordenanza",))
    )
    form = small_form(item)

    def missing(given: ItemAnswer) -> bool:
        return bool(evaluate(form, IDC, {"norma": given}).missing_evidence)

    assert missing(ItemAnswer(Answer.YES))
    assert missing(ItemAnswer(Answer.YES, evidence_type="Ordenanza"))
    assert missing(ItemAnswer(Answer.YES, evidence_type=" ", evidence_number="12"))
    assert not missing(ItemAnswer(Answer.YES, evidence_type="Ordenanza", evidence_number="12"))
    assert not missing(
        ItemAnswer(Answer.YES, evidence_type="Ordenanza", evidence_date=dt.date(2024, 1, 5))
    )
    assert not missing(ItemAnswer(Answer.YES, evidence_type="Ordenanza", evidence_attachment="3"))
    assert not missing(ItemAnswer(Answer.NO))


def idc_definition() -> FormDefinition:
    released = FormLibrary(forms_dir()).released()
    return next(
        r.checked.definition
        for r in released
        if r.checked.definition.form_id == "funcionamiento_idc"
    )


def yes_to(form: FormDefinition, *codes: str) -> dict[str, ItemAnswer]:
    assert all(form.item(c) for c in codes)
    return {c: ItemAnswer(Answer.YES) for c in codes}


def test_real_idc_definition_suggests_stages_from_its_rules() -> None:
    form = idc_definition()

    def stage(answers: dict[str, ItemAnswer]) -> Stage:
        return evaluate(form, IDC, answers).suggested_stage

    assert stage({}) is Stage.NOT_CREATED
    assert stage(yes_to(form, "norma_creacion")) is Stage.CREATED
    installed = yes_to(form, "norma_creacion", "instalacion")
    assert stage(installed) is Stage.INSTALLED
    four = yes_to(form, "norma_creacion", "instalacion", "reglamento_interno", "sesiones")
    score = score_of(form, IDC, four)
    assert score is not None
    assert score < 60
    assert stage(four) is Stage.INSTALLED
    everything = yes_to(form, *(i.code for i in form.items))
    assert score_of(form, IDC, everything) == 100.0
    assert stage(everything) is Stage.FUNCTIONING
    assert suggested_stage(form, IDC, four, 60.0) is Stage.FUNCTIONING
    assert suggested_stage(form, IDC, four, 59.99) is Stage.INSTALLED
    partial = {**installed, "instalacion": ItemAnswer(Answer.PARTIAL)}
    assert stage(partial) is Stage.CREATED
    assert stage({**installed, "instalacion": ItemAnswer(Answer.NOT_APPLICABLE)}) is (
        Stage.INSTALLED
    )


def test_real_idc_bands_change_at_40_and_75() -> None:
    form = idc_definition()
    labels = [band_of(form, s) for s in (None, 0.0, 39.99, 40.0, 74.99, 75.0, 100.0)]
    assert labels == [
        "",
        "Incipiente",
        "Incipiente",
        "En proceso",
        "En proceso",
        "Adecuado",
        "Adecuado",
    ]


def test_band_of_uses_the_highest_minimum_reached_whatever_the_order() -> None:
    form = FormDefinition(
        "f", 1, "F", (IDC,), (), (Band(75, "Alto"), Band(0, "Bajo"), Band(40, "Medio"))
    )
    assert [band_of(form, s) for s in (10.0, 50.0, 80.0)] == ["Bajo", "Medio", "Alto"]


def test_stage_rule_counts_only_si_on_items_that_apply() -> None:
    parent = yes_no("instalada", 1)
    child = yes_no("reinstalada", 2, when=Condition(item="instalada", at_least="si"))
    form = FormDefinition(
        "f",
        1,
        "F",
        (IDC,),
        (FormSection("s", "S", (parent, child)),),
        (Band(0, "Bajo"),),
        (StageRule(Stage.REACTIVATED, ("reinstalada",)),),
    )
    blocked = {"instalada": ItemAnswer(Answer.NO), "reinstalada": ItemAnswer(Answer.YES)}
    assert suggested_stage(form, IDC, blocked, 50.0) is Stage.NOT_CREATED
    reached = {**blocked, "instalada": ItemAnswer(Answer.YES)}
    assert suggested_stage(form, IDC, reached, 100.0) is Stage.REACTIVATED
