"""Checks of one checklist answer: offered answers, «no aplica», evidence dates, files, lengths."""

import datetime as dt

import pytest
from helpers.form_strategies import answer_with, definitions
from hypothesis import given, settings
from hypothesis import strategies as st

from instancias_desktop.domain.answer_checks import EVIDENCE_FIELD_LIMIT, check_answer
from instancias_desktop.domain.enums import Answer, InstanciaLevel
from instancias_desktop.domain.forms import (
    AnswerType,
    Band,
    FormDefinition,
    FormItem,
    FormSection,
    ItemAnswer,
    Option,
)
from instancias_desktop.domain.validation import FieldError, ValidationError

TODAY = dt.date(2025, 6, 2)
ANNEXES = frozenset({"7", "12"})

FORM = FormDefinition(
    form_id="funcionamiento_idc",
    version=2,
    title="Ficha",
    levels=(InstanciaLevel.IDC,),
    sections=(
        FormSection(
            "s1",
            "Sección 1",
            (
                FormItem("norma", 1, "Norma", AnswerType.YES_PARTIAL_NO, 10),
                FormItem("presidencia", 2, "Presidencia", AnswerType.YES_NO, 8),
                FormItem(
                    "instalacion", 3, "Instalada", AnswerType.YES_NO, 10, not_applicable=False
                ),
                FormItem(
                    "etapa",
                    4,
                    "Etapa",
                    AnswerType.CHOICE,
                    4,
                    options=(
                        Option("gestion", "Gestión estratégica", 1.0),
                        Option("implementacion", "Implementación", 0.67),
                        Option("diseno", "Diseño", 0.34),
                    ),
                ),
                FormItem(
                    "avance",
                    5,
                    "Avance",
                    AnswerType.CHOICE,
                    2,
                    options=(Option("si", "Completo", 1.0), Option("no", "Nada", 0.0)),
                ),
            ),
        ),
    ),
    bands=(Band(0, "Incipiente"),),
)


def errors_of(code: str, answer: ItemAnswer) -> tuple[FieldError, ...]:
    with pytest.raises(ValidationError) as caught:
        check_answer(FORM, code, answer, TODAY, ANNEXES)
    return caught.value.errors


def test_offered_answers_with_sensible_evidence_pass() -> None:
    fine = [
        ("norma", ItemAnswer(Answer.PARTIAL, evidence_type="Ordenanza", evidence_date=TODAY)),
        ("presidencia", ItemAnswer(Answer.NOT_APPLICABLE)),
        ("instalacion", ItemAnswer(Answer.YES, evidence_attachment="12")),
        ("etapa", ItemAnswer(Answer.PARTIAL, option="implementacion")),
        ("avance", ItemAnswer(Answer.YES, option="si")),
    ]
    for code, answer in fine:
        check_answer(FORM, code, answer, TODAY, ANNEXES)


def test_unknown_item_is_refused_and_nothing_else_is_checked() -> None:
    answer = ItemAnswer(Answer.YES, evidence_date=TODAY + dt.timedelta(days=1), note="x" * 30_000)
    assert errors_of("observatorio", answer) == (
        FieldError("answer", "La ficha funcionamiento_idc v2 no tiene el ítem «observatorio»."),
    )


@pytest.mark.parametrize(
    ("code", "answer", "message"),
    [
        ("instalacion", ItemAnswer(Answer.PARTIAL), "El ítem 3 se responde con: Sí, No."),
        (
            "etapa",
            ItemAnswer(Answer.YES),
            "El ítem 4 se responde con: Gestión estratégica, Implementación, Diseño.",
        ),
        ("instalacion", ItemAnswer(Answer.NOT_APPLICABLE), "El ítem 3 no admite «No aplica»."),
        (
            "presidencia",
            ItemAnswer(Answer.YES, option="diseno"),
            "El ítem 2 no tiene la opción «diseno».",
        ),
        ("norma", ItemAnswer(Answer.YES, option="total"), "El ítem 1 no tiene la opción «total»."),
        (
            "etapa",
            ItemAnswer(Answer.NO, option="retirada"),
            "El ítem 4 no tiene la opción «retirada».",
        ),
        (
            "etapa",
            ItemAnswer(Answer.YES, option="diseno"),
            "La respuesta «Sí» no corresponde a la opción «Diseño» del ítem 4.",
        ),
    ],
)
def test_answer_the_item_does_not_offer_is_refused_with_the_offered_labels(
    code: str, answer: ItemAnswer, message: str
) -> None:
    assert errors_of(code, answer) == (FieldError("answer", message),)


