"""The server as an ASGI factory for several worker processes (``serve --workers N``).

Each worker is its own process: it opens its own engine from what the parent, which migrated
the database once, put in the environment. On PostgreSQL every push still serializes on the
advisory lock, so ``seq`` stays commit order whatever the number of workers. The sign-in
throttle counts attempts per process: with N workers, N times as many before it holds.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI

DATABASE_ENV = "INSTANCIAS_SERVER_DATABASE_URL"
TOKEN_DAYS_ENV = "INSTANCIAS_SERVER_TOKEN_DAYS"
AUDIT_DAYS_ENV = "INSTANCIAS_SERVER_AUDIT_DAYS"
MINIMUM_ENV, LATEST_ENV = "INSTANCIAS_APP_MINIMUM", "INSTANCIAS_APP_LATEST"


@dataclass(frozen=True)
class ServeSettings:
    """What every worker needs to open the same server."""

    database_url: str
    token_days: int
    audit_days: int
    app_minimum: str = ""  # the app versions /health announces ("": none)
    app_latest: str = ""

    def environment(self) -> dict[str, str]:
        """The settings as environment variables for the workers."""
        return {DATABASE_ENV: self.database_url, TOKEN_DAYS_ENV: str(self.token_days),
                AUDIT_DAYS_ENV: str(self.audit_days), MINIMUM_ENV: self.app_minimum,
                LATEST_ENV: self.app_latest}  # fmt: skip

    @classmethod
    def from_environment(cls) -> "ServeSettings":
        """The settings the parent process left for this worker."""
        return cls(os.environ[DATABASE_ENV], int(os.environ[TOKEN_DAYS_ENV]),
                   int(os.environ[AUDIT_DAYS_ENV]), os.environ.get(MINIMUM_ENV, ""),
                   os.environ.get(LATEST_ENV, ""))  # fmt: skip

    @property
    def app_versions(self) -> dict[str, str]:
        """What ``create_app`` announces."""
        return {"minimum": self.app_minimum, "latest": self.app_latest}


def from_environment(create: Callable[..., FastAPI]) -> FastAPI:
    """``create(sessions, token_days=…, …)`` over the settings the parent left."""
    from sync.server.admin import open_engine  # noqa: PLC0415
    from sync.server.db import session_factory  # noqa: PLC0415

    settings = ServeSettings.from_environment()
    return create(
        session_factory(open_engine(settings.database_url)),
        token_days=settings.token_days, audit_days=settings.audit_days,
        app_versions=settings.app_versions,
    )  # fmt: skip


def sync_app() -> FastAPI:
    """A worker's sync API (``uvicorn … --factory sync.server.asgi:sync_app``)."""
    from sync.server.app import create_app  # noqa: PLC0415

    return from_environment(create_app)
