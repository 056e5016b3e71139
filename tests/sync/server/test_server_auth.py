"""Passwords, accounts, device tokens and the sign-in rate limit."""

import datetime as dt
import uuid

import pytest
from helpers.server_db import PASSWORD, T0, ServerDb
from sqlalchemy import select

from sync.protocol import LoginRequest
from sync.server import auth
from sync.server.access import AccountError, Role, assign_territories, load_caller
from sync.server.store import Device
from sync.server.throttle import LoginLimiter, TooManyAttemptsError


def test_password_hash_format_and_verification() -> None:
    stored = auth.hash_password("contraseña ñandú")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(salt) == 24 and len(digest) == 44
    assert auth.verify_password("contraseña ñandú", stored)
    assert not auth.verify_password("contraseña nandu", stored)
    assert auth.hash_password("x" * 8) != auth.hash_password("x" * 8)  # fresh salt
    for broken in (
        "",
        "plain",
        "md5$1$2$3$4$5",
        "scrypt$x$8$1$AA==$AA==",
        "scrypt$16384$8$1$!!$AA==",
    ):
        assert not auth.verify_password("x", broken)


def test_accounts_are_validated(server_db: ServerDb) -> None:
    with server_db.factory.begin() as session:
        auth.create_user(session, "ana.quispe", Role.ESPECIALISTA, PASSWORD, T0)
        cases = [
            ("ana.quispe", "especialista", PASSWORD, "ya existe"),
            ("Ana Quispe", "especialista", PASSWORD, "Nombre de usuario no válido"),
            ("beto", "jefe", PASSWORD, "Rol no válido"),
            ("beto", "supervisor", "corta", "al menos 8"),
        ]
        for name, role, password, message in cases:
            with pytest.raises(AccountError, match=message):
                auth.create_user(session, name, role, password, T0)
        with pytest.raises(AccountError, match="Ubigeo no válido: 123"):
            assign_territories(session, "ana.quispe", ["15", "123"])
        with pytest.raises(AccountError, match="No existe"):
            assign_territories(session, "nadie", ["15"])
        assert assign_territories(session, "ana.quispe", ["1501", "15"]) == ("15", "1501")
        assert assign_territories(session, "ana.quispe", ["1601"]) == ("15", "1501", "1601")
        assert assign_territories(session, "ana.quispe", ["24"], replace=True) == ("24",)
        with pytest.raises(AccountError, match="No existe"):
            load_caller(session, "nadie")
        with pytest.raises(AccountError, match="No existe"):
            auth.set_password(session, "nadie", PASSWORD, T0)


def test_login_tokens_and_revocation(server_db: ServerDb) -> None:
    server_db.add_user("ana", territories=["1501"])
    request = LoginRequest(username="ana", password=PASSWORD, device_name="Laptop 1")
    with server_db.factory.begin() as session:
        answer = auth.login(session, request, T0)
        assert answer is not None
        assert (answer.user.username, answer.user.role, answer.user.territories) == (
            "ana",
            "especialista",
            ("1501",),
        )
        assert len(answer.token) >= 43
        stored = session.scalars(select(Device)).one()
        assert stored.token_hash == auth.token_digest(answer.token) != answer.token
        caller = auth.caller_for_token(session, answer.token)
        assert caller is not None
        assert (caller.username, caller.device_id) == ("ana", answer.device_id)
        assert auth.caller_for_token(session, answer.token + "x") is None
        assert auth.caller_for_token(session, "") is None
        assert auth.caller_for_token(session, "x" * 500) is None
        wrong = request.model_copy(update={"password": "otra-clave"})
        assert auth.login(session, wrong, T0) is None
        assert auth.login(session, request.model_copy(update={"username": "nadie"}), T0) is None
        assert auth.revoke_device(session, answer.device_id, T0)
        assert auth.revoke_device(session, answer.device_id, T0)
        assert not auth.revoke_device(session, uuid.uuid4(), T0)
        assert auth.caller_for_token(session, answer.token) is None
        (listed,) = auth.list_devices(session, "ana")
        assert (listed.name, listed.revoked_at) == ("Laptop 1", T0)
        again = auth.login(session, request, T0)
        assert again is not None and auth.caller_for_token(session, again.token) is not None
        assert auth.set_password(session, "ana", "nueva-clave-2", T0) == 1  # a reset revokes
        assert auth.caller_for_token(session, again.token) is None
        assert auth.login(session, request, T0) is None
        assert auth.login(session, request.model_copy(update={"password": "nueva-clave-2"}), T0)
        assert len(auth.list_devices(session)) == 3


