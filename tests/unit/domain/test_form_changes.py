"""Comparing checklists across visits and versions, and planning a draft's version upgrade."""

import datetime as dt

import pytest
from helpers.form_strategies import answers_for, definitions, levels
from hypothesis import given, settings
from hypothesis import strategies as st

from instancias_desktop.domain.answer_checks import check_answer
from instancias_desktop.domain.enums import Answer, InstanciaLevel
from instancias_desktop.domain.form_changes import Trend, compare, plan_upgrade
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
from instancias_desktop.domain.scoring import score_of
from instancias_desktop.domain.validation import ValidationError

IDC = InstanciaLevel.IDC
SPN, YN, CHOICE = AnswerType.YES_PARTIAL_NO, AnswerType.YES_NO, AnswerType.CHOICE
STAGES = (
    Option("diseno", "Diseño", 0.34),
    Option("implementacion", "Implementación", 0.67),
    Option("gestion", "Gestión estratégica", 1.0),
)


def definition(version: int, *items: FormItem) -> FormDefinition:
    return FormDefinition(
        form_id="funcionamiento_idc",
        version=version,
        title="Ficha",
        levels=(IDC,),
        sections=(FormSection("s1", "Sección 1", items),),
        bands=(Band(0, "Incipiente"),),
    )


V1 = definition(
    1,
    FormItem("norma", 1, "La norma está vigente", SPN, 10),
    FormItem("sesiones", 2, "Sesiona", SPN, 8),
    FormItem("plan", 3, "Plan de trabajo aprobado", SPN, 5),
    FormItem("etapa", 4, "Etapa del observatorio", CHOICE, 4, options=STAGES),
    FormItem("retirado", 5, "Ítem que se retira", YN, 3),
    FormItem("informes", 6, "Remite informes", SPN, 3),
    FormItem("campanas", 7, "Realizó campañas", SPN, 5),
)
V2 = definition(
    2,
    FormItem("norma", 1, "La norma está vigente", SPN, 10),
    FormItem("sesiones", 2, "Sesiona con la periodicidad de su reglamento", SPN, 6),
    FormItem("plan", 3, "Plan de trabajo aprobado", YN, 5),
    FormItem(
        "etapa",
        4,
        "Etapa del observatorio",
        CHOICE,
        4,
        options=(*STAGES[1:], Option("inicial", "Inicial", 0.1)),
    ),
    FormItem("informes", 5, "Remite informes", SPN, 3, not_applicable=False),
    FormItem(
        "campanas",
        6,
        "Realizó campañas",
        SPN,
        5,
        when=Condition(item="norma", at_least="si"),
        evidence=EvidenceRule(("si",), ("Informe",)),
    ),
    FormItem("nuevo", 7, "Cuenta con presupuesto", YN, 4),
)


def test_compare_matches_items_by_code_and_reports_each_trend_by_credit() -> None:
    previous = {
        "norma": ItemAnswer(Answer.YES),
        "sesiones": ItemAnswer(Answer.NO),
        "plan": ItemAnswer(Answer.PARTIAL),
        "etapa": ItemAnswer(Answer.PARTIAL, option="implementacion"),
        "retirado": ItemAnswer(Answer.YES),
        "informes": ItemAnswer(Answer.NOT_APPLICABLE),
    }
    current = {
        "norma": ItemAnswer(Answer.PARTIAL),
        "sesiones": ItemAnswer(Answer.YES),
        "plan": ItemAnswer(Answer.YES),
        "etapa": ItemAnswer(Answer.PARTIAL, option="implementacion"),
        "informes": ItemAnswer(Answer.NO),
        "nuevo": ItemAnswer(Answer.YES),
    }
    result = compare(IDC, (V2, current), (V1, previous), "ACTA-2024-001", "02/05/2024")
    assert [(c.code, c.before, c.after, c.trend) for c in result.changes] == [
        ("norma", "Sí", "Parcial", Trend.WORSENED),
        ("sesiones", "No", "Sí", Trend.IMPROVED),
        ("plan", "Parcial", "Sí", Trend.IMPROVED),
        ("etapa", "Implementación", "Implementación", Trend.UNCHANGED),
        ("informes", "No aplica", "No", Trend.NOT_COMPARABLE),
        ("campanas", "", "", Trend.NOT_COMPARABLE),
    ]
    assert result.changes[1].text == "Sesiona con la periodicidad de su reglamento"
    assert (result.previous_acta, result.previous_date) == ("ACTA-2024-001", "02/05/2024")
    assert result.previous_score == score_of(V1, IDC, previous)
    assert result.score == score_of(V2, IDC, current)
    counts = [result.count(t) for t in Trend]
    assert counts == [2, 1, 1, 2]
    assert [t.value for t in Trend] == ["mejoró", "empeoró", "igual", "sin comparación"]


