"""The dashboard at national scale: server time per page, median and worst (budget 300 ms).

Seeds a server database (SQLite in a temporary folder, or ``--database-url`` for a scratch
PostgreSQL) with every instancia of the catalogue and a stage history for most, 20,000 visits
as large as real ones (texts, and a sealed acta of about 10 kB with its score for the three in
four finalized; a third of those with a signed copy), by 60 specialists, 40,000 agreements
with 10,000 follow-ups, 5,000 sessions and 3,000 instruments of the instancias, and 300
devices with their sync trail and a refused operation each; then times each page through
the real HTTP server on 127.0.0.1, signed in as headquarters: 1 warm-up and 15 timed requests
each. The warm-up is reported apart (``first_ms``): the first «Seguimiento» builds the
dashboard's summary tables from every record (``central.summaries``). The last line is one
JSON object with each page's median and worst and whether all are within budget.
"""

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests
from sqlalchemy import delete

from central import summary_tables
from central.app import create_central_app
from central.catalogue import country
from sync.server import auth
from sync.server.audit import Action
from sync.server.bulk import insert_rows
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.local import LocalServer
from sync.server.store import AuditEntry, Device, Quarantine, Record, User, WebSession
from sync.server.throttle import LoginLimiter

BUDGET_MS = 300.0
RUNS = 15
VISITS, AGREEMENTS, FOLLOW_UPS, DEVICES = 20_000, 40_000, 10_000, 300
SESSIONS, INSTRUMENTS = 5_000, 3_000
STAGES = ("creada", "instalada", "en_funcionamiento", "inactiva", "reactivada")
AT_TYPES = ("creacion", "instalacion", "funcionamiento", "seguimiento", "reactivacion")
SPECIALISTS = 60
# What a specialist writes in «Desarrollo de la reunión»: a real acta's few paragraphs.
LONG = (
    "Se revisó el avance del plan de trabajo con la Secretaría Técnica y los integrantes "
    "presentes; se acordó convocar a sesión ordinaria y remitir el informe al MIMP. "
) * 12
PASSWORD = "clave-de-medicion-2026"
T0 = dt.datetime(2026, 1, 5, 15, tzinfo=dt.UTC)


def _record(kind: str, seq: int, scope: str, fields: dict[str, Any],
            parent: uuid.UUID | None = None, owner: str = "bench") -> dict[str, Any]:  # fmt: skip
    return {
        "kind": kind, "record_id": uuid.uuid4(), "version": 1, "fields": fields,
        "deleted": False, "scope": scope, "parent_id": parent, "owner": owner,
        "updated_by": owner, "seq": seq, "updated_at": T0, "device_id": None,
    }  # fmt: skip


def _acta(rng: random.Random, number: str) -> str:
    """A sealed acta's content as large as a real one (about 10 kB): its checklist, its score."""
    lines = [{"section": "Funcionamiento", "number": n, "text": "¿La instancia aprobó su "
              "reglamento interno mediante la norma correspondiente? " * 2, "answer": "Sí",
              "evidence": "Ordenanza Municipal N° 012-2025-MDW", "note": ""}
             for n in range(1, 25)]  # fmt: skip
    return json.dumps({
        "acta_number": number, "development": LONG,
        "checklist": {"title": "Ficha de funcionamiento", "form": "funcionamiento_idc v2",
                      "lines": lines, "score": f"{rng.randint(0, 100)} / 100",
                      "band": "referencial", "suggested_stage": "Instalada",
                      "answered": "14 de 14"},
    }, ensure_ascii=False)  # fmt: skip


