"""A central server with its dashboard, seeded with a small country, for the dashboard tests.

The seed is known: the figures a page shows are checked against counts made here from the
INEI catalogue file and the stage events pushed, without the dashboard's code.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from helpers.records import operation
from helpers.server_db import ServerDb
from sync.protocol import Outcome

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
