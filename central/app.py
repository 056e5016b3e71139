"""The central server as deployed: the sync API plus the dashboard under /panel/."""

import datetime as dt
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlalchemy.orm import Session, sessionmaker

from central.assistance import assistance_router
from central.atlas import Atlas
from central.devices import devices_router
from central.followup_pages import followup_router
from central.instancia_pages import instancia_router, province_router
from central.pages import pages_router
from central.signin import signin_router
from central.summaries import Summaries
from central.web import page
from sync.server.app import BUSY_RETRY_AFTER, create_app, is_busy, utc_now

STYLE = files("central").joinpath("static/panel.css").read_bytes()


def create_central_app(
    sessions: sessionmaker[Session], *, clock: Callable[[], dt.datetime] = utc_now, **options: Any
) -> FastAPI:
    """The sync API (``sync.server.app.create_app`` with ``options``) and the dashboard."""
    app = create_app(sessions, clock=clock, **options)
    app.include_router(signin_router(sessions, clock, app.state.limiter, app.state.audit_trail))
    atlas = Atlas()
    app.include_router(pages_router(sessions, clock, atlas))
    app.include_router(province_router(sessions, clock, atlas))
    app.include_router(instancia_router(sessions, clock))
    summaries = Summaries(sessions)  # one per app: it remembers the tables exist
    app.include_router(followup_router(sessions, clock, summaries))
    app.include_router(devices_router(sessions, clock))
    app.include_router(assistance_router(sessions, clock, summaries))

    @app.get("/panel", include_in_schema=False)
    def panel() -> RedirectResponse:
        return RedirectResponse("/panel/", status_code=308)

    @app.get("/panel/estilo.css", include_in_schema=False)
    def style() -> Response:
        return Response(STYLE, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    _answer_failures_in_html(app)
    return app


def _answer_failures_in_html(app: FastAPI) -> None:
    """A page of the dashboard that fails says so in a page, not in the sync API's JSON."""
    api_handlers = dict(app.exception_handlers)

    async def failed(request: Request, error: Exception) -> Response:
        api = api_handlers[SATimeoutError if isinstance(error, SATimeoutError) else Exception]
        answer: Response = await api(request, error)  # logged as the API logs it
        if not request.url.path.startswith("/panel"):
            return answer
        if is_busy(error):
            message = "El servidor está ocupado. Vuelva a cargar la página en unos segundos."
            return _error_page(message, 503, {"Retry-After": str(BUSY_RETRY_AFTER)})
        message = (
            "Ocurrió un error en el servidor. Vuelva a cargar la página; si continúa, "
            "comuníquese con soporte."
        )
        return _error_page(message, 500)

    app.add_exception_handler(SATimeoutError, failed)
    # SQLite's «database is locked» is answered here too, not by the server-error middleware,
    # which would re-raise it and may drop the connection before the page is read.
    app.add_exception_handler(OperationalError, failed)
    app.add_exception_handler(Exception, failed)


def _error_page(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    body = f'<p class="error" role="alert">{message}</p><p><a href="/panel/">Ir al inicio</a></p>'
    return HTMLResponse(page("No se pudo mostrar la página", body, None), status, headers)
