"""The acta's canonical content, hash and code: any change shows; typed codes are read back."""

import dataclasses
import hashlib
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instancias_desktop.domain.acta_code import (
    ActaSnapshot,
    canonical_content,
    code_of,
    content_hash,
    find_code,
    qr_text,
    record_of,
    snapshot_of,
)
from instancias_desktop.domain.acta_record import (
    ActaRecord,
    AgreementLine,
    ChecklistLine,
    ChecklistPart,
    FollowUpLine,
    ParticipantLine,
    record_from_dict,
    record_to_dict,
)

FORMAT = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
CHECKLIST = ChecklistPart(
    title="Lista de verificación del funcionamiento de la Instancia Distrital de Concertación",
    form="funcionamiento_idc v1",
    lines=(
        ChecklistLine("Creación e instalación", 1, "La norma de creación existe", "Sí",
                      "Ordenanza Municipal, N° 003-2025-MDW", "Vigente"),
        ChecklistLine("Resultados", 13, "Realizó campañas de prevención", "No", "", ""),
    ),
    score="49 / 100",
    band="En proceso",
    suggested_stage="Creada",
    answered="2 de 14",
)  # fmt: skip
RECORD = ActaRecord(
    acta_number="N° 001-2026-MIMP/DGCVG-DPVLV-E07",
    finalized=True,
    finalized_at="10/03/2026 11:05",
    addendum_of="N° 000-2026-MIMP/DGCVG-DPVLV-E07",
    visit_date="10/03/2026",
    start_time="09:30",
    end_time="11:00",
    place="Municipalidad Distrital de Wanchaq",
    territory="Wanchaq, Cusco, Cusco (ubigeo 080108)",
    modality="Presencial",
    entity="Municipalidad Distrital de Wanchaq",
    instancia="Instancia Distrital de Concertación de Wanchaq",
    level="Distrital",
    at_type="Funcionamiento",
    stage="Creada",
    objective="Evaluar el funcionamiento",
    agenda="1. Bienvenida\n2. Lista de verificación",
    development="Se revisó la ordenanza «003-2025-MDW».",
    instruments="Guía",
    diagnosis="En proceso",
    checklist=CHECKLIST,
    agreements=(
        AgreementLine(1, "Aprobar el plan", "Municipalidad — Juan Pérez", "30/04/2026", "Acta"),
        AgreementLine(2, "Sesionar", "Municipalidad", "31/05/2026", ""),
    ),
    participants=(
        ParticipantLine(1, "María Núñez Quispe", "DNI 45678912", "Municipalidad de Wanchaq",
                        "Regidora", "Presidente(a)"),
        ParticipantLine(2, "José Güémez", "DNI 41234567", "CEM Wanchaq", "", "Invitado(a)"),
    ),
    specialist="especialista.prueba",
    follow_ups=(
        FollowUpLine("N° 1 del acta N° 012-2025", "Instalar", "Cumplido", "10/03/2026", "", "Acta",
                     ""),
        FollowUpLine("N° 2 del acta N° 012-2025", "Sesionar", "Reprogramado", "10/03/2026",
                     "30/06/2026", "", "Sin quórum"),
    ),
)  # fmt: skip
LINE_KINDS: tuple[type, ...] = (
    ParticipantLine, AgreementLine, ChecklistPart, ChecklistLine, FollowUpLine,
)  # fmt: skip


def code(record: ActaRecord) -> str:
    return code_of(content_hash(canonical_content(record)))


def changed(value: Any) -> Any:
    """Another value of the same field: a character more, one more, flipped, one line less."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, tuple):
        return value[:-1]
    if isinstance(value, ChecklistPart):
        return None
    assert value is None
    return CHECKLIST


def edit(line: Any, name: str) -> Any:
    return dataclasses.replace(line, **{name: changed(getattr(line, name))})


def with_line_changed(record: ActaRecord, kind: type, name: str) -> ActaRecord:
    """The record with one field of its last line of ``kind`` changed."""
    checklist = record.checklist
    assert checklist is not None
    if kind is ParticipantLine:
        people = record.participants
        return dataclasses.replace(record, participants=(*people[:-1], edit(people[-1], name)))
    if kind is AgreementLine:
        agreed = record.agreements
        return dataclasses.replace(record, agreements=(*agreed[:-1], edit(agreed[-1], name)))
    if kind is ChecklistPart:
        return dataclasses.replace(record, checklist=edit(checklist, name))
    if kind is FollowUpLine:
        done = record.follow_ups
        return dataclasses.replace(record, follow_ups=(*done[:-1], edit(done[-1], name)))
    *lines, line = checklist.lines
    return dataclasses.replace(
        record, checklist=dataclasses.replace(checklist, lines=(*lines, edit(line, name)))
    )


def decoded(value: str) -> int:
    """The number a code stands for (an independent reading of Crockford's base 32)."""
    number = 0
    for character in value.replace("-", ""):
        number = number * 32 + ALPHABET.index(character)
    return number


# ------------------------------------------------------------------- any change shows
@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(ActaRecord)])
def test_changing_any_field_of_the_record_changes_the_code(name: str) -> None:
    other = dataclasses.replace(RECORD, **{name: changed(getattr(RECORD, name))})
    assert other != RECORD
    assert code(other) != code(RECORD)
    assert content_hash(canonical_content(other)) != content_hash(canonical_content(RECORD))