@settings(max_examples=60, deadline=None)
@given(form=definitions(), level=levels, data=st.data())
def test_compare_trend_follows_the_credit_of_both_answers(
    form: FormDefinition, level: InstanciaLevel, data: st.DataObject
) -> None:
    # Only answers the item offers: check_answer refuses any other before it is stored.
    before = data.draw(answers_for(form, offered_only=True))
    after = data.draw(answers_for(form, offered_only=True))
    result = compare(level, (form, after), (form, before), "A-1", "01/01/2025")
    assert [c.code for c in result.changes] == [i.code for i in form.items]
    for item, change in zip(form.items, result.changes, strict=True):
        was, now = before.get(item.code), after.get(item.code)
        if was is None or now is None or Answer.NOT_APPLICABLE in (was.answer, now.answer):
            assert change.trend is Trend.NOT_COMPARABLE
            continue
        delta = credit(form, item, now.code) - credit(form, item, was.code)
        expected = Trend.IMPROVED if delta > 0 else Trend.WORSENED if delta < 0 else Trend.UNCHANGED
        assert change.trend is expected
    same = compare(level, (form, before), (form, before), "A-1", "01/01/2025")
    assert {c.trend for c in same.changes} <= {Trend.UNCHANGED, Trend.NOT_COMPARABLE}


def test_plan_upgrade_lists_added_removed_and_changed_items_with_spanish_aspects() -> None:
    upgrade = plan_upgrade(V1, V2, {})
    assert [i.code for i in upgrade.added] == ["nuevo"]
    assert [i.code for i in upgrade.removed] == ["retirado"]
    assert [(i.code, what) for i, what in upgrade.changed] == [
        ("sesiones", ("el texto", "el peso")),
        ("plan", ("el tipo de respuesta",)),
        ("etapa", ("las opciones",)),
        ("informes", ("si admite «no aplica»",)),
        ("campanas", ("la condición", "el medio de verificación exigido")),
    ]
    assert upgrade.dropped == ()
    assert (upgrade.old, upgrade.new) == (V1, V2)


def test_plan_upgrade_drops_answers_the_new_version_no_longer_admits() -> None:
    answers = {
        "norma": ItemAnswer(Answer.YES),
        "sesiones": ItemAnswer(Answer.NOT_APPLICABLE),
        "plan": ItemAnswer(Answer.PARTIAL),
        "etapa": ItemAnswer(Answer.NO, option="diseno"),
        "retirado": ItemAnswer(Answer.YES),
        "informes": ItemAnswer(Answer.NOT_APPLICABLE),
        "campanas": ItemAnswer(Answer.PARTIAL),
    }
    assert plan_upgrade(V1, V2, answers).dropped == ("etapa", "informes", "plan", "retirado")
    kept = {
        "plan": ItemAnswer(Answer.YES),
        "etapa": ItemAnswer(Answer.PARTIAL, option="implementacion"),
        "informes": ItemAnswer(Answer.NO),
    }
    assert plan_upgrade(V1, V2, kept).dropped == ()


def test_plan_upgrade_describes_every_change_in_spanish() -> None:
    answers = {"retirado": ItemAnswer(Answer.YES), "plan": ItemAnswer(Answer.PARTIAL)}
    assert plan_upgrade(V1, V2, answers).describe() == [
        "Nuevo ítem: 7. Cuenta con presupuesto",
        "Se retira el ítem: Ítem que se retira",
        "Cambia «Sesiona con la periodicidad de su reglamento»: el texto, el peso",
        "Cambia «Plan de trabajo aprobado»: el tipo de respuesta",
        "Cambia «Etapa del observatorio»: las opciones",
        "Cambia «Remite informes»: si admite «no aplica»",
        "Cambia «Realizó campañas»: la condición, el medio de verificación exigido",
        "Se descartarán 2 respuestas que la nueva versión ya no admite.",
    ]
    assert plan_upgrade(V1, V1, {"norma": ItemAnswer(Answer.YES)}).describe() == []


@settings(max_examples=60, deadline=None)
@given(form=definitions(), data=st.data())
def test_upgrade_to_the_same_version_drops_exactly_the_answers_check_answer_refuses(
    form: FormDefinition, data: st.DataObject
) -> None:
    answers = data.draw(answers_for(form))
    upgrade = plan_upgrade(form, form, answers)
    assert (upgrade.added, upgrade.removed, upgrade.changed) == ((), (), ())
    refused = []
    for code, stored in answers.items():
        try:
            check_answer(form, code, stored, dt.date(2030, 1, 1), {"7"})
        except ValidationError as error:
            if error.for_field("answer"):
                refused.append(code)
    assert list(upgrade.dropped) == sorted(refused)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (FormItem("a", 1, "A", YN, 1), FormItem("a", 1, "A", YN, 1, help="Otra ayuda")),
        (FormItem("a", 1, "A", YN, 1), FormItem("a", 3, "A", YN, 1, basis="Ley 31439")),
    ],
)
def test_help_basis_and_position_are_not_reported_as_changes(
    before: FormItem, after: FormItem
) -> None:
    upgrade = plan_upgrade(definition(1, before), definition(2, after), {})
    assert upgrade.changed == ()
