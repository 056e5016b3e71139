from pathlib import Path

import pytest

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