def seed(sessions: Any, rng: random.Random) -> None:
    """The country's records, written in bulk (as pushes would leave them)."""
    places = country().instancias
    rows: list[dict[str, Any]] = []
    seq = iter(range(1, 10_000_000))
    for item in places:
        for n in range(rng.randint(0, 3)):
            rows.append(_record("stage_event", next(seq), item.ubigeo, {
                "instancia_id": item.record_id, "stage": rng.choice(STAGES),
                "event_date": f"202{3 + n}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            }))  # fmt: skip
    visits = []
    for _ in range(VISITS):
        item = rng.choice(places)
        number = f"N° {uuid.uuid4().hex[:10]}"
        finalized = rng.random() < 0.75
        visit = _record("visit", next(seq), item.ubigeo, {
            "instancia_id": item.record_id, "acta_number": number,
            "visit_date": f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "at_type": rng.choice(AT_TYPES), "objective": LONG[:400], "development": LONG,
            "status": "finalizada" if finalized else "borrador",
            "acta_content": _acta(rng, number) if finalized else "",
        }, owner=f"especialista{rng.randint(1, SPECIALISTS)}")  # fmt: skip
        visits.append(visit)
        if visit["fields"]["status"] == "finalizada" and rng.random() < 0.33:
            rows.append(_record("signed_copy", next(seq), item.ubigeo, {"visit_id": ""},
                                visit["record_id"]))  # fmt: skip
    rows.extend(visits)
    agreements = []
    for n in range(AGREEMENTS):
        visit = rng.choice(visits)
        agreements.append(_record("agreement", next(seq), visit["scope"], {
            "visit_id": str(visit["record_id"]), "number": n % 9 + 1,
            "description": "Aprobar el plan de trabajo",
            "responsible_entity": rng.choice(("Municipalidad", "Gobernación", "CEM", "PNP")),
            "deadline": (dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 500))).isoformat(),
        }, visit["record_id"]))  # fmt: skip
    rows.extend(agreements)
    for n in range(FOLLOW_UPS):
        agreement = rng.choice(agreements)
        rows.append(_record("agreement_follow_up", next(seq), agreement["scope"], {
            "agreement_id": str(agreement["record_id"]), "recorded_on": "2026-06-01",
            "recorded_at": f"2026-06-01T1{n % 10}:00:00+00:00",
            "state": rng.choice(("en_proceso", "cumplido", "reprogramado")),
            "new_deadline": "2027-03-01" if n % 3 == 0 else None}))  # fmt: skip
    for _ in range(SESSIONS):  # the instancias' own records: sessions, then instruments
        item = rng.choice(places)
        rows.append(_record("instancia_session", next(seq), item.ubigeo, {
            "instancia_id": item.record_id, "session_type": "ordinaria", "quorum": True,
            "held_on": (dt.date(2025, 6, 1) + dt.timedelta(days=rng.randint(0, 540))).isoformat(),
            "agenda": LONG[:300], "agreements": LONG[:300]}))  # fmt: skip
    for n in range(INSTRUMENTS):
        item = rng.choice(places)
        kind = ("reglamento_interno", "plan_trabajo", "plan_accion", "informe")[n % 4]
        rows.append(_record("instrument", next(seq), item.ubigeo, {
            "instancia_id": item.record_id, "instrument_type": kind, "title": "Instrumento",
            "approved_on": "2025-10-01", "period_start": "2026-01-01", "period_end": "2026-12-31",
            "sent_on": "2026-07-15" if kind == "informe" else None}))  # fmt: skip
    with sessions.begin() as session:  # first in its transaction: it takes the write lock
        auth.create_user(session, "sede", "sede", PASSWORD, T0)
        auth.create_user(session, "bench", "especialista", PASSWORD, T0)
    with sessions.begin() as session:
        for start in range(0, len(rows), 5000):
            insert_rows(session, Record.__table__, rows[start : start + 5000])
        devices = [{"id": uuid.uuid4(), "username": "bench", "name": f"equipo-{n}",
                    "token_hash": uuid.uuid4().hex * 2, "created_at": T0, "revoked_at": None,
                    "revoked_reason": None, "last_used_at": T0}
                   for n in range(DEVICES)]  # fmt: skip
        insert_rows(session, Device.__table__, devices)
        trail = [{"at": T0 + dt.timedelta(minutes=n), "actor": "bench",
                  "action": Action.PUSH.value if n % 2 else Action.PULL.value,
                  "kind": None, "record_id": None, "detail": "{}",
                  "device_id": devices[n % DEVICES]["id"], "address": "127.0.0.1"}
                 for n in range(30 * DEVICES)]  # fmt: skip
        insert_rows(session, AuditEntry.__table__, trail)
        refused = [{"op_id": uuid.uuid4(), "username": "bench", "device_id": devices[n]["id"],
                    "operation": {"kind": "visit", "action": "update"}, "received_at": T0,
                    "reason": "El acta ya está finalizada: no admite cambios."}
                   for n in range(DEVICES)]  # fmt: skip
        insert_rows(session, Quarantine.__table__, refused)


def signed_in(base: str) -> requests.Session:
    """Headquarters signed in; the Secure cookies kept sendable over http to 127.0.0.1."""
    browser = requests.Session()
    form = browser.get(f"{base}/panel/ingresar", timeout=10).text
    token = form.split('name="csrf" value="')[1].split('"')[0]
    for cookie in browser.cookies:
        cookie.secure = False
    browser.post(f"{base}/panel/ingresar", timeout=30,
                 data={"csrf": token, "usuario": "sede", "contrasena": PASSWORD})  # fmt: skip
    for cookie in browser.cookies:
        cookie.secure = False
    return browser


def timed(browser: requests.Session, url: str) -> float:
    """Milliseconds for one request answered 200."""
    started = time.perf_counter()
    answer = browser.get(url, timeout=60)
    elapsed = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, (url, answer.status_code)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'panel.sqlite3'}"
    engine = create_server_engine(url)
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:  # a scratch database may hold an earlier run
        for table in (AuditEntry, WebSession, Device, Quarantine, Record):
            session.execute(delete(table))
        session.execute(delete(User).where(User.username.in_(("sede", "bench"))))
        summary_tables.metadata.drop_all(session.connection())  # the dashboard's, derived
    started = time.perf_counter()
    seed(sessions, random.Random(2026))
    print(f"seeded in {time.perf_counter() - started:.1f} s ({engine.dialect.name})", flush=True)
    server = LocalServer(create_central_app(sessions, limiter=LoginLimiter()))
    base = server.start()
    try:
        browser = signed_in(base)
        pages = {
            "pais": "/panel/", "departamento": "/panel/departamento/15",
            "provincia": "/panel/provincia/1501", "seguimiento": "/panel/seguimiento",
            "equipos": "/panel/equipos", "asistencia": "/panel/asistencia",
            "instancia": f"/panel/instancia/{country().instancias[0].record_id}",
            "pais_xlsx": "/panel/pais.xlsx",
        }  # fmt: skip
        figures = {}
        for name, path in pages.items():
            first = timed(browser, f"{base}{path}")  # warm-up
            times = [timed(browser, f"{base}{path}") for _ in range(RUNS)]
            figures[name] = {"median_ms": round(statistics.median(times), 1),
                             "worst_ms": round(max(times), 1),
                             "first_ms": round(first)}  # fmt: skip
            print(
                f"{name:14} median {figures[name]['median_ms']:7.1f} ms  "
                f"worst {figures[name]['worst_ms']:7.1f} ms  first {first:7.0f} ms",
                flush=True,
            )
    finally:
        server.stop()
        engine.dispose()
    within = all(f["worst_ms"] < BUDGET_MS for f in figures.values())
    print(json.dumps({"bench": "panel", "database": engine.dialect.name, "pages": figures,
                      "budget_ms": BUDGET_MS, "within_budget": within}))  # fmt: skip


if __name__ == "__main__":
    main()
