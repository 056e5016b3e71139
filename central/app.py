"""The central server as deployed: the sync API plus the dashboard under /panel/."""

import datetime as dt
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from fastapi import FastAPI
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from central.assistance import assistance_router
from central.devices import devices_router
from central.followup_pages import followup_router
from central.instancia_pages import instancia_router
from central.pages import pages_router
from central.signin import signin_router
from sync.server.app import create_app, utc_now

STYLE = files("central").joinpath("static/panel.css").read_bytes()


def create_central_app(
    sessions: sessionmaker[Session], *, clock: Callable[[], dt.datetime] = utc_now, **options: Any
) -> FastAPI:
    """The sync API (``sync.server.app.create_app`` with ``options``) and the dashboard."""
    app = create_app(sessions, clock=clock, **options)
    app.include_router(signin_router(sessions, clock, app.state.limiter, app.state.audit_trail))
    app.include_router(pages_router(sessions, clock))
    app.include_router(instancia_router(sessions, clock))
    app.include_router(followup_router(sessions, clock))
    app.include_router(devices_router(sessions, clock))
    app.include_router(assistance_router(sessions, clock))

    @app.get("/panel", include_in_schema=False)
    def panel() -> RedirectResponse:
        return RedirectResponse("/panel/", status_code=308)

    @app.get("/panel/estilo.css", include_in_schema=False)
    def style() -> Response:
        return Response(STYLE, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    return app
