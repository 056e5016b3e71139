from pathlib import Path

import pytest

from instancias_desktop import paths
from instancias_desktop.paths import HOME_ENV, resolve_profile


def test_flag_beats_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "env"))
    assert resolve_profile(tmp_path / "flag").root == (tmp_path / "flag").resolve()
    assert resolve_profile(None).root == (tmp_path / "env").resolve()


def test_default_is_the_user_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(HOME_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_profile().root == (tmp_path / "xdg" / "instancias_desktop").resolve()


def test_ensure_creates_the_profile_folders(tmp_path: Path) -> None:
    paths = resolve_profile(tmp_path / "nuevo").ensure()
    assert all(p.is_dir() for p in (paths.root, paths.backups, paths.attachments, paths.logs))
    assert paths.database.parent == paths.root


def test_installed_resources_are_found_when_there_is_no_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = tmp_path / "share" / "instancias_desktop" / "resources"
    (installed / "catalogues").mkdir(parents=True)
    monkeypatch.setattr(paths, "_resource_candidates", lambda: [tmp_path / "nada", installed])
    assert paths.resources_dir() == installed
    monkeypatch.setattr(paths, "_resource_candidates", lambda: [tmp_path / "nada"])
    with pytest.raises(FileNotFoundError, match="reinstall"):
        paths.resources_dir()


def test_a_profile_too_deep_for_windows_is_refused_there_in_spanish() -> None:
    shallow = Path("C:/Users/María Peña Ñahui/AppData/Local/MIMP/instancias_desktop")
    deep = Path("C:/" + "carpeta-compartida/" * 8 + "instancias_desktop")
    assert paths.path_room_problem(shallow, "win32") is None
    assert paths.path_room_problem(deep, "linux") is None  # no such limit there
    problem = paths.path_room_problem(deep, "win32")
    assert problem is not None
    assert "demasiado larga para Windows" in problem and "--data-dir" in problem
    assert str(len(str(deep))) in problem
