"""``POST /v1/login``: a device signs in, throttled, its password never hashed under the lock.

The attempt is counted before the password is checked (concurrent wrong passwords cannot slip
past the limit); the password is checked in a read-only transaction and through a gate of a
few hashing slots; only then does a short write transaction open the device.
"""

import datetime as dt
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from sqlalchemy.orm import Session, sessionmaker

from sync.protocol import ErrorBody, LoginRequest, LoginResponse
from sync.server import auth
from sync.server.access import Role
from sync.server.audit import Action, AuditTrail, entry
from sync.server.db import begin_writing
from sync.server.http_auth import WITHDRAWN, WITHDRAWN_MESSAGE
from sync.server.http_io import ApiError, BodyReader, client_address
from sync.server.throttle import HashGate, HashingBusyError, LoginLimiter, TooManyAttemptsError

BUSY_RETRY_AFTER = 2
HEADQUARTERS = "cuenta_de_sede"
HEADQUARTERS_MESSAGE = (
    "Las cuentas de sede consultan el panel web del servidor y no sincronizan equipos. "
    "Para registrar visitas use una cuenta de especialista."
)


def add_login_route(
    app: FastAPI,
    sessions: sessionmaker[Session],
    clock: Callable[[], dt.datetime],
    *,
    limiter: LoginLimiter,
    gate: HashGate,
    max_body: int,
    trail: AuditTrail,
) -> None:
    """Mount the sign-in endpoint; every attempt, let in or refused, is audited."""

    @app.post(
        "/v1/login",
        response_model=LoginResponse,
        responses={status: {"model": ErrorBody} for status in (401, 429)},
    )
    def login(
        request: Request,
        body: Annotated[LoginRequest, Depends(BodyReader(LoginRequest, max_body))],
    ) -> LoginResponse:
        """Sign a device in; throttled per user name, per address and per both."""
        address = client_address(request)
        with sessions.begin() as session:
            known = auth.known_device(session, body.username, body.device_token)
            withdrawn = auth.withdrawn_token(session, body.device_token)
            # A name typed by mistake may be a password: only existing names are written down.
            actor = body.username if auth.user_exists(session, body.username) else None

        def refused(why: str) -> None:
            # Wrong passwords are few (the limiter holds them): each is written. What comes
            # before the limiter, or what it turns away, may be a flood: one entry a minute.
            detail, action = {"motivo": why}, Action.SIGN_IN_REFUSED
            if why in (WITHDRAWN, "demasiados_intentos"):
                trail.note_refusal(
                    action, actor, why, device_id=withdrawn, address=address, detail=detail
                )
            else:
                trail.note_apart(action, actor, device_id=withdrawn, address=address, detail=detail)

        if withdrawn is not None:
            refused(WITHDRAWN)
            raise ApiError(403, WITHDRAWN, WITHDRAWN_MESSAGE)
        try:
            attempt = limiter.begin(
                body.username, address or "desconocida", known_device=known is not None
            )
        except TooManyAttemptsError as held:
            refused("demasiados_intentos")
            raise ApiError(
                429,
                "demasiados_intentos",
                "Demasiados intentos fallidos de inicio de sesión. Espere "
                f"{max(1, round(held.wait / 60))} minuto(s) y vuelva a intentarlo.",
                {"Retry-After": str(held.wait)},
            ) from None
        try:
            with gate.slot(), sessions.begin() as session:  # read only: no write lock held
                matches = auth.password_matches(session, body.username, body.password)
            if not matches:
                limiter.failed(attempt)
                refused("contrasena_incorrecta" if actor else "usuario_desconocido")
                raise ApiError(401, "no_autorizado", "Usuario o contraseña incorrectos.")
            with sessions.begin() as session:
                headquarters = auth.role_of(session, body.username) is Role.SEDE
            if headquarters:  # reads the dashboard only: no laptop writes in its name
                limiter.succeeded(attempt)
                refused(HEADQUARTERS)
                raise ApiError(403, HEADQUARTERS, HEADQUARTERS_MESSAGE)
            with sessions.begin() as session:
                begin_writing(session)
                answer = auth.open_device(
                    session, body.username, body.device_name, clock(), reuse=known
                )
                session.add(
                    entry(
                        clock(),
                        Action.SIGN_IN,
                        body.username,
                        device_id=answer.device_id,
                        address=address,
                        detail={"equipo_nuevo": known != answer.device_id},
                    )
                )
        except HashingBusyError:
            limiter.abandoned(attempt)
            raise ApiError(
                503,
                "ocupado",
                "El servidor está atendiendo muchos inicios de sesión a la vez; inténtelo de "
                "nuevo en unos segundos.",
                {"Retry-After": str(BUSY_RETRY_AFTER)},
            ) from None
        except ApiError:
            raise
        except Exception:
            limiter.abandoned(attempt)
            raise
        limiter.succeeded(attempt)
        return answer
