"""Passwords (scrypt), device tokens (stored as SHA-256), sign-in and its rate limit."""

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.protocol import LoginRequest, LoginResponse, UserInfo
from sync.server.access import AccountError, Caller, Role, check_username, load_caller
from sync.server.db import begin_writing
from sync.server.store import Device, User

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8
IDENTITY_LIMIT = 200  # full name and post, as the columns hold them
MAX_TOKEN = 200  # longer bearer values are not ours: refused without hashing them
# Verified when the user does not exist, so a wrong name costs as long as a wrong password.
_NO_SUCH_USER = (
    "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
)


REVOKED_WITHDRAWN = "baja"  # an administrator withdrew the device: it locks itself
REVOKED_PASSWORD = "contrasena"  # the password changed: the device signs in again


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt_b64$hash_b64`` with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    derived = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    encoded = [base64.b64encode(part).decode() for part in (salt, derived)]
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encoded[0]}${encoded[1]}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the stored hash (constant-time compare; False if malformed)."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        derived = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
        return hmac.compare_digest(derived, base64.b64decode(expected))
    except ValueError:
        return False


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r + 2**20, dklen=32
    )


def token_digest(token: str) -> str:
    """The SHA-256 (hex) under which a device token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session,
    username: str,
    role: Role | str,
    password: str,
    now: dt.datetime,
    *,
    full_name: str = "",
    post: str = "",
) -> None:
    """A new user with a hashed password (``AccountError`` when it exists or is invalid)."""
    check_username(username)
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(
            f"Rol no válido: «{role}». Use «especialista», «supervisor» o «sede»."
        ) from None
    _check_password(password)
    begin_writing(session)  # it reads then writes: hold SQLite's write lock from the start
    if session.get(User, username) is not None:
        raise AccountError(f"El usuario «{username}» ya existe.")
    session.add(
        User(
            username=username,
            role=role.value,
            password_hash=hash_password(password),
            created_at=now,
            full_name=_identity_text(full_name, "nombre completo"),
            post=_identity_text(post, "cargo"),
        )
    )
    session.flush()


def set_identity(session: Session, username: str, full_name: str, post: str) -> None:
    """Record who the user is on paper (printed on the actas she finalizes)."""
    user = session.get(User, username)
    if user is None:
        raise AccountError(f"No existe el usuario «{username}».")
    user.full_name = _identity_text(full_name, "nombre completo")
    user.post = _identity_text(post, "cargo")
    session.flush()


def _identity_text(value: str, label: str) -> str:
    text = " ".join(value.split())
    if len(text) > IDENTITY_LIMIT:
        raise AccountError(f"El {label} tiene más de {IDENTITY_LIMIT} caracteres.")
    if any(not c.isprintable() for c in text):
        raise AccountError(f"El {label} tiene caracteres de control; escríbalo de nuevo.")
    return text


def set_password(session: Session, username: str, password: str, now: dt.datetime) -> int:
    """Replace a user's password and revoke her devices; answer how many were revoked.

    A reset means the old password may be known: each device signs in again with the new one.
    """
    _check_password(password)
    begin_writing(session)
    user = session.get(User, username)
    if user is None:
        raise AccountError(f"No existe el usuario «{username}».")
    user.password_hash = hash_password(password)
    revoked = 0
    for device in session.scalars(
        select(Device).where(Device.username == username, Device.revoked_at.is_(None))
    ):
        device.revoked_at, device.revoked_reason = now, REVOKED_PASSWORD
        revoked += 1
    session.flush()
    return revoked


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"La contraseña debe tener al menos {MIN_PASSWORD} caracteres.")


def password_matches(session: Session, username: str, password: str) -> bool:
    """Whether the user exists and the password is hers (as slow for an unknown name)."""
    user = session.get(User, username)
    return verify_password(password, user.password_hash if user else _NO_SUCH_USER) and (
        user is not None
    )


def role_of(session: Session, username: str) -> Role | None:
    """The user's role (None when no such user)."""
    user = session.get(User, username)
    return Role(user.role) if user is not None else None


def user_exists(session: Session, username: str) -> bool:
    """Whether an account has that name."""
    return session.get(User, username) is not None


def known_device(session: Session, username: str, token: str | None) -> uuid.UUID | None:
    """The device of ``username`` that ``token`` belongs to (expired or not), unless revoked."""
    if not token or len(token) > MAX_TOKEN:
        return None
    device = session.scalars(
        select(Device).where(Device.token_hash == token_digest(token))
    ).one_or_none()
    if device is None or device.revoked_at is not None or device.username != username:
        return None
    return device.id


