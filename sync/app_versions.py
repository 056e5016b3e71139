"""What the server says of app versions (``/health``), read on the laptop before a sync.

Below the announced minimum the laptop does not sync and says why; below the latest it says
that a newer version exists. Nothing updates itself: updating is support's job. A build whose
version is not plain numbers (a developer's) is never held back.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from sync.errors import SyncError
from sync.protocol import version_key


@runtime_checkable
class HealthSource(Protocol):
    """A transport that can ask the server's ``/health``."""

    def health(self) -> dict[str, Any]:
        """The server's health answer."""
        ...


class UpdateRequired(SyncError):  # noqa: N818  (names of the sync contract)
    """The server asks for a newer app than this one: nothing was sent."""

    def __init__(self, current: str, minimum: str) -> None:
        """Say which version she has and which the server asks for."""
        super().__init__(
            f"Esta versión de la aplicación ({current}) ya no puede sincronizar: el servidor "
            f"pide la {minimum} o posterior. Pida a soporte la actualización; mientras tanto "
            "puede seguir trabajando y sus cambios quedan guardados en este equipo.",
            code="actualizacion_requerida",
        )


@dataclass(frozen=True)
class AppNotice:
    """What the server's announcement means for this app: held back, or a newer one exists."""

    required: str | None = None  # the minimum, when this app is below it
    available: str | None = None  # the latest, when this app is below it


def app_notice(health: Mapping[str, Any], current: str) -> AppNotice:
    """Compare ``current`` with what ``health["app"]`` announces (nothing: no notice)."""
    announced = health.get("app")
    mine = version_key(current)
    if not isinstance(announced, Mapping) or mine is None:
        return AppNotice()
    found: dict[str, str | None] = {}
    for name in ("minimum", "latest"):
        text = str(announced.get(name) or "")
        theirs = version_key(text)
        found[name] = text if theirs is not None and mine < theirs else None
    return AppNotice(found["minimum"], found["latest"])
