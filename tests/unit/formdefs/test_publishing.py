"""A released version never changes: its hash is checked, and publishing only appends new ones."""

import datetime as dt
import shutil
import tomllib
from pathlib import Path

import pytest
from helpers.form_versions import following, latest

from instancias_desktop.formdefs.build import canonical_json, content_hash
from instancias_desktop.formdefs.errors import FormDefinitionError
from instancias_desktop.formdefs.library import FormLibrary, Release
from instancias_desktop.paths import forms_dir

IDC = "funcionamiento_idc"
RELEASE_DAY = dt.date(2026, 3, 5)


def _edit(path: Path, old: str, new: str) -> str:
    """Replace the one occurrence of ``old`` in the file; the new text."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not written exactly once in {path}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def _idc_v1(root: Path) -> Path:
    path = root / IDC / "v1.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(forms_dir() / IDC / "v1.toml", path)
    return path


def _idc_next(root: Path, version: int = 2) -> Path:
    """v1 copied as a newer version, one weight changed, as README.md describes."""
    path = root / IDC / f"v{version}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(forms_dir() / IDC / "v1.toml", path)
    _edit(path, "version = 1", f"version = {version}")
    _edit(path, "weight = 3", "weight = 4")
    return path


def _canonical_hash(path: Path) -> str:
    return content_hash(canonical_json(tomllib.loads(path.read_text(encoding="utf-8"))))


def test_changing_a_value_of_a_released_version_is_an_error(empty_forms: Path) -> None:
    path = _idc_v1(empty_forms)
    library = FormLibrary(empty_forms)
    library.publish(path, RELEASE_DAY)
    _edit(path, "weight = 3", "weight = 4")
    expected = (
        f"forms/{IDC}/v1.toml:1: versión publicada: la versión 1 ya fue publicada el 05/03/2026"
        " y su contenido cambió. Corrección: deshaga el cambio; para cambiar la ficha cópiela"
        " como v2.toml, edite la copia y publíquela."
    )
    assert [str(e) for e in library.check_all()] == [expected]
    with pytest.raises(FormDefinitionError) as raised:
        library.released()
    assert str(raised.value) == expected


def test_a_changed_copy_of_the_real_folder_no_longer_matches_its_release(
    forms_copy: Path,
) -> None:
    _edit(forms_copy / IDC / "v1.toml", 'label = "Adecuado"', 'label = "Bueno"')
    [release] = [
        r for r in FormLibrary(forms_copy).releases() if (r.form_id, r.version) == (IDC, 1)
    ]
    [error] = FormLibrary(forms_copy).check_all()
    assert str(error) == (
        f"forms/{IDC}/v1.toml:1: versión publicada: la versión 1 ya fue publicada el"
        f" {release.released:%d/%m/%Y} y su contenido cambió. Corrección: deshaga el cambio;"
        f" para cambiar la ficha cópiela como v{following(IDC).version}.toml, edite la copia y"
        " publíquela."
    )


def test_changing_only_comments_and_layout_keeps_the_hash(forms_copy: Path) -> None:
    path = forms_copy / IDC / "v1.toml"
    library = FormLibrary(forms_copy)
    before = library.check_file(path).content_hash
    _edit(path, "# Los ítems con assumption = true", "# Nota corregida: los ítems con assumption")
    _edit(path, "weight = 3\n", "weight   =   3   # el menor peso de la ficha\n")
    _edit(path, 'min = 40\nlabel = "En proceso"', 'label = "En proceso"\nmin = 40')
    assert library.check_file(path).content_hash == before
    assert library.check_all() == []


def test_publish_appends_a_release_with_the_canonical_hash_and_the_date(
    forms_copy: Path,
) -> None:
    library = FormLibrary(forms_copy)
    new = following(IDC)
    path = _idc_next(forms_copy, new.version)
    before = library.releases_file.read_text(encoding="utf-8")
    release = library.publish(path, RELEASE_DAY)
    digest = _canonical_hash(path)
    assert release == Release(IDC, new.version, digest, RELEASE_DAY)
    assert library.releases_file.read_text(encoding="utf-8") == before + (
        f'\n[[release]]\nform = "{IDC}"\nversion = {new.version}\nsha256 = "{digest}"\n'
        "released = 2026-03-05\n"
    )
    assert library.releases()[-1] == release
    assert library.check_all() == []
    newest = library.released()[-1]
    assert (newest.checked.definition.ref, newest.released) == (new, RELEASE_DAY)


def test_publish_creates_the_register_when_there_is_none(empty_forms: Path) -> None:
    library = FormLibrary(empty_forms)
    assert not library.releases_file.exists()
    release = library.publish(_idc_v1(empty_forms), RELEASE_DAY)
    assert library.releases() == [release]
    assert release.sha256 == _canonical_hash(empty_forms / IDC / "v1.toml")


def test_publishing_the_same_version_again_is_refused(forms_copy: Path) -> None:
    library = FormLibrary(forms_copy)
    before = library.releases_file.read_bytes()
    with pytest.raises(FormDefinitionError) as raised:
        library.publish(forms_copy / IDC / "v1.toml", RELEASE_DAY)
    assert str(raised.value) == (
        f"forms/{IDC}/v1.toml:1: version: la versión 1 ya está publicada o es anterior a la "
        f"{latest(IDC).version}. Corrección: publique una versión nueva: "
        f"v{following(IDC).version}.toml."
    )
    assert library.releases_file.read_bytes() == before


def test_publishing_an_older_version_than_the_last_is_refused(empty_forms: Path) -> None:
    library = FormLibrary(empty_forms)
    library.publish(_idc_next(empty_forms), RELEASE_DAY)
    before = library.releases_file.read_bytes()
    with pytest.raises(FormDefinitionError) as raised:
        library.publish(_idc_v1(empty_forms), RELEASE_DAY + dt.timedelta(days=1))
    assert str(raised.value) == (
        f"forms/{IDC}/v1.toml:1: version: la versión 1 ya está publicada o es anterior a la 2."
        " Corrección: publique una versión nueva: v3.toml."
    )
    assert library.releases_file.read_bytes() == before


def test_a_file_with_errors_is_not_published(forms_copy: Path) -> None:
    library = FormLibrary(forms_copy)
    new = following(IDC)
    path = _idc_next(forms_copy, new.version)
    text = _edit(path, "weight = 4", "weight = 12")
    line = text.splitlines().index("weight = 12") + 1
    before = library.releases_file.read_bytes()
    with pytest.raises(FormDefinitionError) as raised:
        library.publish(path, RELEASE_DAY)
    assert str(raised.value) == (
        f"forms/{IDC}/v{new.version}.toml:{line}: sección 2, ítem 5, weight: «weight» = 12 está"
        " fuera del"
        " rango permitido. Corrección: use un número entero entre 0 y 10."
    )
    assert library.releases_file.read_bytes() == before


def test_a_released_version_whose_file_is_missing_is_reported(forms_copy: Path) -> None:
    (forms_copy / "funcionamiento_irc" / "v1.toml").unlink()
    assert [str(e) for e in FormLibrary(forms_copy).check_all()] == [
        "forms/releases.toml:1: funcionamiento_irc: falta el archivo de la versión publicada 1."
        " Corrección: restaure forms/funcionamiento_irc/v1.toml: las visitas que la usan la"
        " necesitan."
    ]


def test_checking_chosen_files_does_not_look_for_missing_releases(forms_copy: Path) -> None:
    (forms_copy / "funcionamiento_irc" / "v1.toml").unlink()
    library = FormLibrary(forms_copy)
    assert library.check_all([forms_copy / IDC / "v1.toml"]) == []
    assert len(library.check_all()) == 1
