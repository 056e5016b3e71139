"""The rules of an instancia's shared data, and the labels its conflicts are shown with."""

import pytest

from instancias_desktop.domain.conflict_views import field_label
from instancias_desktop.domain.instancia_data import (
    INSTANCIA_DATA_FIELDS,
    clean_data_changes,
    data_label,
    data_limit,
)
from instancias_desktop.domain.validation import ValidationError
from sync.kinds import INSTANCIA


def test_the_editable_fields_are_the_declared_texts_of_the_kind() -> None:
    declared = {n for n, f in INSTANCIA.fields.items() if f.type == "texto" and not f.fixed}
    assert set(INSTANCIA_DATA_FIELDS) == declared
    assert [data_label(n) for n in INSTANCIA_DATA_FIELDS] == [
        "Presidencia (nombre)",
        "Presidencia (cargo)",
        "Secretaría técnica (unidad)",
        "Secretaría técnica (persona)",
    ]
    assert all(data_limit(n) == INSTANCIA.fields[n].max_length for n in INSTANCIA_DATA_FIELDS)


def test_values_are_stripped_and_a_blank_one_is_empty() -> None:
    cleaned = clean_data_changes({"chair_name": "\t Rosa Quispe \n", "chair_post": "   "})
    assert cleaned == {"chair_name": "Rosa Quispe", "chair_post": ""}


def test_the_limit_counts_what_is_kept_after_stripping() -> None:
    limit = data_limit("secretariat_unit")
    assert clean_data_changes({"secretariat_unit": f"  {'x' * limit}  "}) == {
        "secretariat_unit": "x" * limit
    }
    with pytest.raises(ValidationError) as refused:
        clean_data_changes({"secretariat_unit": "x" * (limit + 1)})
    assert refused.value.for_field("secretariat_unit") == (
        f"«Secretaría técnica (unidad)» admite hasta {limit} caracteres; tiene {limit + 1}.",
    )


def test_a_conflict_on_a_field_without_a_screen_label_takes_the_declared_one() -> None:
    assert field_label("chair_name", "instancia") == "Presidencia (nombre)"
    assert field_label("objective", "visit") == "Objetivo"
    assert field_label("unknown_field", "instancia") == "unknown_field"
    assert field_label("chair_name") == "chair_name"