@pytest.mark.parametrize(
    ("kind", "name"),
    [(kind, f.name) for kind in LINE_KINDS for f in dataclasses.fields(kind)],
    ids=lambda value: value.__name__ if isinstance(value, type) else value,
)
def test_changing_any_field_of_any_line_changes_the_code(kind: type, name: str) -> None:
    other = with_line_changed(RECORD, kind, name)
    assert other != RECORD
    assert code(other) != code(RECORD)


def test_adding_a_checklist_to_an_acta_without_one_changes_the_code() -> None:
    without = dataclasses.replace(RECORD, checklist=None)
    assert code(dataclasses.replace(without, checklist=changed(None))) != code(without)


def test_reordering_lines_or_moving_text_between_fields_changes_the_code() -> None:
    swapped = dataclasses.replace(RECORD, participants=RECORD.participants[::-1])
    moved = dataclasses.replace(RECORD, objective="Evaluar el", agenda=" funcionamiento")
    joined = dataclasses.replace(RECORD, objective="Evaluar el ", agenda="funcionamiento")
    codes = {code(RECORD), code(swapped), code(moved), code(joined)}
    assert len(codes) == 4


def test_the_same_content_always_gives_the_same_code() -> None:
    copy = record_from_dict(json.loads(json.dumps(record_to_dict(RECORD))))
    assert copy == RECORD and copy is not RECORD
    assert canonical_content(copy) == canonical_content(RECORD)
    assert code(copy) == code(RECORD)


# ------------------------------------------------------------------ canonical content
def test_the_record_survives_the_round_trip_through_a_dict_and_the_snapshot() -> None:
    assert record_from_dict(record_to_dict(RECORD)) == RECORD
    assert record_of(canonical_content(RECORD)) == RECORD
    without = dataclasses.replace(RECORD, checklist=None, agreements=(), participants=())
    assert record_of(canonical_content(without)) == without


def test_the_canonical_content_is_compact_sorted_json_in_utf8() -> None:
    content = canonical_content(RECORD)
    data = json.loads(content)
    assert list(data) == sorted(data)
    assert list(data["checklist"]) == sorted(data["checklist"])
    assert "María Núñez Quispe" in content and "\\u00" not in content
    assert content == json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert content_hash(content) == hashlib.sha256(content.encode("utf-8")).hexdigest()


@settings(max_examples=60, deadline=None)
@given(st.from_type(ActaRecord))
def test_any_record_round_trips_through_its_canonical_content(record: ActaRecord) -> None:
    assert record_of(canonical_content(record)) == record
    assert record_from_dict(record_to_dict(record)) == record


# ------------------------------------------------------------------------- the code
def test_the_code_is_the_first_60_bits_of_the_hash_in_crockford_base_32() -> None:
    assert code_of("0" * 64) == "0000-0000-0000"
    assert code_of("f" * 64) == "ZZZZ-ZZZZ-ZZZZ"
    assert code_of("0" * 14 + "1" + "f" * 49) == "0000-0000-0001"
    assert code_of("0" * 13 + "20" + "f" * 49) == "0000-0000-0010"


@given(st.text("0123456789abcdef", min_size=64, max_size=64))
def test_every_code_has_the_format_and_reads_back_to_its_bits(digest: str) -> None:
    value = code_of(digest)
    assert FORMAT.match(value)
    assert not set(value) & set("ILOU")
    assert decoded(value) == int(digest[:15], 16)
    assert find_code(value) == value


