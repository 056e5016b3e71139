"""Browser sessions of the web dashboard: a random token in a cookie, stored only as its digest.

A session lasts a working day at most, ends at «Salir», and carries the CSRF token its forms
must return. Nothing of the password or of the token itself is kept.
"""

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.orm import Session

from sync.server.access import Caller, load_caller
from sync.server.auth import token_digest
from sync.server.store import WebSession

WEB_SESSION_HOURS = 10  # a working day; then she signs in again


@dataclass(frozen=True)
class WebViewer:
    """Who a browser session belongs to, and the token its forms must send back."""

    caller: Caller
    csrf: str

    def accepts(self, sent: str) -> bool:
        """Whether a form's CSRF token is this session's (compared in constant time)."""
        return hmac.compare_digest(self.csrf.encode(), sent.encode())


def open_web_session(
    session: Session, username: str, now: dt.datetime, hours: int = WEB_SESSION_HOURS
) -> str:
    """A new session for a user whose password was checked; its token (for the cookie)."""
    token = secrets.token_urlsafe(32)
    session.execute(delete(WebSession).where(WebSession.expires_at <= now))  # tidy as we go
    session.add(
        WebSession(
            token_digest=token_digest(token), username=username, csrf=secrets.token_urlsafe(32),
            created_at=now, expires_at=now + dt.timedelta(hours=hours),
        )
    )  # fmt: skip
    session.flush()
    return token


def web_viewer(session: Session, token: str | None, now: dt.datetime) -> WebViewer | None:
    """The viewer of a live session (None: no cookie, unknown, ended or expired)."""
    if not token:
        return None
    found = session.get(WebSession, token_digest(token))
    if found is None or found.expires_at <= now:
        return None
    return WebViewer(load_caller(session, found.username), found.csrf)


def close_web_session(session: Session, token: str | None) -> None:
    """End a session («Salir»): its cookie opens nothing any more."""
    if token:
        session.execute(delete(WebSession).where(WebSession.token_digest == token_digest(token)))
