"""«Asistencia técnica» and the summary tables under it, over real HTTP on both databases.

Visits are pushed as laptops push them; the expected figures are counted here from what was
pushed and from the catalogue. The summary tables must follow every later change (a new visit,
a withdrawn one, a follow-up) and rebuild themselves when they cannot be trusted.
"""

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
from helpers.markup import table_rows
from helpers.panel import Panel, expected_country, seed_follow_up, serving, sign_in
from helpers.records import operation, sealed
from helpers.server_db import PASSWORD, server_database
from sqlalchemy import delete, update

from central.app import create_central_app
from central.summary_tables import state, visits
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.paths import resources_dir
from sync.protocol import Outcome
from sync.server.access import load_caller
from sync.server.throttle import LoginLimiter

CATALOGUE = str(resources_dir() / "catalogues" / "ubigeo_inei.json")


def today() -> dt.date:
    return peru_today(dt.datetime.now(dt.UTC))


def push_visit(panel: Panel, scope: str, day: dt.date, *, score: int | None = None,
               who: str = "sara") -> uuid.UUID:  # fmt: skip
    """A visit of ``scope`` on ``day``; finalized with that checklist score when given."""
    with panel.server_db.factory.begin() as session:
        caller = load_caller(session, who)
    visit = uuid.uuid4()
    given = {"visit_date": day.isoformat(), "at_type": "seguimiento"}
    (made,) = panel.server_db.push(caller, operation("visit", visit, scope=scope, fields=given))
    assert made.outcome is Outcome.APPLIED, made
    if score is not None:
        content = json.dumps({"acta_number": "X", "checklist": {"score": f"{score} / 100"}})
        (closed,) = panel.server_db.push(caller, operation(
            "visit", visit, "update", base=1, scope=scope, fields=sealed({}, content)))  # fmt: skip
        assert closed.outcome is Outcome.APPLIED, closed
    return visit


def rows_of(page: str, table_id: str) -> dict[str, list[str]]:
    return {row[0]: row for row in table_rows(page, table_id)[1:]}


def test_visits_without_a_visit_for_months_and_scores_with_their_trend(panel: Panel) -> None:
    now = today()
    push_visit(panel, "080108", now - dt.timedelta(days=200), score=40)  # Wanchaq
    push_visit(panel, "080108", now, score=55)
    push_visit(panel, "080108", now.replace(day=1))  # a draft: a visit, no score
    push_visit(panel, "080104", dt.date(2025, 1, 20), score=70)  # San Jerónimo, long ago
    push_visit(panel, "080104", dt.date(2024, 11, 5), score=90)
    push_visit(panel, "150102", now, score=10)  # Ancón, Lima
    sara = sign_in(panel.url, "sara", PASSWORD)
    expected = expected_country(panel.seeded.stages, CATALOGUE)

    page = sara.get(f"{panel.url}/panel/asistencia?meses=6", timeout=10).text
    unvisited = rows_of(page, "nunca")
    cusco_total = sum(expected["08"].values())
    assert unvisited["Cusco"][1:] == [str(cusco_total), str(cusco_total - 2), "1"]
    assert unvisited["Lima"][1:] == [str(sum(expected["15"].values())),
                                     str(sum(expected["15"].values()) - 1), "0"]  # fmt: skip
    scores = rows_of(page, "puntajes")
    # Cusco: Wanchaq's latest 55 (up 15 from 40), San Jerónimo's 70 (down 20 from 90).
    assert scores["Cusco"][1:] == ["2", "62,5", "1", "1", "0"]
    assert scores["Lima"][1:] == ["1", "10,0", "0", "0", "0"]
    by_author = rows_of(page, "especialistas")
    assert by_author["sara"][-1] == "4"  # the three visits of the last 12 months in Cusco + Ancón
    assert 'id="instancias"' not in page  # each instancia: for one department at a time

    # One department: each instancia, the longest without a visit first (never: first of all).
    page = sara.get(f"{panel.url}/panel/asistencia?departamento=08&meses=12", timeout=10).text
    assert set(rows_of(page, "meses")) == {"Cusco"}  # every table narrows to it
    listed = table_rows(page, "instancias")[1:]
    assert {row[3] for row in listed[: cusco_total - 2]} == {"Nunca"}
    jeronimo, wanchaq = listed[cusco_total - 2], listed[cusco_total - 1]
    assert (jeronimo[2], jeronimo[5:]) == ("080104", ["70", "90", "▼ −20"])
    assert (wanchaq[2], wanchaq[3], wanchaq[4]) == ("080108", now.strftime("%d/%m/%Y"), "0")
    assert wanchaq[5:] == ["55", "40", "▲ +15"]
    assert rows_of(page, "nunca")["Cusco"][3] == "1"  # San Jerónimo: 12 months and more
    exported = sara.get(f"{panel.url}/panel/asistencia/instancias.csv?departamento=08&meses=12",
                        timeout=10)  # fmt: skip
    assert exported.status_code == 200 and "▲ +15" in exported.content.decode("utf-8-sig")


