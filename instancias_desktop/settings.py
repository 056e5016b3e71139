"""Device preferences: a typed record stored as JSON in the profile, upgraded by version."""

import contextlib
import dataclasses
import getpass
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from instancias_desktop.atomic_files import write_atomically
from instancias_desktop.domain.acta_numbers import (
    DEFAULT_ACTA_PATTERN,
    check_acta_pattern,
    check_series_code,
    new_series_code,
)

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
    # Acta numbers: this specialist's series (assigned by the ministry; a device code until then)
    # and the printed format. {numero}, {anio} and {serie} are replaced.
    acta_series: str = ""
    acta_pattern: str = DEFAULT_ACTA_PATTERN
    # Largest file accepted as an annex of a visit, in megabytes.
    attachment_limit_mb: int = 25
    # Hour of the day (0-23, local time) when changes not yet synchronized are recalled.
    sync_reminder_hour: int = 18
    # Minutes without a key or a click before the window locks (0: only with Ctrl+L).
    auto_lock_minutes: int = 15
    # Kept in plain at each close, so a forgotten passphrase can say what would be lost:
    # changes not yet confirmed by the server (-1: unknown), and the last sync (ISO, or "").
    unsent_changes: int = -1
    last_sync_at: str = ""


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
    settings = Settings(**values)
    if problem := check_acta_pattern(settings.acta_pattern):
        log.warning("settings %s: %s; the default acta pattern is used", path, problem)
        settings = dataclasses.replace(settings, acta_pattern=defaults.acta_pattern)
    if settings.acta_series and (problem := check_series_code(settings.acta_series)):
        log.warning("settings %s: %s; a new device series will be chosen", path, problem)
        settings = dataclasses.replace(settings, acta_series="")
    if settings.attachment_limit_mb < 1:
        settings = dataclasses.replace(settings, attachment_limit_mb=defaults.attachment_limit_mb)
    if not 0 <= settings.sync_reminder_hour <= 23:
        settings = dataclasses.replace(settings, sync_reminder_hour=defaults.sync_reminder_hour)
    return settings


def ensure_acta_series(path: Path, settings: Settings) -> Settings:
    """Give this device its own acta series on first use, and keep it in the settings file."""
    if settings.acta_series:
        return settings
    current = load_settings(path)  # another window may have chosen one meanwhile
    if not current.acta_series:
        current = dataclasses.replace(current, acta_series=new_series_code())
        save_settings(path, current)
    return dataclasses.replace(settings, acta_series=current.acta_series)


def save_settings(path: Path, settings: Settings) -> None:
    """Write the preferences atomically: a crash leaves the old file or the new one, never half."""
    payload = {"version": SETTINGS_VERSION, **dataclasses.asdict(settings)}
    write_atomically(path, json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8"))