def test_a_token_expires_when_unused_and_its_use_slides_it(server_db: ServerDb) -> None:
    server_db.add_user("ana", territories=["1501"])
    request = LoginRequest(username="ana", password=PASSWORD, device_name="Laptop")
    ttl, hour = dt.timedelta(days=90), dt.timedelta(hours=1)
    with server_db.factory.begin() as session:
        answer = auth.login(session, request, T0)
        assert answer is not None
        fresh = auth.check_token(session, answer.token, T0 + hour / 2, ttl)
        assert (fresh.caller is not None, fresh.stale_since) == (True, None)  # no write yet
        due = auth.check_token(session, answer.token, T0 + 2 * hour, ttl)
        assert due.stale_since == T0  # recorded at most hourly
        auth.touch_device(session, answer.token, T0 + 80 * 24 * hour)
        assert auth.check_token(session, answer.token, T0 + 160 * 24 * hour, ttl).caller
        gone = auth.check_token(session, answer.token, T0 + 171 * 24 * hour, ttl)
        assert (gone.caller, gone.expired) == (None, True)
        # signing in again from that laptop (it shows its old token) keeps the device
        back = auth.login(session, request.model_copy(update={"device_token": answer.token}), T0)
        assert back is not None and back.device_id == answer.device_id
        assert auth.caller_for_token(session, answer.token) is None  # the old token is gone
        assert len(auth.list_devices(session, "ana")) == 1


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limiter_counts_attempts_per_user_address_and_both() -> None:
    clock = FakeClock()
    limiter = LoginLimiter(max_failures=5, window_seconds=300, clock=clock)
    for _ in range(4):
        limiter.failed(limiter.begin("Ana", "10.0.0.1"))
        clock.now += 10
    assert limiter.retry_after("ana", "10.0.0.9") == 0
    limiter.failed(limiter.begin("ana", "10.0.0.2"))
    assert limiter.retry_after("ANA", "10.0.0.9") == 260  # the first failure expires then
    with pytest.raises(TooManyAttemptsError):
        limiter.begin("ana", "10.0.0.9")
    assert limiter.retry_after("bea", "10.0.0.1") == 0  # 4 failures from that address
    limiter.failed(limiter.begin("bea", "10.0.0.1"))
    assert limiter.retry_after("carla", "10.0.0.1") > 0
    clock.now += 261
    assert limiter.retry_after("ana", "10.0.0.9") == 0


def test_attempts_count_before_they_are_checked_and_a_known_device_is_not_locked_out() -> None:
    limiter = LoginLimiter(max_failures=5, window_seconds=300, clock=FakeClock())
    under_way = [limiter.begin("ana", f"10.0.0.{n}") for n in range(5)]  # all at once
    with pytest.raises(TooManyAttemptsError):
        limiter.begin("ana", "10.0.0.9")  # a sixth, before any of them was answered
    # Her own enrolled laptop shows its token: failures under her name from elsewhere do not
    # hold it back; its own address's failures still would.
    mine = limiter.begin("ana", "192.168.1.5", known_device=True)
    limiter.succeeded(mine)
    for attempt in under_way[:4]:
        limiter.abandoned(attempt)  # the server failed: not counted
    limiter.failed(under_way[4])
    assert limiter.retry_after("ana", "10.0.0.9") == 0
    for _ in range(5):
        limiter.failed(limiter.begin("ana", "192.168.1.5", known_device=True))
    with pytest.raises(TooManyAttemptsError):
        limiter.begin("ana", "192.168.1.5", known_device=True)