@given(
    st.text("0123456789abcdef", min_size=64, max_size=64),
    st.sampled_from(["-", " ", ""]),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_a_code_typed_carelessly_is_still_found(
    digest: str, separator: str, lower: bool, random: Any
) -> None:
    value = code_of(digest)
    misread = {"0": "O", "1": random.choice("IL"), "V": "U"}
    typed = "".join(misread.get(c, c) if random.random() < 0.5 else c for c in value)
    typed = typed.replace("-", separator)
    assert find_code(typed.lower() if lower else typed) == value
    assert find_code(f"  código: {typed}\n") == value


@given(st.text(max_size=40), st.text("0123456789abcdef", min_size=64, max_size=64))
def test_the_qr_text_gives_back_its_code(number: str, digest: str) -> None:
    value = code_of(digest)
    assert find_code(qr_text(number, value)) == value


# What a barcode scanner set to a US layout types into Windows set to another layout: the keys
# it presses are US keys; the characters are the layout's. «°» has no US key: scanners drop it.
_US_KEYS_ON = {
    "es": {"-": "'", "/": "-", "'": "´", ";": "ñ", "=": "¡", "°": ""},
    "latam": {"-": "'", "/": "-", "'": "{", ";": "ñ", "=": "¿", "°": ""},
}
_NUMBERS = st.builds(
    "N° {:03d}-{}-MIMP/DGCVG-DPVLV-{}".format,
    st.integers(1, 999),
    st.integers(2024, 2040),
    st.text("ABCDEFGHJKMNPQRSTVWXYZ0123456789", min_size=2, max_size=4),
)


@given(
    _NUMBERS,
    st.text("0123456789abcdef", min_size=64, max_size=64),
    st.sampled_from(sorted(_US_KEYS_ON)),
    st.booleans(),
)
def test_a_scanner_on_a_spanish_or_latin_american_layout_still_gives_the_code(
    number: str, digest: str, layout: str, caps_lock: bool
) -> None:
    value = code_of(digest)
    keys = _US_KEYS_ON[layout]
    typed = "".join(keys.get(c, c) for c in qr_text(number, value))
    assert "'" in typed  # the code's dashes came out as apostrophes
    assert find_code(typed.swapcase() if caps_lock else typed) == value


@given(
    _NUMBERS,
    st.text("0123456789abcdef", min_size=64, max_size=64),
    st.sampled_from(["-", "'", " ", "", " - ", "–", "_", "/", "."]),
)
def test_the_qr_text_never_yields_a_code_that_is_not_on_the_paper(
    number: str, digest: str, separator: str
) -> None:
    value = code_of(digest)
    text = qr_text(number, value.replace("-", separator))
    assert find_code(text) == value
    assert find_code(f"código: {value.replace('-', separator)}") == value


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7KQ2-M9XD-4TRB", "7KQ2-M9XD-4TRB"),
        ("7kq2-m9xd-4trb", "7KQ2-M9XD-4TRB"),
        ("7kq2 m9xd 4trb", "7KQ2-M9XD-4TRB"),
        ("7KQ2M9XD4TRB", "7KQ2-M9XD-4TRB"),
        ("  7KQ2-M9XD-4TRB \n", "7KQ2-M9XD-4TRB"),
        ("OOOO-IIII-LLLL", "0000-1111-1111"),
        ("o1l0-uuuu-0000", "0110-VVVV-0000"),
        (qr_text("N° 001-2026-MIMP/DGCVG-DPVLV-E07", "7KQ2-M9XD-4TRB"), "7KQ2-M9XD-4TRB"),
        ("Acta MIMP N° 001-2026 - codigo de verificacion 7kq2 m9xd 4trb", "7KQ2-M9XD-4TRB"),
        ("7KQ2'M9XD'4TRB", "7KQ2-M9XD-4TRB"),  # «-» from a scanner on a Spanish layout
        ("7kq2 / m9xd / 4trb", "7KQ2-M9XD-4TRB"),
        ("código: 0000 0000 0000", "0000-0000-0000"),  # not «C0D1G0»
    ],
)
def test_find_code_forgives_case_spaces_and_misread_letters(typed: str, expected: str) -> None:
    assert find_code(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "hola", "1234", "7KQ2-M9XD", "7KQ2-M9XD-4TR", "7KQ2M9XD4TRB5", "7KQ2--M9XD-4TRB",
     "####-####-####", "ÑÑÑÑ-ÑÑÑÑ-ÑÑÑÑ", "¿código?"],
)  # fmt: skip
def test_find_code_returns_none_for_junk(typed: str) -> None:
    assert find_code(typed) is None


@settings(max_examples=200)
@given(st.text(max_size=60))
def test_whatever_find_code_returns_is_a_well_formed_code(typed: str) -> None:
    found = find_code(typed)
    assert found is None or (FORMAT.match(found) and not set(found) & set("ILOU"))


# ----------------------------------------------------------------------- the snapshot
def test_a_snapshot_keeps_the_content_its_hash_and_its_code() -> None:
    snapshot = snapshot_of(RECORD)
    assert snapshot.content == canonical_content(RECORD)
    assert snapshot.digest == content_hash(snapshot.content)
    assert snapshot.code == code(RECORD)
    assert snapshot.intact()


def test_an_altered_snapshot_is_no_longer_intact() -> None:
    snapshot = snapshot_of(RECORD)
    flipped = ("0" if snapshot.digest[0] != "0" else "1") + snapshot.digest[1:]
    other = snapshot_of(dataclasses.replace(RECORD, objective="Otro objetivo"))
    altered = [
        ActaSnapshot(snapshot.content.replace("Núñez", "Nuñez"), snapshot.digest, snapshot.code),
        ActaSnapshot(other.content, snapshot.digest, snapshot.code),
        ActaSnapshot(json.dumps(json.loads(snapshot.content)), snapshot.digest, snapshot.code),
        ActaSnapshot(snapshot.content, flipped, snapshot.code),
        ActaSnapshot(snapshot.content, snapshot.digest, other.code),
        ActaSnapshot(other.content, other.digest, snapshot.code),
    ]
    assert [s.intact() for s in altered] == [False] * len(altered)


def test_an_acta_without_follow_ups_keeps_the_content_it_had_before_they_existed() -> None:
    """Actas finalized before follow-ups existed hash the same: the key is left out."""
    plain = dataclasses.replace(RECORD, follow_ups=())
    assert "follow_ups" not in json.loads(canonical_content(plain))
    assert record_of(canonical_content(plain)) == plain
    assert record_of(canonical_content(RECORD)) == RECORD
