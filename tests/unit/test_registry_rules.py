"""The rules a record of the instancia's own record meets as a whole, as the server checks them."""

import pytest

from sync.registry_kinds import ATTENDANCE, INSTRUMENT, MEMBER, NORM, RECORD_FILE


@pytest.mark.parametrize(
    ("unit", "norm_type", "refused"),
    [
        ("GR08", "ordenanza_regional", False),
        ("GR08", "ordenanza_municipal", True),
        ("MD080108", "ordenanza_municipal", False),
        ("MD080108", "decreto_regional", True),
        ("MP0801", "acuerdo_concejo", False),
        ("MML", "ordenanza_municipal", False),  # Lima Metropolitana: municipal and regional
        ("MML", "resolucion_ejecutiva_regional", False),
        ("GR08", "resolucion", False),  # any level
    ],
)
def test_a_norm_is_of_a_type_its_government_issues(
    unit: str, norm_type: str, refused: bool
) -> None:
    broken = NORM.broken_rules({"norm_type": norm_type}, {"instancia_id": {"unit_code": unit}})
    assert bool(broken) is refused, broken


def test_a_tenure_ends_after_it_begins_and_a_dni_has_eight_digits() -> None:
    assert MEMBER.broken_rules({"since": "2025-03-01", "until": "2025-03-01"}, {}) == []
    assert MEMBER.broken_rules({"since": "2025-03-01", "until": "2025-02-28"}, {}) == [
        "«hasta» es anterior a «desde»"
    ]
    assert MEMBER.broken_rules({"document_type": "dni", "document_number": "4567"}, {}) == [
        "un DNI tiene 8 dígitos"
    ]
    assert MEMBER.broken_rules({"document_type": "ce", "document_number": "4567"}, {}) == []


def test_instruments_files_and_attendance() -> None:
    report = {"instrument_type": "informe", "recipient": ""}
    assert INSTRUMENT.broken_rules(report, {}) == [
        "un informe dice a quién se dirigió («dirigido a»)"
    ]
    assert RECORD_FILE.broken_rules({"norm_id": "n", "session_id": "s"}, {}) != []
    assert RECORD_FILE.broken_rules({"session_id": "s", "norm_id": None}, {}) == []
    seated = {"since": "2025-03-01", "until": "2026-01-10"}
    for held_on, refused in (("2025-03-01", False), ("2026-01-09", False), ("2026-01-10", True),
                             ("2025-02-28", True)):  # fmt: skip
        named = {"session_id": {"held_on": held_on}, "member_id": seated}
        assert bool(ATTENDANCE.broken_rules({}, named)) is refused, held_on
