"""Signing in to the dashboard in a browser: a form, a session cookie, «Salir».

The form carries a CSRF token that must match a cookie set with it (the session does not exist
yet); attempts go through the same limiter and hashing gate as the laptops' sign-in, and are
audited the same way. The session cookie is HttpOnly, Secure and SameSite=Strict.
"""

import datetime as dt
import secrets
from collections.abc import Callable
from html import escape
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from central.web import page
from sync.server import auth
from sync.server.audit import Action, AuditTrail, entry
from sync.server.db import begin_writing
from sync.server.http_io import client_address
from sync.server.throttle import HashGate, HashingBusyError, LoginLimiter, TooManyAttemptsError
from sync.server.web_sessions import (
    WEB_SESSION_HOURS,
    WebViewer,
    close_web_session,
    open_web_session,
    web_viewer,
)

SESSION_COOKIE = "panel_sesion"
FORM_COOKIE = "panel_formulario"  # the CSRF token of the sign-in form (no session yet)
MAX_FORM = 4_096


def _cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/panel", secure=True, httponly=True,
        samesite="strict",
    )  # fmt: skip


async def form_of(request: Request) -> dict[str, str]:
    """A url-encoded form's fields (first value of each); a body too large gives nothing."""
    body = await request.body()
    if len(body) > MAX_FORM:
        return {}
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in parsed.items()}


def signin_page(message: str = "", token: str = "") -> HTMLResponse:
    """The sign-in form; a fresh form token in the page and in its cookie."""
    token = token or secrets.token_urlsafe(32)
    error = f'<p class="error" role="alert" id="error">{escape(message)}</p>' if message else ""
    body = (
        f'{error}<form class="login" method="post" action="/panel/ingresar">'
        f'<input type="hidden" name="csrf" value="{escape(token)}">'
        '<label for="usuario">Usuario</label>'
        '<input id="usuario" name="usuario" autocomplete="username" required autofocus>'
        '<label for="contrasena">Contraseña</label>'
        '<input id="contrasena" name="contrasena" type="password" '
        'autocomplete="current-password" required>'
        '<button type="submit" id="ingresar">Ingresar</button></form>'
        '<p class="note">Use su cuenta del servidor central (sede, supervisión o especialista).'
        "</p>"
    )
    response = HTMLResponse(page("Ingresar", body, None), status_code=401 if message else 200)
    _cookie(response, FORM_COOKIE, token, 3600)
    return response


def signin_router(
    sessions: sessionmaker[Session],
    clock: Callable[[], dt.datetime],
    limiter: LoginLimiter,
    trail: AuditTrail,
) -> APIRouter:
    """GET/POST /panel/ingresar and POST /panel/salir."""
    router = APIRouter()
    gate = HashGate()

    @router.get("/panel/ingresar", response_class=HTMLResponse, include_in_schema=False)
    def show() -> HTMLResponse:
        return signin_page()

    @router.post("/panel/ingresar", include_in_schema=False)
    async def enter(request: Request) -> Response:
        form = await form_of(request)
        expected, address = request.cookies.get(FORM_COOKIE, ""), client_address(request)
        # Hashing and the database block: they run in the thread pool, not in the event loop.
        return await run_in_threadpool(entering, form, expected, address or "desconocida")

    def entering(form: dict[str, str], expected: str, address: str) -> Response:
        if not expected or not secrets.compare_digest(form.get("csrf", ""), expected):
            return signin_page("El formulario venció. Vuelva a escribir su usuario y contraseña.")
        username, password = form.get("usuario", "").strip(), form.get("contrasena", "")
        try:
            attempt = limiter.begin(username, address)
        except TooManyAttemptsError as held:
            return signin_page(
                f"Demasiados intentos fallidos. Espere {max(1, round(held.wait / 60))} "
                "minuto(s) y vuelva a intentarlo."
            )
        try:
            with gate.slot(), sessions.begin() as session:
                matches = auth.password_matches(session, username, password)
        except HashingBusyError:
            limiter.abandoned(attempt)
            return signin_page("El servidor está ocupado; inténtelo de nuevo en unos segundos.")
        if not matches:
            limiter.failed(attempt)
            with sessions.begin() as session:
                actor = username if auth.user_exists(session, username) else None
            trail.note_apart(Action.SIGN_IN_REFUSED, actor, address=address,
                             detail={"motivo": "panel"})  # fmt: skip
            return signin_page("Usuario o contraseña incorrectos.")
        limiter.succeeded(attempt)
        with sessions.begin() as session:
            begin_writing(session)
            token = open_web_session(session, username, clock())
            session.add(entry(clock(), Action.SIGN_IN, username, address=address,
                              detail={"panel": True}))  # fmt: skip
        response = RedirectResponse("/panel/", status_code=303)
        _cookie(response, SESSION_COOKIE, token, WEB_SESSION_HOURS * 3600)
        response.delete_cookie(FORM_COOKIE, path="/panel")
        return response

    @router.post("/panel/salir", include_in_schema=False)
    async def leave(request: Request) -> Response:
        form = await form_of(request)
        return await run_in_threadpool(leaving, form, request.cookies.get(SESSION_COOKIE))

    def leaving(form: dict[str, str], token: str | None) -> Response:
        with sessions.begin() as session:
            begin_writing(session)  # it reads, then deletes: a deferred one could not wait
            viewer = web_viewer(session, token, clock())
            if viewer is not None and not viewer.accepts(form.get("csrf", "")):
                body = (
                    '<p class="error" role="alert">El formulario venció: vuelva a pulsar '
                    "«Salir».</p>"
                )
                return HTMLResponse(page("Salir", body, viewer), status_code=403)
            close_web_session(session, token)
        response = RedirectResponse("/panel/ingresar", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/panel")
        return response

    return router


def viewer_of(
    request: Request, sessions: sessionmaker[Session], clock: Callable[[], dt.datetime]
) -> WebViewer | None:
    """The signed-in viewer of a request, or None (then the page sends her to sign in)."""
    with sessions.begin() as session:
        return web_viewer(session, request.cookies.get(SESSION_COOKIE), clock())
