import pytest

from instancias_desktop.domain.enums import InstanciaLevel
from instancias_desktop.domain.membership import Cardinality, MemberEntityType, composition_problems

TYPES = (
    MemberEntityType(
        "muni", InstanciaLevel.IDC, "Municipalidad distrital", Cardinality.EXACTLY, 1, 1
    ),
    MemberEntityType("osc", InstanciaLevel.IDC, "Sociedad civil", Cardinality.UP_TO, 2, 2),
    MemberEntityType("cem", InstanciaLevel.IDC, "CEM", Cardinality.IF_ANY, 1, 3),
)


def test_a_complete_composition_has_no_problems() -> None:
    assert composition_problems(TYPES, {"muni": 1, "osc": 2, "cem": 1}) == []


def test_an_entity_that_sits_where_it_exists_is_a_gap_to_check_in_the_territory() -> None:
    assert composition_problems(TYPES, {"muni": 1}, "distrito") == [
        "Falta: CEM (si existe en el distrito)."
    ]


def test_a_rule_resting_on_an_assumption_says_so() -> None:
    assumed = (
        MemberEntityType(
            "cp", InstanciaLevel.IDC, "Centros poblados", Cardinality.EXACTLY, 2, 1,
            assumption=True,
        ),
    )  # fmt: skip
    assert composition_problems(assumed, {"cp": 1}) == [
        "Falta: Centros poblados (exactamente 2); hay 1 — regla supuesta, a confirmar por el MIMP."
    ]


def test_missing_excess_and_unknown_seats_are_named() -> None:
    assert composition_problems(TYPES, {"osc": 3, "cem": 2, "iglesia": 1}) == [
        "Falta: Municipalidad distrital (exactamente 1); hay 0.",
        "Sobra: Sociedad civil (hasta 2); hay 3.",
        "Sobra: CEM (hasta 1, si existe en el territorio); hay 2.",
        "Tipo de entidad desconocido: «iglesia».",
    ]


def test_count_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        MemberEntityType("x", InstanciaLevel.IRC, "X", Cardinality.UP_TO, 0, 1)
