"""Who is calling: the bearer token of a request, resolved to a caller or refused with 401."""

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from sync.server import auth
from sync.server.access import Caller
from sync.server.http_io import ApiError


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


Token = Annotated[str, Depends(bearer_token)]


def authenticate(session: Session, token: str) -> Caller:
    """The caller behind ``token``, or a 401 (unknown token, revoked device)."""
    caller = auth.caller_for_token(session, token)
    if caller is None:
        raise ApiError(
            401,
            "no_autorizado",
            "El token de acceso no es válido o este equipo fue dado de baja. "
            "Inicie sesión de nuevo.",
            {"WWW-Authenticate": "Bearer"},
        )
    return caller