def test_a_specialist_cannot_ask_for_another_department_and_bad_months_fall_back(
    panel: Panel,
) -> None:
    ana = sign_in(panel.url, "ana", PASSWORD)  # Cusco only
    for path in ("/panel/asistencia?departamento=15", "/panel/asistencia/instancias.csv"
                 "?departamento=15", "/panel/asistencia?departamento=x"):  # fmt: skip
        assert ana.get(f"{panel.url}{path}", timeout=10).status_code == 404, path
    for months in ("0", "abc", "999"):
        page = ana.get(f"{panel.url}/panel/asistencia?meses={months}", timeout=10).text
        assert "Sin visita en 6 meses o más" in page and 'value="6"' in page
    assert [row[0] for row in table_rows(page, "meses")[1:]] == ["Cusco"]


def test_the_summaries_follow_every_later_change(panel: Panel) -> None:
    sara = sign_in(panel.url, "sara", PASSWORD)
    now = today()
    first = push_visit(panel, "080108", now)
    assert rows_of(sara.get(f"{panel.url}/panel/asistencia", timeout=10).text,
                   "meses")["Cusco"][-1] == "1"  # fmt: skip
    push_visit(panel, "080108", now)
    with panel.server_db.factory.begin() as session:
        caller = load_caller(session, "sara")
    (gone,) = panel.server_db.push(caller, operation("visit", first, "delete", base=1,
                                                     scope="080108"))  # fmt: skip
    assert gone.outcome is Outcome.APPLIED, gone
    push_visit(panel, "150102", now)
    page = sara.get(f"{panel.url}/panel/asistencia", timeout=10).text
    assert rows_of(page, "meses")["Cusco"][-1] == "1" and rows_of(page, "meses")["Lima"][-1] == "1"

    # Tables ahead of the records (a database restored from an older copy): rebuilt, not trusted.
    with panel.server_db.factory.begin() as session:
        session.execute(delete(visits))  # what they hold no longer matches the records
        session.execute(update(state).values(last_seq=10**9))
    page = sara.get(f"{panel.url}/panel/asistencia", timeout=10).text
    assert rows_of(page, "meses")["Cusco"][-1] == "1"
    # Another layout of the tables (an older dashboard): rebuilt as well.
    with panel.server_db.factory.begin() as session:
        session.execute(delete(visits))
        session.execute(update(state).values(schema=0))
    page = sara.get(f"{panel.url}/panel/asistencia", timeout=10).text
    assert rows_of(page, "meses")["Lima"][-1] == "1"


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_follow_up_figures_move_with_a_follow_up_pushed_after_the_first_page(
    tmp_path: Path, dialect: str
) -> None:
    for server_db in server_database(dialect, tmp_path):
        seeded = seed_follow_up(server_db, today())
        with serving(create_central_app(server_db.factory, limiter=LoginLimiter())) as base:
            sara = sign_in(base, "sara", PASSWORD)
            page = sara.get(f"{base}/panel/seguimiento", timeout=10).text
            assert (
                tuple(int(v) for v in rows_of(page, "acuerdos")["Lima"][1:])
                == (seeded.agreements["Lima"])
            )
            # Lima's overdue agreement is fulfilled later: the page counts it no more.
            with server_db.factory.begin() as session:
                caller = load_caller(session, "sara")
            (lima,) = [r for r in server_db.pull(caller, kinds=("agreement",)).records
                       if r.scope == "150102"]  # fmt: skip
            fulfilled = {"agreement_id": str(lima.record_id), "recorded_on": today().isoformat(),
                         "recorded_at": f"{today().isoformat()}T15:00:00+00:00",
                         "state": "cumplido"}  # fmt: skip
            (done,) = server_db.push(caller, operation("agreement_follow_up", scope="150102",
                                                       fields=fulfilled))  # fmt: skip
            assert done.outcome is Outcome.APPLIED, done
            page = sara.get(f"{base}/panel/seguimiento", timeout=10).text
            assert "Lima" not in rows_of(page, "acuerdos")
            assert rows_of(page, "acuerdos")["Cusco"][1:] == ["1", "2", "3"]


