"""The pure three-way field merge."""

from sync.server.merge import MISSING, FieldConflict, apply_fields, changed_in, merge_fields


def test_fields_unchanged_on_the_server_are_applied() -> None:
    result = merge_fields({"a": 1, "b": 1}, {"a": 1, "b": 2}, {"a": 5})
    assert result.applied == {"a": 5}
    assert result.conflicts == ()


def test_same_value_on_both_sides_is_nothing_to_do() -> None:
    result = merge_fields({"a": 1}, {"a": 2}, {"a": 2})
    assert result.applied == {}
    assert result.conflicts == ()
    assert not result.changes_anything


def test_changed_differently_keeps_the_server_value_and_sets_the_other_aside() -> None:
    result = merge_fields({"a": 1}, {"a": 2}, {"a": 3})
    assert result.applied == {}
    assert result.conflicts == (FieldConflict("a", 1, 2, 3),)


def test_new_field_on_both_sides_conflicts_with_null_base() -> None:
    result = merge_fields({}, {"n": "x"}, {"n": "y"})
    assert result.conflicts == (FieldConflict("n", None, "x", "y"),)


def test_missing_differs_from_null() -> None:
    assert merge_fields({}, {"n": None}, {"n": 1}).conflicts == (FieldConflict("n", None, None, 1),)
    assert merge_fields({"n": None}, {"n": None}, {"n": 1}).applied == {"n": 1}
    assert changed_in({}, {"n": None}, "n")
    assert not changed_in({"n": None}, {"n": None}, "n")
    assert repr(MISSING) == "MISSING"


def test_json_equality_distinguishes_booleans_from_numbers() -> None:
    assert merge_fields({"a": 1}, {"a": True}, {"a": 2}).conflicts
    assert merge_fields({"a": 1}, {"a": 1.0}, {"a": 2}).applied == {"a": 2}
    assert apply_fields({"a": [1, {"b": True}]}, {"a": [1, {"b": 1}]}).applied == {
        "a": [1, {"b": 1}]
    }
    assert apply_fields({"a": {"x": [1]}}, {"a": {"x": [1]}}).applied == {}
    assert apply_fields({"a": [1]}, {"a": {"0": 1}}).applied == {"a": {"0": 1}}


def test_result_does_not_depend_on_dictionary_order() -> None:
    one = merge_fields({"a": 0, "b": 0}, {"a": 1, "b": 1}, {"b": 2, "a": 2})
    two = merge_fields({"b": 0, "a": 0}, {"b": 1, "a": 1}, {"a": 2, "b": 2})
    assert one == two
    assert [c.field for c in one.conflicts] == ["a", "b"]


def test_mixed_outcome() -> None:
    base = {"a": 1, "b": 1, "c": 1}
    current = {"a": 1, "b": 2, "c": 2}
    result = merge_fields(base, current, {"a": 9, "b": 2, "c": 7, "d": 4})
    assert result.applied == {"a": 9, "d": 4}
    assert result.conflicts == (FieldConflict("c", 1, 2, 7),)
