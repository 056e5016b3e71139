"""The dashboard over real HTTP: signing in and out, the country's figures, territories, exports."""

import csv
import dataclasses
import datetime as dt
import io
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
from helpers.markup import table_rows
from helpers.panel import (
    Browser,
    Panel,
    csrf_of,
    expected_country,
    seed_follow_up,
    serving,
    sign_in,
    submit_signin,
)
from helpers.records import instancia_of, operation
from helpers.server_db import PASSWORD, server_database, writing

from central.app import create_central_app
from central.assistance_data import SHORT
from central.figures import current_stages
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import Stage
from instancias_desktop.paths import resources_dir
from sync.protocol import Outcome
from sync.server import auth
from sync.server.access import load_caller
from sync.server.audit import Action, entry
from sync.server.db import session_factory
from sync.server.store import Upload

CATALOGUE = str(resources_dir() / "catalogues" / "ubigeo_inei.json")
STAGE_COLUMNS = ("no_creada", "creada", "instalada", "en_funcionamiento", "inactiva", "reactivada")


def attempt(panel: Panel, browser: requests.Session, username: str, password: str,
            token: str | None = None) -> requests.Response:  # fmt: skip
    """The sign-in form filled in and sent (``token``: what to send instead of the form's)."""
    return submit_signin(panel.url, browser, username, password, token)


def signed_in(panel: Panel, username: str) -> requests.Session:
    """A browser-like session after the sign-in form."""
    return sign_in(panel.url, username, PASSWORD)


def test_sign_in_sets_a_strict_session_cookie_and_sign_out_ends_it(panel: Panel) -> None:
    anonymous = requests.get(f"{panel.url}/panel/", timeout=10, allow_redirects=False)
    assert anonymous.headers["location"] == "/panel/ingresar"
    forged = attempt(panel, Browser(), "sede", PASSWORD, token="otro")
    assert forged.status_code == 401 and "El formulario venció" in forged.text
    wrong = attempt(panel, Browser(), "sede", "no-es")
    assert wrong.status_code == 401 and "Usuario o contraseña incorrectos." in wrong.text

    browser = Browser()
    answer = attempt(panel, browser, "sede", PASSWORD)
    header = next(
        h.lower() for h in answer.raw.headers.getlist("Set-Cookie") if h.startswith("panel_sesion=")
    )
    assert {"httponly", "secure", "samesite=strict", "path=/panel"} <= {
        part.strip() for part in header.split(";")
    }

    page = browser.get(f"{panel.url}/panel/", timeout=10)
    assert page.status_code == 200 and "sede (Sede)" in page.text
    # «Salir» without the session's CSRF token is refused; with it, the cookie is dead.
    refused = browser.post(f"{panel.url}/panel/salir", data={"csrf": "x"}, timeout=10)
    assert refused.status_code == 403
    assert browser.get(f"{panel.url}/panel/", timeout=10).url.endswith("/panel/")
    kept = dict(browser.cookies)
    left = browser.post(f"{panel.url}/panel/salir", data={"csrf": csrf_of(page.text)}, timeout=10)
    assert left.status_code == 200 and left.url.endswith("/panel/ingresar")
    replay = requests.get(f"{panel.url}/panel/", cookies=kept, timeout=10, allow_redirects=False)
    assert replay.status_code == 303  # the old cookie opens nothing


def test_the_country_page_shows_the_figures_the_records_and_the_catalogue_give(
    panel: Panel,
) -> None:
    page = signed_in(panel, "sara").get(f"{panel.url}/panel/", timeout=10).text
    rows = table_rows(page, "pais")
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[:7] == ["Departamento", "No creada", "Creada", "Instalada",
                          "En funcionamiento", "Inactiva", "Reactivada"]  # fmt: skip
    expected = expected_country(panel.seeded.stages, CATALOGUE)
    shown = {row[0]: [int(v) for v in row[1:8]] for row in body}
    names = {"08": "Cusco", "15": "Lima", "01": "Amazonas"}
    for code, name in names.items():
        counts = expected[code]
        assert shown[name] == [*(counts[s] for s in STAGE_COLUMNS), sum(counts.values())], name
    assert len(body) == len(expected) == 25
    assert [row[0] for row in body[:3]] == ["Amazonas", "Áncash", "Apurímac"]  # as Spanish sorts
    assert int(total[7]) == sum(sum(c.values()) for c in expected.values()) == 1917


