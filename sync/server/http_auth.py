"""Who is calling: the bearer token, resolved to a caller (or refused) before the body is read.

Every authenticated route takes the caller as its first dependency, so a request with a
garbage, revoked or expired token is refused with 401 without its body being read, unzipped
or validated. A token's expiry slides: each use, recorded at most hourly, keeps it alive.
"""

import datetime as dt
from collections.abc import Callable

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from sync.server import auth
from sync.server.access import Caller
from sync.server.audit import Action, AuditTrail
from sync.server.db import begin_writing
from sync.server.http_io import ApiError, client_address

DEFAULT_TOKEN_DAYS = 90  # a device unused this long signs in again (fieldwork has long gaps)
WITHDRAWN = "equipo_dado_de_baja"  # the error code that tells a laptop to lock itself
WITHDRAWN_MESSAGE = (
    "Este equipo fue dado de baja por el administrador del servidor: ya no puede sincronizar. "
    "Exporte los cambios no enviados para su supervisor(a) antes de borrar los datos."
)


def bearer_token(request: Request) -> str:
    """The ``Authorization: Bearer`` token, or a 401 when there is none."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            "no_autorizado",
            "Falta el token de acceso. Inicie sesión en este equipo para sincronizar.",
            {"WWW-Authenticate": "Bearer"},
        )
    return token.strip()


class Authenticator:
    """A FastAPI dependency: the caller behind the request's token, or a 401."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], dt.datetime],
        token_days: int | None = DEFAULT_TOKEN_DAYS,
        trail: AuditTrail | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._ttl = dt.timedelta(days=token_days) if token_days else None
        self.trail = trail if trail is not None else AuditTrail(sessions, clock)

    def __call__(self, request: Request) -> Caller:
        """Resolve the token in a short read transaction; slide its expiry when due.

        A refusal leaves an audit entry naming the route, and whose device the token was.
        """
        try:
            token = bearer_token(request)
        except ApiError:
            self._refused(request, None, "sin_token")
            raise
        now = self._clock()
        with self._sessions.begin() as session:
            checked = auth.check_token(session, token, now, self._ttl)
        if checked.caller is None:
            why = (
                "dado_de_baja"
                if checked.withdrawn
                else "vencido"
                if checked.expired
                else "revocado"
                if checked.device_id
                else "desconocido"
            )
            self._refused(request, checked, why)
            if checked.withdrawn:
                raise ApiError(401, WITHDRAWN, WITHDRAWN_MESSAGE, {"WWW-Authenticate": "Bearer"})
            raise ApiError(
                401,
                "no_autorizado",
                (
                    "La sesión de este equipo venció por falta de uso: inicie sesión de nuevo "
                    "(sus cambios siguen guardados en el equipo)."
                    if checked.expired
                    else "El token de acceso no es válido o este equipo fue dado de baja. "
                    "Inicie sesión de nuevo."
                ),
                {"WWW-Authenticate": "Bearer"},
            )
        if checked.stale_since is not None:
            with self._sessions.begin() as session:
                begin_writing(session)
                auth.touch_device(session, token, now)
        return checked.caller

    def _refused(self, request: Request, checked: auth.TokenCheck | None, why: str) -> None:
        self.trail.note_refusal(
            Action.ACCESS_REFUSED,
            checked.username if checked else None,
            why,
            device_id=checked.device_id if checked else None,
            address=client_address(request),
            detail={"ruta": request.url.path[:200], "token": why},
        )
