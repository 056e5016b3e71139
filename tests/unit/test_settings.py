import json
from pathlib import Path

from instancias_desktop.settings import SETTINGS_VERSION, Settings, load_settings, save_settings


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "settings.json")
    assert settings.cercado_has_idc is False
    assert settings.author


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    saved = Settings(author="rquispe", cercado_has_idc=True, main_window_geometry="AAAA")
    save_settings(path, saved)
    assert load_settings(path) == saved
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == SETTINGS_VERSION
    assert not path.with_suffix(".json.tmp").exists()


def test_damaged_file_is_set_aside_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{ esto no es json", encoding="utf-8")
    assert load_settings(path) == Settings(author=Settings().author)
    assert (tmp_path / "settings.json.damaged").read_text(encoding="utf-8") == "{ esto no es json"


def test_values_of_the_wrong_type_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"version": 1, "cercado_has_idc": "sí", "author": "ana", "extra": 1}), "utf-8"
    )
    settings = load_settings(path)
    assert settings.cercado_has_idc is False
    assert settings.author == "ana"