def withdrawn_token(session: Session, token: str | None) -> uuid.UUID | None:
    """The device ``token`` belongs to when an administrator withdrew it («dar de baja»)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    device = session.scalars(
        select(Device).where(Device.token_hash == token_digest(token))
    ).one_or_none()
    if device is None or device.revoked_reason != REVOKED_WITHDRAWN:
        return None
    return device.id


def open_device(
    session: Session,
    username: str,
    device_name: str,
    now: dt.datetime,
    *,
    reuse: uuid.UUID | None = None,
) -> LoginResponse:
    """A token for a device of a user whose password was checked.

    ``reuse``: the device she signed in from before keeps its identity and gets a new token.
    """
    token = secrets.token_urlsafe(32)
    device = session.get(Device, reuse) if reuse is not None else None
    if device is None or device.revoked_at is not None or device.username != username:
        device = Device(id=uuid.uuid4(), username=username, created_at=now, revoked_at=None)
        session.add(device)
    device.name = device_name
    device.token_hash = token_digest(token)
    device.last_used_at = now
    session.flush()
    caller = load_caller(session, username, device.id)
    user = session.get(User, username)
    return LoginResponse(
        token=token,
        device_id=device.id,
        user=UserInfo(
            username=caller.username,
            role=caller.role.value,
            territories=caller.territories,
            full_name=user.full_name if user else "",
            post=user.post if user else "",
        ),
    )


def login(session: Session, request: LoginRequest, now: dt.datetime) -> LoginResponse | None:
    """Check the password and open a device in one transaction (admin tools and tests).

    The HTTP app checks the password outside the write lock, then opens the device.
    """
    begin_writing(session)  # a slow check between a read and a write: hold the lock first
    if not password_matches(session, request.username, request.password):
        return None
    reuse = known_device(session, request.username, request.device_token)
    return open_device(session, request.username, request.device_name, now, reuse=reuse)


@dataclass(frozen=True)
class TokenCheck:
    """What a bearer token opens: the caller, or why not (unknown, revoked, expired)."""

    caller: Caller | None
    expired: bool = False
    stale_since: dt.datetime | None = None  # last use, when it is time to record a new one
    withdrawn: bool = False  # an administrator withdrew the device: it must lock itself
    username: str | None = None  # whose device the refused token was (for the audit trail)
    device_id: uuid.UUID | None = None


TOUCH_EVERY = dt.timedelta(hours=1)  # a device's last use is recorded at most this often


def check_token(
    session: Session, token: str, now: dt.datetime, ttl: dt.timedelta | None
) -> TokenCheck:
    """Resolve a bearer token; a device unused for longer than ``ttl`` has expired (sliding)."""
    if not token or len(token) > MAX_TOKEN:
        return TokenCheck(None)
    device = session.scalars(
        select(Device).where(Device.token_hash == token_digest(token))
    ).one_or_none()
    if device is None:
        return TokenCheck(None)
    if device.revoked_at is not None:
        return TokenCheck(
            None,
            withdrawn=device.revoked_reason == REVOKED_WITHDRAWN,
            username=device.username,
            device_id=device.id,
        )
    last = device.last_used_at or device.created_at
    if ttl is not None and now - last > ttl:
        return TokenCheck(None, expired=True, username=device.username, device_id=device.id)
    stale = last if now - last > TOUCH_EVERY else None
    return TokenCheck(load_caller(session, device.username, device.id), stale_since=stale)


def touch_device(session: Session, token: str, now: dt.datetime) -> None:
    """Record that a device was used now (its token's expiry slides)."""
    device = session.scalars(
        select(Device).where(Device.token_hash == token_digest(token))
    ).one_or_none()
    if device is not None:
        device.last_used_at = now
        session.flush()


def caller_for_token(session: Session, token: str) -> Caller | None:
    """The caller behind a bearer token, or None when unknown or its device was revoked."""
    return check_token(session, token, dt.datetime.now(dt.UTC), None).caller


@dataclass(frozen=True)
class DeviceInfo:
    """A signed-in device as the administrator sees it."""

    id: uuid.UUID
    username: str
    name: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


def list_devices(session: Session, username: str | None = None) -> list[DeviceInfo]:
    """Devices (of one user, or all), oldest first."""
    statement = select(Device).order_by(Device.created_at, Device.id)
    if username is not None:
        statement = statement.where(Device.username == username)
    return [
        DeviceInfo(d.id, d.username, d.name, d.created_at, d.revoked_at)
        for d in session.scalars(statement)
    ]


MAX_OUTBOX_WAITING = 10_000_000  # a count beyond this is not a laptop's: it is ignored


def note_outbox_waiting(
    session: Session, device_id: uuid.UUID | None, waiting: int | None, now: dt.datetime
) -> None:
    """Keep what a laptop said, with a push, it still has to send after that push.

    Inside the push's own transaction (it writes already). An old app says nothing: None.
    """
    if device_id is None or waiting is None or not 0 <= waiting <= MAX_OUTBOX_WAITING:
        return
    device = session.get(Device, device_id)
    if device is not None:
        device.outbox_waiting, device.outbox_reported_at = waiting, now


def revoke_device(session: Session, device_id: uuid.UUID, now: dt.datetime) -> bool:
    """Revoke a device's token (idempotent); False when there is no such device."""
    device = session.get(Device, device_id)
    if device is None:
        return False
    if device.revoked_at is None:
        device.revoked_at = now
    device.revoked_reason = REVOKED_WITHDRAWN  # even when a new password revoked it first
    session.flush()
    return True
