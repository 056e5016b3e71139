import pytest
from hypothesis import given
from hypothesis import strategies as st

from instancias_desktop.domain.ubigeo import (
    Territory,
    UbigeoLevel,
    check_ubigeo,
    is_capital_district,
    is_within,
    level_of,
    parent_of,
)

pair = st.integers(1, 99).map(lambda n: f"{n:02d}")
department = st.integers(1, 25).map(lambda n: f"{n:02d}")
well_formed = st.builds(lambda d, parts: d + "".join(parts), department, st.lists(pair, max_size=2))


@given(well_formed)
def test_well_formed_codes_pass_and_have_a_level(code: str) -> None:
    assert check_ubigeo(code) is None
    assert (
        level_of(code)
        is {2: UbigeoLevel.DEPARTMENT, 4: UbigeoLevel.PROVINCE, 6: UbigeoLevel.DISTRICT}[len(code)]
    )


@given(well_formed)
def test_parent_contains_child(code: str) -> None:
    parent = parent_of(code)
    if len(code) == 2:
        assert parent is None
    else:
        assert parent is not None and is_within(code, parent) and len(parent) == len(code) - 2


@given(
    st.text(alphabet="0123456789", min_size=1, max_size=8).filter(lambda s: len(s) not in (2, 4, 6))
)
def test_wrong_length_is_rejected(code: str) -> None:
    assert (
        check_ubigeo(code)
        == f"El ubigeo «{code}» debe tener 2, 4 o 6 dígitos, sin letras ni espacios."
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Escriba el ubigeo (2, 4 o 6 dígitos)."),
        ("26", "El ubigeo «26» no es válido: el código de departamento va de 01 a 25."),
        ("00", "El ubigeo «00» no es válido: el código de departamento va de 01 a 25."),
        ("1500", "El ubigeo «1500» no puede contener el par «00»."),
        ("15A1", "El ubigeo «15A1» debe tener 2, 4 o 6 dígitos, sin letras ni espacios."),
    ],
)
def test_malformed_codes(code: str, message: str) -> None:
    assert check_ubigeo(code) == message


def test_capital_district_and_territory_value() -> None:
    assert is_capital_district("150101")
    assert not is_capital_district("150102")
    assert not is_capital_district("1501")
    lima = Territory("1501", "Lima")
    assert lima.level is UbigeoLevel.PROVINCE
    assert lima.parent_code == "15"
    with pytest.raises(ValueError, match="2, 4 o 6"):
        level_of("123")


def test_full_width_digits_are_not_an_ubigeo() -> None:
    assert check_ubigeo("０８０１０４") is not None
