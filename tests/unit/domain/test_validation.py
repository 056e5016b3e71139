import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from instancias_desktop.domain.enums import DocumentType
from instancias_desktop.domain.validation import (
    Collector,
    ValidationError,
    check_document,
    check_email,
    check_not_future,
    check_phone,
    check_required,
    check_text,
    check_time_order,
    normalize_document_number,
)

digits = st.text(alphabet="0123456789", min_size=1, max_size=20)


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_any_eight_digits_is_a_valid_dni(number: str) -> None:
    assert check_document(DocumentType.DNI, number) is None


@given(digits.filter(lambda s: len(s) != 8))
def test_dni_of_other_length_names_the_count(number: str) -> None:
    assert check_document(DocumentType.DNI, number) == (
        f"El DNI debe tener 8 dígitos; tiene {len(number)}."
    )


@given(st.text(min_size=1).filter(lambda s: any(c.isalpha() for c in s)))
def test_dni_with_letters_is_rejected(number: str) -> None:
    message = check_document(DocumentType.DNI, number)
    assert message is not None


def test_dni_typed_with_spaces_and_dots_is_accepted() -> None:
    assert normalize_document_number(" 12.345-678 ") == "12345678"
    assert check_document(DocumentType.DNI, "12 345 678") is None


def test_empty_document_asks_for_the_number() -> None:
    assert check_document(DocumentType.DNI, "  ") == "Escriba el número de documento."


@pytest.mark.parametrize(
    ("kind", "number", "expected"),
    [
        (DocumentType.FOREIGN_ID, "001234567", None),
        (
            DocumentType.FOREIGN_ID,
            "1234",
            "El carné de extranjería tiene de 9 a 12 letras o números.",
        ),
        (DocumentType.PASSPORT, "AB12345", None),
        (DocumentType.PASSPORT, "A1", "El pasaporte tiene de 6 a 12 letras o números."),
        (DocumentType.OTHER, "X" * 21, "El número de documento admite hasta 20 caracteres."),
        (DocumentType.OTHER, "CONADIS-77", None),
    ],
)
def test_other_documents(kind: DocumentType, number: str, expected: str | None) -> None:
    assert check_document(kind, number) == expected


def test_required_and_length_messages_name_the_field() -> None:
    assert check_required("   ", "Lugar") == "Complete el campo «Lugar»."
    assert check_required("Sala de regidores", "Lugar") is None
    assert check_text("x" * 5, "Lugar", 4) == "«Lugar» admite hasta 4 caracteres; tiene 5."


def test_dates_in_the_future_are_rejected_with_both_dates() -> None:
    today = dt.date(2026, 11, 26)
    assert check_not_future(today, today, "fecha de la visita") is None
    assert check_not_future(dt.date(2026, 11, 27), today, "fecha de la visita") == (
        "La fecha de la visita (27/11/2026) no puede ser posterior a hoy (26/11/2026)."
    )


def test_end_time_must_follow_start_time() -> None:
    assert check_time_order(dt.time(9), dt.time(11)) is None
    assert check_time_order(dt.time(9), None) is None
    assert check_time_order(dt.time(9), dt.time(9)) == (
        "La hora de término (09:00) debe ser posterior a la de inicio (09:00)."
    )


def test_email_and_phone() -> None:
    assert check_email("") is None
    assert check_email("rosa.quispe@munisanjeronimo.gob.pe") is None
    assert "no es válido" in (check_email("rosa.quispe@") or "")
    assert check_phone("984 123 456") is None
    assert (
        check_phone("nueve")
        == "El teléfono lleva de 6 a 15 dígitos (puede separarlos con espacios o guiones)."
    )


def test_collector_reports_every_error_at_once() -> None:
    errors = Collector()
    errors.add("a", "primero")
    errors.add("b", None)
    errors.add("c", "segundo")
    with pytest.raises(ValidationError) as caught:
        errors.raise_if_any()
    assert [e.field for e in caught.value.errors] == ["a", "c"]
    assert caught.value.for_field("c") == ("segundo",)


@pytest.mark.parametrize("number", ["１２３４５６７８", "١٢٣٤٥٦٧٨", "𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖"])
def test_only_ascii_digits_make_a_dni(number: str) -> None:
    assert check_document(DocumentType.DNI, number) == "El DNI solo lleva números (8 dígitos)."


@pytest.mark.parametrize(
    ("phone", "valid"),
    [
        ("51 984 123 456 78", True),
        ("+51-984-123-456", True),
        ("------", False),
        ("98 41", False),
        ("1234567890123456", False),
    ],
)
def test_phones_are_counted_by_their_digits(phone: str, valid: bool) -> None:
    assert (check_phone(phone) is None) is valid
