"""instancias-forms check and publish: exit codes, errors on stderr, summaries on stdout."""

import shutil
from pathlib import Path

import pytest
from helpers.form_versions import definition_count, file_of, following, latest

from instancias_desktop.domain.clock import peru_today, utc_now
from instancias_desktop.formdefs.cli import main
from instancias_desktop.formdefs.library import FormLibrary, Release

IDC = "funcionamiento_idc"
IRC = "funcionamiento_irc"


def _edit(path: Path, old: str, new: str) -> str:
    """Replace the one occurrence of ``old`` in the file; the new text."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not written exactly once in {path}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def test_check_of_the_real_forms_succeeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"{definition_count()} fichas correctas.\n"
    assert captured.err == ""


def test_check_of_chosen_files_counts_only_those(
    forms_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(forms_copy / IDC / "v1.toml"), str(forms_copy / IRC / "v1.toml")]
    assert main(["--forms-dir", str(forms_copy), "check", *files]) == 0
    assert capsys.readouterr().out == "2 fichas correctas.\n"


def test_check_of_a_broken_folder_prints_every_error_on_stderr(
    forms_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    idc = _edit(forms_copy / IDC / "v1.toml", "weight = 3", "weight = -1")
    irc = _edit(forms_copy / IRC / "v1.toml", 'stage = "creada"', 'stage = "creado"')
    weight = idc.splitlines().index("weight = -1") + 1
    stage = irc.splitlines().index('stage = "creado"') + 1
    assert main(["--forms-dir", str(forms_copy), "check"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"forms/{IDC}/v1.toml:{weight}: sección 2, ítem 5,"
        " weight: «weight» = -1 está fuera del rango permitido. Corrección: use un número entero"
        " entre 0 y 10.",
        f"forms/{IRC}/v1.toml:{stage}: regla de estado 1,"
        " stage: «stage» tiene el valor «creado», que no es válido. Corrección: use uno de estos"
        " valores: creada, instalada, en_funcionamiento, reactivada.",
    ]
    assert captured.out == f"2 errores en {definition_count(forms_copy)} fichas.\n"


def test_publish_registers_a_new_version_dated_today(
    forms_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current, new = latest(IDC), following(IDC)  # as forms/README.md says
    path = forms_copy / IDC / f"v{new.version}.toml"
    shutil.copy(file_of(current), path)
    _edit(path, f"version = {current.version}", f"version = {new.version}")
    _edit(path, "weight = 3", "weight = 4")
    assert main(["--forms-dir", str(forms_copy), "publish", str(path)]) == 0
    release = FormLibrary(forms_copy).releases()[-1]
    assert release == Release(IDC, new.version, release.sha256, peru_today(utc_now()))
    assert release.sha256 == FormLibrary(forms_copy).check_file(path).content_hash
    captured = capsys.readouterr()
    assert captured.out == (
        f"Publicada {IDC} versión {new.version} (sha256 {release.sha256[:12]}).\n"
    )
    assert captured.err == ""


def test_publish_of_a_released_version_fails_with_the_reason(
    forms_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (forms_copy / "releases.toml").read_bytes()
    path = forms_copy / IDC / "v1.toml"
    assert main(["--forms-dir", str(forms_copy), "publish", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"forms/{IDC}/v1.toml:1: version: la versión 1 ya está publicada o es anterior a la "
        f"{latest(IDC).version}. Corrección: publique una versión nueva: "
        f"v{following(IDC).version}.toml.\n"
    )
    assert captured.out == ""
    assert (forms_copy / "releases.toml").read_bytes() == before


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "usage: instancias-forms" in capsys.readouterr().err
