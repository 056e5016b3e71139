"""The real definitions in forms/ pass every check and match their released hashes."""

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from instancias_desktop.domain.enums import InstanciaLevel
from instancias_desktop.formdefs.build import canonical_json, content_hash
from instancias_desktop.formdefs.library import FormLibrary
from instancias_desktop.paths import forms_dir

LIBRARY = FormLibrary(forms_dir())
ITEMS_PER_LEVEL = {InstanciaLevel.IDC: 14, InstanciaLevel.IPC: 15, InstanciaLevel.IRC: 17}


@pytest.mark.parametrize("path", LIBRARY.files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_definition_file_passes_every_check(path: Path) -> None:
    checked = LIBRARY.check_file(path)
    form = checked.definition
    assert form.form_id == path.parent.name
    assert path.name == f"v{form.version}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert checked.canonical == canonical_json(data)
    assert checked.content_hash == content_hash(checked.canonical) == form.content_hash


def test_the_folder_has_no_error_at_all() -> None:
    assert LIBRARY.check_all() == []


def test_every_released_version_matches_its_recorded_hash() -> None:
    releases = LIBRARY.releases()
    released = LIBRARY.released()
    assert len(releases) == len(released) > 0
    for release, definition in zip(releases, released, strict=True):
        assert definition.checked.definition.form_id == release.form_id
        assert definition.checked.definition.version == release.version
        assert definition.checked.content_hash == release.sha256
        assert definition.released == release.released


def test_every_definition_file_is_released() -> None:
    released = {(r.form_id, r.version) for r in LIBRARY.releases()}
    files = {(p.parent.name, int(p.stem[1:])) for p in LIBRARY.files()}
    assert files == released


def test_each_level_has_exactly_one_version_1_with_its_number_of_items() -> None:
    first_versions = [
        LIBRARY.check_file(p).definition for p in LIBRARY.files() if p.name == "v1.toml"
    ]
    per_level = Counter(level for form in first_versions for level in form.levels)
    assert per_level == dict.fromkeys(ITEMS_PER_LEVEL, 1)
    items = {form.levels: len(form.items) for form in first_versions}
    assert items == {(level,): count for level, count in ITEMS_PER_LEVEL.items()}


def test_item_numbers_run_through_the_whole_form_in_order() -> None:
    for path in LIBRARY.files():
        form = LIBRARY.check_file(path).definition
        numbers = [item.number for section in form.sections for item in section.items]
        assert numbers == list(range(1, len(form.items) + 1)), path
        assert [item.code for item in form.items] == [
            item.code for section in form.sections for item in section.items
        ]
