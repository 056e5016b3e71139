"""LineIndex maps the paths the validators report to the lines of the TOML text that write them."""

import tomllib

import pytest

from instancias_desktop.formdefs.locate import LineIndex

TEXT = '''\
schema = 1
title = """Una ficha
weight = 12
  [[bands]]
min = 99
"""
description = \'\'\'
levels = ["IRC"]
\'\'\'
levels = ["IDC"]

[[bands]]
min = 0
label = "Bajo"

[[bands]]
min = 40
label = "Medio"

[[sections]]
id = "uno"

[[sections.items]]
id = "a"
evidence.required_when = ["si", "parcial"]
evidence.types = ["Acta"]

[[sections]]
id = "dos"

[[sections.items]]
id = "b"

[[sections.items]]
id = "c"
answer = "opcion"

[[sections.items.options]]
id = "x"

[[sections.items.options]]
id = "y"
credit = 1.0

[sections.items.when]
item = "b"
'''
INDEX = LineIndex(TEXT)


def _line(written: str, occurrence: int = 1) -> int:
    """The line number of the ``occurrence``-th line that is exactly ``written``."""
    numbers = [n for n, line in enumerate(TEXT.splitlines(), start=1) if line == written]
    return numbers[occurrence - 1]


def test_the_sample_is_valid_toml_with_the_shape_the_paths_describe() -> None:
    data = tomllib.loads(TEXT)
    assert [b["min"] for b in data["bands"]] == [0, 40]
    assert data["sections"][1]["items"][1]["options"][1]["credit"] == 1.0
    assert data["sections"][1]["items"][1]["when"] == {"item": "b"}
    assert data["levels"] == ["IDC"]


def test_each_element_of_an_array_of_tables_starts_at_its_own_header() -> None:
    assert INDEX.line_of(("bands", 0)) == _line("[[bands]]", 1)
    assert INDEX.line_of(("bands", 1)) == _line("[[bands]]", 2)
    assert INDEX.line_of(("bands", 0, "label")) == _line('label = "Bajo"')
    assert INDEX.line_of(("bands", 1, "min")) == _line("min = 40")


def test_nested_arrays_of_tables_are_counted_within_their_parent() -> None:
    assert INDEX.line_of(("sections", 1)) == _line("[[sections]]", 2)
    assert INDEX.line_of(("sections", 0, "items", 0, "id")) == _line('id = "a"')
    assert INDEX.line_of(("sections", 1, "items", 0, "id")) == _line('id = "b"')
    assert INDEX.line_of(("sections", 1, "items", 1, "answer")) == _line('answer = "opcion"')
    options = ("sections", 1, "items", 1, "options")
    assert INDEX.line_of((*options, 0)) == _line("[[sections.items.options]]", 1)
    assert INDEX.line_of((*options, 1)) == _line("[[sections.items.options]]", 2)
    assert INDEX.line_of((*options, 0, "id")) == _line('id = "x"')
    assert INDEX.line_of((*options, 1, "credit")) == _line("credit = 1.0")


def test_a_table_header_belongs_to_the_last_element_of_its_array() -> None:
    when = ("sections", 1, "items", 1, "when")
    assert INDEX.line_of(when) == _line("[sections.items.when]")
    assert INDEX.line_of((*when, "item")) == _line('item = "b"')


def test_dotted_keys_give_a_line_to_every_prefix() -> None:
    item = ("sections", 0, "items", 0)
    required = _line('evidence.required_when = ["si", "parcial"]')
    assert INDEX.line_of((*item, "evidence", "required_when")) == required
    assert INDEX.line_of((*item, "evidence")) == required  # where evidence is first written
    assert INDEX.line_of((*item, "evidence", "types")) == _line('evidence.types = ["Acta"]')
    assert INDEX.line_of((*item, "evidence", "required_when", 1)) == required


def test_keys_and_headers_inside_multi_line_strings_are_not_taken() -> None:
    assert INDEX.line_of(("title",)) == _line('title = """Una ficha')
    assert INDEX.line_of(("description",)) == _line("description = '''")
    assert INDEX.line_of(("weight",)) == 1  # only written inside the title
    assert INDEX.line_of(("levels",)) == _line('levels = ["IDC"]')
    assert INDEX.line_of(("bands", 0, "min")) == _line("min = 0")
    # the [[bands]] inside the title is text: a third band is not written, only the array is
    assert INDEX.line_of(("bands", 2)) == _line("[[bands]]", 1)


def test_a_path_not_written_falls_back_to_its_nearest_written_ancestor() -> None:
    assert INDEX.line_of(("sections", 1, "items", 0, "weight")) == _line('id = "b"') - 1
    assert INDEX.line_of(("sections", 1, "items", 1, "when", "at_least")) == _line(
        "[sections.items.when]"
    )
    assert INDEX.line_of(("bands", 1, "label", 0)) == _line('label = "Medio"')
    assert INDEX.line_of(("partial_credit",)) == 1
    assert INDEX.line_of(()) == 1
    assert LineIndex("").line_of(("schema",)) == 1


def test_an_array_of_tables_is_written_at_its_first_header() -> None:
    assert INDEX.line_of(("bands",)) == _line("[[bands]]", 1)
    assert INDEX.line_of(("sections",)) == _line("[[sections]]", 1)
    assert INDEX.line_of(("sections", 1, "items", 1, "options")) == _line(
        "[[sections.items.options]]", 1
    )


@pytest.mark.parametrize(
    "opening",
    ['# los textos largos van entre """', "help = \"una cita: '''\""],
    ids=["comment", "one-line-string"],
)
def test_triple_quotes_that_open_no_string_do_not_hide_later_keys(opening: str) -> None:
    text = f'{opening}\nschema = 1\n\n[[bands]]\nmin = 0\nlabel = "Bajo"\n'
    assert tomllib.loads(text)["bands"] == [{"min": 0, "label": "Bajo"}]
    index = LineIndex(text)
    assert index.line_of(("schema",)) == 2
    assert index.line_of(("bands", 0, "label")) == 6
