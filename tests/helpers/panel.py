"""A central server with its dashboard, seeded with a small country, for the dashboard tests.

The seed is known: the figures a page shows are checked against counts made here from the
INEI catalogue file and the stage events pushed, without the dashboard's code.
"""

import datetime as dt
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from fastapi import FastAPI

from helpers.records import operation, sealed
from helpers.server_db import ServerDb
from sync.protocol import Outcome
from sync.server.access import Caller
from sync.server.local import LocalServer

# (territory, stages in the order they happened): the current stage is the last.
HISTORY = {
    "08": ("creada", "instalada", "en_funcionamiento"),  # Gobierno Regional del Cusco
    "0801": ("creada",),  # Municipalidad Provincial del Cusco
    "080108": ("creada", "instalada"),  # Wanchaq
    "080104": ("creada", "instalada", "inactiva"),  # San Jerónimo
    "150102": ("creada",),  # Ancón (Lima)
    "1501": ("creada", "instalada", "en_funcionamiento"),  # Lima Metropolitana (province)
}
USERS = {"sede": ("sede", ()), "sara": ("supervisor", ()), "ana": ("especialista", ("08",))}


@dataclass(frozen=True)
class Seeded:
    """What the seed put on the server: current stages by territory."""

    stages: dict[str, str]


def seed(server_db: ServerDb) -> Seeded:
    """Users, and the stage history of a few instancias of Cusco and Lima."""
    callers = {
        name: server_db.add_user(name, role, territories)
        for name, (role, territories) in USERS.items()
    }
    sara = callers["sara"]
    for scope, stages in HISTORY.items():
        server_db.instancia(sara, scope)
        for day, stage in enumerate(stages, start=1):
            event = operation(
                "stage_event", scope=scope,
                fields={"stage": stage, "event_date": f"2025-0{day}-15"},
            )  # fmt: skip
            (receipt,) = server_db.push(sara, event)
            assert receipt.outcome is Outcome.APPLIED, (scope, receipt)
    return Seeded({scope: stages[-1] for scope, stages in HISTORY.items()})


def expected_country(stages: dict[str, str], catalogue_path: str) -> dict[str, Counter[str]]:
    """Per department: how many instancias at each stage, counted straight from the catalogue.

    A department has its regional government (Lima also the Metropolitan Municipality in its
    regional role), one per province, and one per district that is not a province's capital
    (code ending in 01), all «no creada» unless seeded.
    """
    entries = json.loads(Path(catalogue_path).read_text(encoding="utf-8"))["entries"]
    codes = [e["code"] for e in entries if e.get("vigente", True)]
    found: dict[str, Counter[str]] = {}
    for code in codes:
        if len(code) == 6 and code.endswith("01"):
            continue
        found.setdefault(code[:2], Counter())[stages.get(code, "no_creada")] += 1
    found["15"]["no_creada"] += 1  # the Metropolitan Municipality in its regional role
    return found


@dataclass(frozen=True)
class Panel:
    """The live server, its database and what was seeded."""

    url: str
    server_db: ServerDb
    seeded: Seeded


class Browser(requests.Session):
    """A browser over plain http to 127.0.0.1: it sends back the server's Secure cookies.

    The dashboard marks its cookies Secure (production runs behind HTTPS); tests speak http to
    a local port, where a real browser treats the loopback as secure too.
    """

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """Any request, then the cookies it set made sendable over http."""
        answer = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return answer


def csrf_of(html: str) -> str:
    """The CSRF token a page's form carries."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def submit_signin(base: str, browser: requests.Session, username: str, password: str,
                  token: str | None = None) -> requests.Response:  # fmt: skip
    """The sign-in form filled in and sent (``token``: what to send instead of the form's)."""
    form = browser.get(f"{base}/panel/ingresar", timeout=10).text
    sent = {"csrf": token or csrf_of(form), "usuario": username, "contrasena": password}
    return browser.post(f"{base}/panel/ingresar", data=sent, timeout=10, allow_redirects=False)


def sign_in(base: str, username: str, password: str) -> Browser:
    """A browser signed in to the dashboard at ``base``."""
    browser = Browser()
    answer = submit_signin(base, browser, username, password)
    assert answer.status_code == 303, answer.text
    return browser


@dataclass(frozen=True)
class FollowUpSeed:
    """What seed_follow_up put on the server, per department: its expected figures."""

    agreements: dict[str, tuple[int, int, int]]  # overdue, due soon, open
    actas: dict[str, tuple[int, int]]  # finalized, with a signed copy


def _acta(server_db: ServerDb, caller: Caller, scope: str, deadlines: list[dt.date],
          entity: str = "Municipalidad") -> list[uuid.UUID]:  # fmt: skip
    """A finalized acta of ``scope`` with one agreement per deadline; the agreements' ids."""
    visit = uuid.uuid4()
    agreements = [uuid.uuid4() for _ in deadlines]
    created = server_db.push(caller, operation("visit", visit, scope=scope), *(
        operation("agreement", agreement, scope=scope, parent=visit,
                  fields={"deadline": day.isoformat(), "number": n, "responsible_entity": entity})
        for n, (agreement, day) in enumerate(zip(agreements, deadlines, strict=True), start=1)
    ))  # fmt: skip
    assert all(r.outcome is Outcome.APPLIED for r in created), created
    (sealing,) = server_db.push(
        caller, operation("visit", visit, "update", base=1, scope=scope, fields=sealed({}))
    )
    assert sealing.outcome is Outcome.APPLIED, sealing
    return [visit, *agreements]


def seed_follow_up(server_db: ServerDb, today: dt.date) -> FollowUpSeed:
    """Agreements overdue, due soon, closed and rescheduled; actas signed and unsigned."""
    sara = server_db.add_user("sara", "supervisor")
    day = dt.timedelta(days=1)
    for scope in ("080108", "150102"):
        server_db.instancia(sara, scope)
    visit, _overdue, _soon, done, moved = _acta(
        server_db, sara, "080108", [today - 5 * day, today + 10 * day, today - 9 * day,
                                    today - 2 * day],
    )  # fmt: skip
    follow_ups = (
        (done, {"state": "cumplido"}),
        (moved, {"state": "reprogramado", "new_deadline": (today + 5 * day).isoformat()}),
        (moved, {"state": "en_proceso"}),  # later progress keeps the new deadline
    )
    for n, (agreement, given) in enumerate(follow_ups):
        recorded = {
            "agreement_id": str(agreement),
            "recorded_on": (today - day).isoformat(),
            "recorded_at": f"{(today - day).isoformat()}T1{n}:00:00+00:00",
            **given,
        }
        (receipt,) = server_db.push(sara, operation("agreement_follow_up", scope="080108",
                                                    fields=recorded))  # fmt: skip
        assert receipt.outcome is Outcome.APPLIED, receipt
    server_db.push(sara, operation("signed_copy", scope="080108", parent=visit))
    _acta(server_db, sara, "150102", [today - 1 * day], entity="Comisaría de Ancón")
    server_db.push(sara, operation("visit", scope="080104"))  # a draft: not counted
    return FollowUpSeed({"Cusco": (1, 2, 3), "Lima": (1, 0, 1)}, {"Cusco": (1, 1), "Lima": (1, 0)})


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, stopped afterwards."""
    server = LocalServer(app)
    base = server.start()
    try:
        yield base
    finally:
        server.stop()  # and its audit writer
