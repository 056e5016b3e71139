"""Enrolment: this laptop signs in to the central server once and keeps its device token.

The server address, the user, the device and the token are kept in the profile's database
(``sync_state``), never in a loose file; the password is sent once and never kept.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.sync_views import Enrolment, SignIn, enrolment_setting
from instancias_desktop.domain.ubigeo import stored_prefixes
from instancias_desktop.domain.validation import Collector
from instancias_desktop.i18n import _

if TYPE_CHECKING:  # requests loads at the first sign-in, not when the profile opens
    from sync.transport_http import HttpTransport

_KEYS = ("server_url", "username", "device_id", "device_name", "enrolled_at", "token")
_EXTRA = ("territories", "role")  # kept since the first sign-in; absent in older profiles
TransportFactory = Callable[[str, str | None], "HttpTransport"]


def http_transport(server_url: str, token: str | None) -> "HttpTransport":
    """The real transport (tests may give another factory)."""
    from sync.transport_http import HttpTransport  # noqa: PLC0415

    return HttpTransport(server_url, token)


def server_url_problem(url: str) -> str | None:
    """Why an address is not a server's (None when it is ``https://…`` or ``http://…``)."""
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        return _(
            "Escriba la dirección completa del servidor, por ejemplo "
            "https://sincronizacion.ejemplo.gob.pe"
        )
    return None


def enrol(
    database: Database, sign_in: SignIn, transport: TransportFactory = http_transport
) -> Enrolment:
    """Sign the laptop in; keep the device token for every later sync (SyncError if refused)."""
    url = sign_in.server_url.strip().rstrip("/")
    username, device_name = sign_in.username.strip(), sign_in.device_name.strip() or _("Equipo")
    problems = Collector()
    problems.add("server_url", server_url_problem(url))
    problems.add("username", None if username else _("Escriba su usuario."))
    problems.add("password", None if sign_in.password else _("Escriba su contraseña."))
    problems.raise_if_any()
    answer = transport(url, None).login(username, sign_in.password, device_name)
    enrolment = Enrolment(
        server_url=url,
        username=answer.user.username,
        device_id=answer.device_id,
        device_name=device_name,
        enrolled_at=database.clock(),
        territories=tuple(answer.user.territories),
        role=answer.user.role,
        full_name=answer.user.full_name,
        post=answer.user.post,
    )
    values = {
        "server_url": enrolment.server_url,
        "username": enrolment.username,
        "device_id": str(enrolment.device_id),
        "device_name": enrolment.device_name,
        "enrolled_at": enrolment.enrolled_at.isoformat(),
        "token": answer.token,
        "territories": ",".join(enrolment.territories),
        "role": enrolment.role,
    }
    with database.unit_of_work(record=False) as uow:
        for key in (*_KEYS, *_EXTRA):
            uow.sync.set_value(enrolment_setting(key), values[key])
        uow.commit()
    return enrolment


def enrolment_of(database: Database) -> tuple[Enrolment, str] | None:
    """The laptop's enrolment and its device token, or None before the first sign-in."""
    with database.reader() as uow:
        values = {key: uow.sync.value(enrolment_setting(key)) for key in _KEYS}
        extra = {key: uow.sync.value(enrolment_setting(key)) for key in _EXTRA}
    if any(value is None for value in values.values()):
        return None
    enrolment = Enrolment(
        server_url=str(values["server_url"]),
        username=str(values["username"]),
        device_id=uuid.UUID(str(values["device_id"])),
        device_name=str(values["device_name"]),
        enrolled_at=dt.datetime.fromisoformat(str(values["enrolled_at"])),
        territories=stored_prefixes(extra["territories"]),
        role=extra["role"] or "especialista",
    )
    return enrolment, str(values["token"])
