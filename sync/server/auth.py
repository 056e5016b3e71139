"""Passwords (scrypt), device tokens (stored as SHA-256), sign-in and its rate limit."""

import base64
import datetime as dt
import hashlib
import hmac
import math
import secrets
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.protocol import LoginRequest, LoginResponse, UserInfo
from sync.server.access import AccountError, Caller, Role, check_username, load_caller
from sync.server.store import Device, User

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8
MAX_TOKEN = 200  # longer bearer values are not ours: refused without hashing them
# Verified when the user does not exist, so a wrong name costs as long as a wrong password.
_NO_SUCH_USER = (
    "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
)


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
    session: Session, username: str, role: Role | str, password: str, now: dt.datetime
) -> None:
    """A new user with a hashed password (``AccountError`` when it exists or is invalid)."""
    check_username(username)
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(f"Rol no válido: «{role}». Use «especialista» o «supervisor».") from None
    _check_password(password)
    if session.get(User, username) is not None:
        raise AccountError(f"El usuario «{username}» ya existe.")
    session.add(
        User(
            username=username,
            role=role.value,
            password_hash=hash_password(password),
            created_at=now,
        )
    )
    session.flush()


def set_password(session: Session, username: str, password: str) -> None:
    """Replace a user's password; the devices already signed in keep their tokens."""
    _check_password(password)
    user = session.get(User, username)
    if user is None:
        raise AccountError(f"No existe el usuario «{username}».")
    user.password_hash = hash_password(password)
    session.flush()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"La contraseña debe tener al menos {MIN_PASSWORD} caracteres.")


def login(session: Session, request: LoginRequest, now: dt.datetime) -> LoginResponse | None:
    """Sign a device in: a new device and its token, or None for a wrong name or password."""
    user = session.get(User, request.username)
    matches = verify_password(request.password, user.password_hash if user else _NO_SUCH_USER)
    if user is None or not matches:
        return None
    token = secrets.token_urlsafe(32)
    device = Device(
        id=uuid.uuid4(),
        username=user.username,
        name=request.device_name,
        token_hash=token_digest(token),
        created_at=now,
        revoked_at=None,
    )
    session.add(device)
    session.flush()
    caller = load_caller(session, user.username, device.id)
    return LoginResponse(
        token=token,
        device_id=device.id,
        user=UserInfo(
            username=caller.username, role=caller.role.value, territories=caller.territories
        ),
    )


def caller_for_token(session: Session, token: str) -> Caller | None:
    """The caller behind a bearer token, or None when unknown or its device was revoked."""
    if not token or len(token) > MAX_TOKEN:
        return None
    device = session.scalars(
        select(Device).where(Device.token_hash == token_digest(token))
    ).one_or_none()
    if device is None or device.revoked_at is not None:
        return None
    return load_caller(session, device.username, device.id)


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


def revoke_device(session: Session, device_id: uuid.UUID, now: dt.datetime) -> bool:
    """Revoke a device's token (idempotent); False when there is no such device."""
    device = session.get(Device, device_id)
    if device is None:
        return False
    if device.revoked_at is None:
        device.revoked_at = now
    session.flush()
    return True


class LoginLimiter:
    """At most ``max_failures`` failed sign-ins per user name and per address in a window.

    Owned by one app (kept in memory, thread-safe); each server process counts its own.
    """

    def __init__(
        self,
        max_failures: int = 5,
        window_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max = max_failures
        self._window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, username: str, address: str) -> int:
        """Seconds to wait before another attempt is allowed (0: allowed now)."""
        now = self._clock()
        with self._lock:
            waits = [self._wait(key, now) for key in self._keys(username, address)]
        return max(waits)

    def failed(self, username: str, address: str) -> None:
        """Count a failed attempt against the user name and the address."""
        now = self._clock()
        with self._lock:
            for key in self._keys(username, address):
                self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > 10_000:
                self._forget_expired(now)

    def succeeded(self, username: str) -> None:
        """A correct password clears the user name's failures (not the address's)."""
        with self._lock:
            self._failures.pop(self._keys(username, "")[0], None)

    @staticmethod
    def _keys(username: str, address: str) -> tuple[str, str]:
        return f"user:{username.casefold()}", f"addr:{address}"

    def _wait(self, key: str, now: float) -> int:
        failures = self._failures.get(key)
        if failures is None:
            return 0
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return 0
        if len(failures) < self._max:
            return 0
        return max(1, math.ceil(failures[-self._max] + self._window - now))

    def _forget_expired(self, now: float) -> None:
        for key in list(self._failures):
            self._wait(key, now)