def test_a_specialist_sees_her_territory_only_even_by_url(panel: Panel) -> None:
    ana = signed_in(panel, "ana")
    rows = table_rows(ana.get(f"{panel.url}/panel/", timeout=10).text, "pais")
    assert [row[0] for row in rows[1:-1]] == ["Cusco"]
    assert ana.get(f"{panel.url}/panel/departamento/08", timeout=10).status_code == 200
    for path in ("/panel/departamento/15", "/panel/departamento/15.csv", "/panel/departamento/99"):
        answer = ana.get(f"{panel.url}{path}", timeout=10)
        assert answer.status_code == 404, path
        assert "no está en sus territorios" in answer.text


def test_a_department_by_province_and_its_exports(panel: Panel) -> None:
    sara = signed_in(panel, "sara")
    rows = table_rows(sara.get(f"{panel.url}/panel/departamento/08", timeout=10).text,
                      "departamento")  # fmt: skip
    cusco = next(row for row in rows if row[0] == "Cusco")
    # The province: its municipality «creada», Wanchaq «instalada», San Jerónimo «inactiva»;
    # the regional government counts for the department only.
    assert cusco[1:4] == [str(int(cusco[7]) - 3), "1", "1"] and cusco[5] == "1"
    exported = sara.get(f"{panel.url}/panel/departamento/08.csv", timeout=10)
    assert exported.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert table[0][:2] == ["Provincia", "No creada"]
    assert any(row[0] == "Cusco" and row[2] == "1" for row in table[1:])
    xlsx = sara.get(f"{panel.url}/panel/pais.xlsx", timeout=10)
    assert xlsx.content[:2] == b"PK" and "spreadsheetml" in xlsx.headers["content-type"]


def test_a_headquarters_account_cannot_sign_a_laptop_in(panel: Panel) -> None:
    answer = requests.post(
        f"{panel.url}/v1/login",
        json={"username": "sede", "password": PASSWORD, "device_name": "laptop"}, timeout=10,
    )  # fmt: skip
    assert answer.status_code == 403
    assert answer.json()["error"] == "cuenta_de_sede"


def test_the_current_stage_is_the_latest_hito_then_the_servers_order(panel: Panel) -> None:
    server_db = panel.server_db
    with server_db.factory.begin() as session:
        sara = load_caller(session, "sara")
    scope = "080105"  # an instancia the seed left without history
    server_db.instancia(sara, scope)
    for stage in ("creada", "instalada"):  # the same day: the one the server got last wins
        same_day = {"stage": stage, "event_date": "2025-05-05"}
        server_db.push(sara, operation("stage_event", scope=scope, fields=same_day))
    earlier = operation("stage_event", scope=scope,
                        fields={"stage": "inactiva", "event_date": "2025-01-01"})  # fmt: skip
    server_db.push(sara, earlier)  # sent later, but dated before: not the current one
    with server_db.factory.begin() as session:
        stages = current_stages(session)
    assert stages[str(instancia_of(scope))] is Stage.INSTALLED
    assert stages[str(instancia_of("080104"))] is Stage.INACTIVE  # from the seed


def test_a_province_lists_its_instancias_with_their_stage(panel: Panel) -> None:
    ana = signed_in(panel, "ana")
    page = ana.get(f"{panel.url}/panel/provincia/0801", timeout=10).text
    stages = {row[0]: row[4] for row in table_rows(page, "provincia")[1:]}
    assert stages["Instancia Distrital de Concertación de Wanchaq"] == "Instalada"
    assert stages["Instancia Distrital de Concertación de San Jerónimo"] == "Inactiva"
    assert stages["Instancia Provincial de Concertación de Cusco"] == "Creada"
    assert stages["Instancia Distrital de Concertación de Poroy"] == "No creada"
    assert ana.get(f"{panel.url}/panel/provincia/1501", timeout=10).status_code == 404
    assert ana.get(f"{panel.url}/panel/provincia/1501.csv", timeout=10).status_code == 404
    exported = ana.get(f"{panel.url}/panel/provincia/0801.csv", timeout=10)
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["Instancia", "Nivel", "Territorio", "Ubigeo", "Estado"]
    assert ["Instancia Distrital de Concertación de Wanchaq", "Distrital", "Wanchaq", "080108",
            "Instalada"] in rows  # fmt: skip
    empty = ana.get(f"{panel.url}/panel/instancia/{instancia_of('080105')}", timeout=10).text
    assert "Sin registros." in empty  # never visited: its tables say so


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_follow_up_counts_open_agreements_as_the_laptops_do_and_unsigned_actas(
    tmp_path: Path, dialect: str
) -> None:
    today = peru_today(dt.datetime.now(dt.UTC))
    for server_db in server_database(dialect, tmp_path):
        expected = seed_follow_up(server_db, today)
        with serving(create_central_app(session_factory(server_db.engine))) as base:
            sara = sign_in(base, "sara", PASSWORD)
            page = sara.get(f"{base}/panel/seguimiento", timeout=10).text
            wanchaq = sara.get(f"{base}/panel/instancia/{instancia_of('080108')}", timeout=10)
        # The instancia's own list agrees: latest follow-up's state, rescheduled deadline.
        standing = sorted((row[2], row[3]) for row in table_rows(wanchaq.text, "acuerdos")[1:])
        day = dt.timedelta(days=1)
        assert standing == sorted([
            ((today - 5 * day).strftime("%d/%m/%Y"), "Vencido"),
            ((today + 10 * day).strftime("%d/%m/%Y"), "Pendiente"),
            ((today - 9 * day).strftime("%d/%m/%Y"), "Cumplido"),
            ((today + 5 * day).strftime("%d/%m/%Y"), "En proceso"),
        ])  # fmt: skip
        agreements = {r[0]: tuple(map(int, r[1:4])) for r in table_rows(page, "acuerdos")[1:]}
        assert agreements == expected.agreements
        entities = table_rows(page, "entidades")[1:]
        assert entities[0][0] == "Cusco · Municipalidad"  # the most overdue first
        assert ["Lima · Comisaría de Ancón", "1", "0", "1"] in entities
        actas = {r[0]: (int(r[1]), int(r[2])) for r in table_rows(page, "actas")[1:]}
        assert actas == expected.actas


