"""Acta numbers: formatting, pattern and series checks, device series codes."""

import json
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instancias_desktop.domain.acta_numbers import (
    DEFAULT_ACTA_PATTERN,
    ActaNumber,
    check_acta_pattern,
    check_series_code,
    new_series_code,
)
from instancias_desktop.settings import Settings, ensure_acta_series, load_settings

MISSING_FIELDS = (
    "El formato del N° de acta debe incluir {numero}, {anio} y {serie} para que ningún número "
    "se repita entre equipos ni entre años; por ejemplo: N° {numero:03d}-{anio}-MIMP/DGCVG-DPVLV-"
    "{serie}"
)
INVALID_PREFIX = "El formato del N° de acta no es válido ("
INVALID_SUFFIX = "); use N° {numero:03d}-{anio}-MIMP/DGCVG-DPVLV-{serie}"
SERIES_CHARACTERS = "La serie de actas lleva letras, números o guiones (p. ej. E01)."
SERIES_LENGTH = "La serie de actas admite hasta 20 caracteres."
UNAMBIGUOUS = set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


@pytest.mark.parametrize(
    ("number", "pattern", "text"),
    [
        (ActaNumber("E07", 2026, 1), DEFAULT_ACTA_PATTERN, "N° 001-2026-MIMP/DGCVG-DPVLV-E07"),
        (ActaNumber("E07", 2026, 12), DEFAULT_ACTA_PATTERN, "N° 012-2026-MIMP/DGCVG-DPVLV-E07"),
        (ActaNumber("D7KQ2M", 2027, 1234), DEFAULT_ACTA_PATTERN,
         "N° 1234-2027-MIMP/DGCVG-DPVLV-D7KQ2M"),
        (ActaNumber("E01", 2026, 5), "{serie}/{numero}/{anio}", "E01/5/2026"),
        (ActaNumber("E01", 2026, 5), "AT {numero:04d}-{serie} ({anio})", "AT 0005-E01 (2026)"),
    ],
)  # fmt: skip
def test_an_acta_number_formats_with_the_pattern(
    number: ActaNumber, pattern: str, text: str
) -> None:
    assert number.format(pattern) == text


def test_the_default_pattern_is_the_one_of_the_ministry() -> None:
    assert ActaNumber("E07", 2026, 3).format() == "N° 003-2026-MIMP/DGCVG-DPVLV-E07"
    assert check_acta_pattern(DEFAULT_ACTA_PATTERN) is None


@settings(derandomize=True)  # the same examples on every run
@given(
    st.integers(1, 99_999),
    st.integers(1, 99_999),
    st.sampled_from(["E01", "E07", "D7KQ2M"]),
    st.integers(2000, 2100),
)
def test_distinct_sequences_never_print_alike(
    first: int, second: int, series: str, year: int
) -> None:
    same = ActaNumber(series, year, first).format() == ActaNumber(series, year, second).format()
    assert same == (first == second)


@pytest.mark.parametrize(
    "pattern",
    ["N° {anio}-MIMP-{serie}", "N° {numero:03d}-{anio}-MIMP", "", "{anio}", "numero serie"],
)
def test_a_pattern_without_number_or_series_is_refused(pattern: str) -> None:
    assert check_acta_pattern(pattern) == MISSING_FIELDS


@pytest.mark.parametrize(
    ("pattern", "detail"),
    [
        ("{numero:zz}-{serie}", "Unknown format code 'z' for object of type 'int'"),
        ("{numero:03d}-{serie:d}", "Unknown format code 'd' for object of type 'str'"),
        ("{numero}-{serie}-{distrito}", "'distrito'"),
        ("{numero}-{serie}-{}", "Replacement index 0 out of range for positional args tuple"),
        ("{numero {serie}", "unexpected '{' in field name"),
        ("{numero}-{serie", "expected '}' before end of string"),
    ],
)
def test_a_pattern_that_does_not_format_is_refused_with_the_reason(
    pattern: str, detail: str
) -> None:
    assert check_acta_pattern(pattern) == INVALID_PREFIX + detail + INVALID_SUFFIX


@pytest.mark.parametrize("pattern", ["{numero.real.x}-{serie}", "{numero[0]}-{serie}"])
def test_every_unformattable_pattern_gets_a_message(pattern: str) -> None:
    message = check_acta_pattern(pattern)
    assert message is not None
    assert message.startswith(INVALID_PREFIX)


@pytest.mark.parametrize(
    "pattern", ["N° {{numero}}-{anio}-{serie}", "N° {numero}-{serie:.0}", "{serie}-{numero:03d}"]
)
def test_a_pattern_that_repeats_numbers_is_refused(pattern: str) -> None:
    others = [ActaNumber("E01", 2026, 2), ActaNumber("E02", 2026, 1), ActaNumber("E01", 2027, 1)]
    printed = ActaNumber("E01", 2026, 1).format(pattern)
    assert printed in {other.format(pattern) for other in others}
    assert check_acta_pattern(pattern) is not None


def test_new_series_codes_are_unambiguous_and_valid() -> None:
    codes = {new_series_code() for _n in range(300)}
    assert len(codes) > 250  # random, not a constant
    for code in codes:
        assert len(code) == 6
        assert code[0] == "D"
        assert set(code[1:]) <= UNAMBIGUOUS
        assert not set(code) & set("OI01")
        assert check_series_code(code) is None


@settings(derandomize=True)  # the same examples on every run
@given(st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=20))
def test_short_ascii_series_codes_are_accepted(code: str) -> None:
    assert check_series_code(code) is None


@settings(derandomize=True)  # the same examples on every run
@given(
    st.text(string.ascii_letters + string.digits, max_size=8),
    st.sampled_from([" ", "/", "_", "É", "ñ", "０", ".", "\t", "°"]),
)
def test_series_codes_with_other_characters_are_refused(prefix: str, bad: str) -> None:
    assert check_series_code(prefix + bad) == SERIES_CHARACTERS


@pytest.mark.parametrize(
    ("code", "message"),
    [("", SERIES_CHARACTERS), ("E 07", SERIES_CHARACTERS), ("E" * 21, SERIES_LENGTH),
     ("E" * 20, None), ("e-07", None)],
)  # fmt: skip
def test_series_code_messages(code: str, message: str | None) -> None:
    assert check_series_code(code) == message


def test_a_device_gets_one_series_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    first = ensure_acta_series(path, Settings(author="ana"))
    assert check_series_code(first.acta_series) is None
    assert first.author == "ana"
    assert json.loads(path.read_text(encoding="utf-8"))["acta_series"] == first.acta_series
    again = ensure_acta_series(path, Settings(author="ana"))
    assert again.acta_series == first.acta_series
    assigned = ensure_acta_series(path, Settings(acta_series="E07"))
    assert assigned.acta_series == "E07"


def test_bad_acta_settings_fall_back_to_safe_values(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    raw = {"acta_pattern": "{anio}", "acta_series": "E 07", "attachment_limit_mb": 0}
    path.write_text(json.dumps({"version": 1, **raw}), encoding="utf-8")
    settings = load_settings(path)
    assert (settings.acta_pattern, settings.acta_series, settings.attachment_limit_mb) == (
        DEFAULT_ACTA_PATTERN, "", 25,
    )  # fmt: skip
    path.write_text(json.dumps({"acta_series": "E07", "acta_pattern": "{serie}-{numero}"}), "utf-8")
    assert (load_settings(path).acta_series, load_settings(path).acta_pattern) == (
        "E07", DEFAULT_ACTA_PATTERN,  # without the year, numbers would repeat every January
    )  # fmt: skip
