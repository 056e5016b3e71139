"""A laptop's enrolment with the central server: written directly, or through a sign-in.

``write_enrolment`` stores the enrolment values in the profile as they are, with no sign-in;
``sign_in`` goes through ``account.enrol`` with a transport that answers like the server.
"""

import uuid

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.sync_views import SignIn
from instancias_desktop.syncing import account
from sync.protocol import LoginResponse, UserInfo
from sync.server.access import Caller, Role

ANA = Caller("ana", Role.ESPECIALISTA, territories=("08",), device_id=uuid.uuid4())


def login_as(role: str = "especialista", territories: tuple[str, ...] = ("08",)) -> type:
    """A transport that answers a sign-in like the server would, without HTTP."""

    class Login:
        def __init__(self, url: str, token: str | None) -> None:
            self.url = url

        def login(self, username: str, password: str, device_name: str) -> LoginResponse:
            user = UserInfo(username=username, role=role, territories=territories)
            return LoginResponse(token="token-de-prueba", device_id=ANA.device_id, user=user)

    return Login


def sign_in(
    database: Database,
    username: str = "ana",
    role: str = "especialista",
    territories: tuple[str, ...] = ("08",),
) -> None:
    """The laptop signed in once (its enrolment and token kept, as after a real sign-in)."""
    credentials = SignIn(" https://central.example/ ", username, "secreta", "Laptop de Ana")
    account.enrol(database, credentials, transport=login_as(role, territories))  # type: ignore[arg-type]


def write_enrolment(database: Database) -> None:
    """The enrolment values of a specialist's laptop, written straight into the profile."""
    with database.unit_of_work(record=False) as uow:
        for key, value in {
            "server_url": "https://central.example", "username": "especialista.prueba",
            "device_id": "00000000-0000-0000-0000-000000000001", "device_name": "x",
            "enrolled_at": "2026-03-10T15:00:00+00:00", "token": "t",
        }.items():  # fmt: skip
            uow.sync.set_value(f"enrolment.{key}", value)
        uow.commit()