def test_follow_up_counts_the_sessions_and_instruments_the_instancias_recorded(
    panel: Panel,
) -> None:
    now = today()
    days = dt.timedelta(days=1)
    with panel.server_db.factory.begin() as session:
        caller = load_caller(session, "sara")
    records = (
        ("080108", "instancia_session", {"held_on": (now - 20 * days).isoformat()}),
        ("080108", "instancia_session", {"held_on": (now - 40 * days).isoformat()}),
        ("080104", "instancia_session", {"held_on": (now - 300 * days).isoformat()}),
        ("080104", "instancia_session", {"held_on": (now + 30 * days).isoformat()}),  # planned
        ("080108", "instrument", {"instrument_type": "reglamento_interno",
                                  "approved_on": (now - 90 * days).isoformat()}),
        ("080104", "instrument", {"instrument_type": "reglamento_interno"}),  # not approved
        ("080108", "instrument", {"instrument_type": "plan_trabajo",
                                  "approved_on": (now - 60 * days).isoformat(),
                                  "period_start": (now - 60 * days).isoformat(),
                                  "period_end": (now + 300 * days).isoformat()}),
        ("080104", "instrument", {"instrument_type": "plan_accion",  # its period ended
                                  "approved_on": "2023-01-10", "period_end": "2023-12-31"}),
        ("150102", "instrument", {"instrument_type": "informe", "recipient": "MIMP",
                                  "sent_on": (now - 100 * days).isoformat()}),
        ("080104", "instrument", {"instrument_type": "informe", "recipient": "MIMP",
                                  "sent_on": (now - 400 * days).isoformat()}),  # too long ago
    )  # fmt: skip
    for scope, kind, given in records:
        (made,) = panel.server_db.push(caller, operation(kind, scope=scope, fields=given))
        assert made.outcome is Outcome.APPLIED, (kind, made)
    page = sign_in(panel.url, "sara", PASSWORD).get(f"{panel.url}/panel/seguimiento",
                                                    timeout=10).text  # fmt: skip
    found = rows_of(page, "registros")
    expected = expected_country(panel.seeded.stages, CATALOGUE)
    # Cusco: Wanchaq met in the window (twice), San Jerónimo 300 days ago; 3 sessions held in
    # the year; Wanchaq alone has an approved reglamento and a plan in force; no recent report.
    assert found["Cusco"][1:] == [str(sum(expected["08"].values())), "1", "3", "1", "1", "0"]
    assert found["Lima"][1:] == [str(sum(expected["15"].values())), "0", "0", "0", "0", "1"]
    assert found["Amazonas"][2:] == ["0", "0", "0", "0", "0"]
    exported = sign_in(panel.url, "sara", PASSWORD).get(
        f"{panel.url}/panel/seguimiento/registros.csv", timeout=10
    )
    assert "Con reglamento interno aprobado" in exported.content.decode("utf-8-sig")