def test_evidence_dated_after_today_is_refused() -> None:
    answer = ItemAnswer(Answer.YES, evidence_type="Acta", evidence_date=dt.date(2025, 6, 3))
    assert errors_of("norma", answer) == (
        FieldError(
            "evidence_date", "La fecha del documento (03/06/2025) no puede ser posterior a hoy."
        ),
    )


def test_attachment_must_be_one_of_the_visit_annexes() -> None:
    answer = ItemAnswer(Answer.YES, evidence_type="Acta", evidence_attachment="8")
    assert errors_of("norma", answer) == (
        FieldError("evidence_attachment", "El archivo elegido ya no es un anexo de esta visita."),
    )


@pytest.mark.parametrize(
    ("answer", "field", "message"),
    [
        (
            ItemAnswer(Answer.YES, evidence_type="T" * 101),
            "evidence_type",
            "«Tipo de documento» admite hasta 100 caracteres; tiene 101.",
        ),
        (
            ItemAnswer(Answer.YES, evidence_number="9" * 150),
            "evidence_number",
            "«Número del documento» admite hasta 100 caracteres; tiene 150.",
        ),
        (
            ItemAnswer(Answer.YES, note="n" * 20_001),
            "note",
            "«Nota» admite hasta 20000 caracteres; tiene 20001.",
        ),
    ],
    ids=["evidence_type", "evidence_number", "note"],
)
def test_too_long_fields_are_refused_per_field(
    answer: ItemAnswer, field: str, message: str
) -> None:
    assert errors_of("norma", answer) == (FieldError(field, message),)


def test_fields_at_their_limit_pass() -> None:
    answer = ItemAnswer(
        Answer.YES,
        evidence_type="T" * EVIDENCE_FIELD_LIMIT,
        evidence_number="9" * EVIDENCE_FIELD_LIMIT,
        note="n" * 20_000,
    )
    check_answer(FORM, "norma", answer, TODAY, ANNEXES)


def test_every_problem_is_reported_at_once() -> None:
    answer = ItemAnswer(
        Answer.NOT_APPLICABLE,
        evidence_type="T" * 101,
        evidence_date=dt.date(2026, 1, 1),
        evidence_attachment="99",
        note="n" * 20_001,
    )
    errors = errors_of("instalacion", answer)
    assert [e.field for e in errors] == [
        "answer",
        "evidence_type",
        "note",
        "evidence_date",
        "evidence_attachment",
    ]
    assert errors[0].message == "El ítem 3 no admite «No aplica»."


@settings(max_examples=60, deadline=None)
@given(form=definitions(), data=st.data())
def test_every_offered_answer_passes_and_no_aplica_only_where_allowed(
    form: FormDefinition, data: st.DataObject
) -> None:
    item = data.draw(st.sampled_from(form.items))
    for code in item.choices():
        check_answer(form, item.code, answer_with(item, code), TODAY, ANNEXES)
    not_applicable = ItemAnswer(Answer.NOT_APPLICABLE)
    if item.not_applicable:
        check_answer(form, item.code, not_applicable, TODAY, ANNEXES)
    else:
        with pytest.raises(ValidationError) as caught:
            check_answer(form, item.code, not_applicable, TODAY, ANNEXES)
        assert caught.value.for_field("answer") == (
            f"El ítem {item.number} no admite «No aplica».",
        )