class Markup(HTMLParser):
    """What accessibility tools read: ids, tables' captions, headers' scopes, the language."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tables = self.captions = 0
        self.unscoped_headers = 0
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if given.get("id"):
            self.ids.append(str(given["id"]))
        self.tables += tag == "table"
        self.captions += tag == "caption"
        self.unscoped_headers += tag == "th" and "scope" not in given
        if tag == "html":
            self.lang = str(given.get("lang"))


@pytest.mark.parametrize("panel", ["sqlite"], indirect=True)
def test_every_page_is_readable_markup(panel: Panel) -> None:
    sara = signed_in(panel, "sara")
    for path in ("/panel/", "/panel/departamento/08", "/panel/provincia/0801",
                 f"/panel/instancia/{instancia_of('080108')}", "/panel/seguimiento",
                 "/panel/equipos", "/panel/asistencia"):  # fmt: skip
        markup = Markup()
        markup.feed(sara.get(f"{panel.url}{path}", timeout=10).text)
        assert markup.lang == "es-PE", path
        assert len(markup.ids) == len(set(markup.ids)), (path, markup.ids)
        assert markup.tables and markup.tables == markup.captions, path
        assert markup.unscoped_headers == 0, path
        assert "contenido" in markup.ids  # the skip link's target


def test_devices_show_their_last_sync_and_withdrawal_to_whom_may_see_them(panel: Panel) -> None:
    now = dt.datetime.now(dt.UTC)
    with writing(panel.server_db.factory) as session:
        kept = auth.open_device(session, "ana", "ana-laptop", now)
        withdrawn = auth.open_device(session, "ana", "ana-vieja", now)
        auth.revoke_device(session, withdrawn.device_id, now)
        synced = dt.datetime(2026, 3, 10, 14, 30, tzinfo=dt.UTC)  # 09:30 in Peru
        session.add(entry(synced, Action.PUSH, "ana", device_id=kept.device_id))
        session.add(entry(synced - dt.timedelta(days=1), Action.PULL, "ana",
                          device_id=kept.device_id))  # fmt: skip
    for who, expected in (("sara", 2), ("ana", 2), ("sede", 2)):
        rows = table_rows(signed_in(panel, who).get(f"{panel.url}/panel/equipos",
                                                    timeout=10).text, "equipos")[1:]  # fmt: skip
        assert len(rows) == expected, who
    rows = {r[1]: r for r in table_rows(signed_in(panel, "sara").get(
        f"{panel.url}/panel/equipos", timeout=10).text, "equipos")[1:]}  # fmt: skip
    assert rows["ana-laptop"][3:] == ["10/03/2026 09:30", "—", "0", "0", "0", "Activo"]
    assert rows["ana-vieja"][3:] == ["—", "—", "0", "0", "0", "Dado de baja"]


def test_devices_show_what_waits_on_the_server_and_what_it_refused(panel: Panel) -> None:
    now = dt.datetime.now(dt.UTC)
    with writing(panel.server_db.factory) as session:
        laptop = auth.open_device(session, "ana", "ana-laptop", now).device_id
        tablet = auth.open_device(session, "ana", "ana-tablet", now).device_id
        session.add(Upload(id=uuid.uuid4(), sha256="a" * 64, device_id=tablet, username="ana",
                           size=10, chunk_size=5, started_at=now, touched_at=now))  # fmt: skip
        ana = load_caller(session, "ana")
    from_laptop = dataclasses.replace(ana, device_id=laptop)
    from_tablet = dataclasses.replace(ana, device_id=tablet)
    member = uuid.uuid4()
    (made,) = panel.server_db.push(from_laptop, operation("member", member, scope="080108"))
    assert made.outcome is Outcome.APPLIED, made
    for who, name in ((from_laptop, "Comisaría de Wanchaq"), (from_tablet, "Comisaría Wanchaq")):
        panel.server_db.push(who, operation("member", member, "update", base=1, scope="080108",
                                            fields={"entity_name": name}))  # fmt: skip
    (refused,) = panel.server_db.push(from_laptop, operation("member", scope="150101"))  # Lima
    with writing(panel.server_db.factory) as session:  # its last push said 7 were left
        auth.note_outbox_waiting(session, laptop, 7, now)
    assert refused.outcome is Outcome.REJECTED, refused

    for who in ("ana", "sede"):
        page = signed_in(panel, who).get(f"{panel.url}/panel/equipos", timeout=10).text
        rows = {r[1]: r for r in table_rows(page, "equipos")[1:]}
        # The tablet's name for the seat was set aside: ana decides; its file is half sent.
        assert rows["ana-tablet"][4:8] == ["—", "1", "1", "0"], who
        assert rows["ana-laptop"][4:8] == ["7", "0", "0", "1"], who
        (line,) = table_rows(page, "rechazadas")[1:]
        assert line[1:4] == ["ana", "ana-laptop", "Integrante"]
        assert line[4] == refused.reason
    sara_sees = table_rows(signed_in(panel, "sara").get(f"{panel.url}/panel/equipos",
                                                        timeout=10).text, "rechazadas")  # fmt: skip
    assert len(sara_sees) == 2
    exported = signed_in(panel, "sede").get(f"{panel.url}/panel/equipos/rechazadas.csv",
                                            timeout=10).content.decode("utf-8-sig")  # fmt: skip
    assert refused.reason.splitlines()[0] in exported and "ana-laptop" in exported
    listed = signed_in(panel, "ana").get(f"{panel.url}/panel/equipos/equipos.xlsx", timeout=10)
    assert listed.status_code == 200 and listed.content[:2] == b"PK"
    with writing(panel.server_db.factory) as session:
        auth.open_device(session, "sara", "sara-laptop", now)
    ana_sees = table_rows(signed_in(panel, "ana").get(f"{panel.url}/panel/equipos",
                                                      timeout=10).text, "equipos")[1:]  # fmt: skip
    assert {r[0] for r in ana_sees} == {"ana"}  # her own laptops only


def test_assistance_counts_visits_by_month_and_type_and_the_never_visited(panel: Panel) -> None:
    today = peru_today(dt.datetime.now(dt.UTC))
    with panel.server_db.factory.begin() as session:
        sara = load_caller(session, "sara")
    this_month = today.replace(day=1)
    visits = (
        ("080108", this_month, "seguimiento"), ("080108", this_month, "funcionamiento"),
        ("150102", this_month, "creacion"), ("080104", dt.date(2001, 1, 1), "seguimiento"),
    )  # fmt: skip
    for scope, day, kind in visits:
        given = {"visit_date": day.isoformat(), "at_type": kind}
        (receipt,) = panel.server_db.push(sara, operation("visit", scope=scope, fields=given))
        assert receipt.outcome.value == "applied", receipt
    page = signed_in(panel, "sara").get(f"{panel.url}/panel/asistencia", timeout=10).text
    months = table_rows(page, "meses")
    # The current month is the last column, as Peru abbreviates it («set» for September).
    assert months[0][-2] == f"{SHORT[today.month - 1]} {today.year}"
    by_department = {row[0]: row for row in months[1:]}
    assert by_department["Cusco"][-2:] == ["2", "2"]  # the 2001 visit is outside the window
    assert by_department["Lima"][-2:] == ["1", "1"]
    types = {row[0]: row[1] for row in table_rows(page, "tipos")[1:]}
    assert (types["Seguimiento"], types["Funcionamiento"], types["Creación"]) == ("2", "1", "1")
    expected = expected_country(panel.seeded.stages, CATALOGUE)
    never = {row[0]: int(row[2]) for row in table_rows(page, "nunca")[1:]}
    assert never["Cusco"] == sum(expected["08"].values()) - 2  # Wanchaq and San Jerónimo
    assert never["Amazonas"] == sum(expected["01"].values())
