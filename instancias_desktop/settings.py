"""Device preferences: a typed record stored as JSON in the profile, upgraded by version."""

import contextlib
import dataclasses
import getpass
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "usuario"


@dataclass(frozen=True)
class Settings:
    """Preferences of this device; unknown keys in the file are ignored, missing ones defaulted."""

    author: str = dataclasses.field(default_factory=_login_name)
    # Whether the capital ("cercado") district has its own IDC besides the provincial IPC.
    # The guidelines are silent on this (domain.md section 2): a setting, not a rule.
    cercado_has_idc: bool = False
    main_window_geometry: str = ""


# Each entry upgrades a stored dictionary from version N to N + 1.
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def _upgrade(raw: dict[str, Any]) -> dict[str, Any]:
    version = int(raw.get("version", 1))
    while version < SETTINGS_VERSION:
        raw = _UPGRADES[version](raw)
        version += 1
    return raw


def load_settings(path: Path) -> Settings:
    """Read the preferences; a missing file gives defaults, a damaged one is set aside, not lost."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise TypeError("settings file is not a JSON object")
    except FileNotFoundError:
        return Settings()
    except (ValueError, TypeError) as error:
        damaged = path.with_suffix(".json.damaged")
        log.warning("settings file %s unreadable (%s); kept as %s", path, error, damaged)
        with contextlib.suppress(OSError):
            path.replace(damaged)
        return Settings()
    raw = _upgrade(raw)
    defaults = Settings()
    values = {
        field.name: raw[field.name]
        for field in dataclasses.fields(Settings)
        if isinstance(raw.get(field.name), type(getattr(defaults, field.name)))
    }
    return Settings(**values)


def save_settings(path: Path, settings: Settings) -> None:
    """Write the preferences atomically: a crash leaves the old file or the new one, never half."""
    payload = {"version": SETTINGS_VERSION, **dataclasses.asdict(settings)}
    tmp = path.with_suffix(".json.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(payload, handle, ensure_ascii=False, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)
