"""Down to an instancia and its acta: the PDF headquarters downloads is the one the laptop printed.

A laptop finalizes an acta and syncs; the dashboard renders it from the sealed snapshot the
server holds, byte for byte the laptop's, with its verification code.
"""

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.app import instancia
from helpers.gui_visits import finalize
from helpers.markup import table_rows
from helpers.office import PASSWORD, Office
from helpers.panel import serving, sign_in
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from central.app import create_central_app
from instancias_desktop.domain.enums import Answer
from instancias_desktop.domain.forms import ItemAnswer
from instancias_desktop.domain.scoring import score_text
from sync.server.throttle import LoginLimiter


@pytest.fixture
def office(tmp_path: Path, _template_profile: Path) -> Iterator[Office]:
    made = Office(tmp_path, _template_profile)
    made.user("ana", ("08",))
    made.user("carla", ("15",))
    made.user("sede", (), role="sede")
    yield made
    made.close()


@pytest.fixture
def base(office: Office) -> Iterator[str]:
    with serving(create_central_app(office.sessions, limiter=LoginLimiter())) as url:
        yield url


def test_an_acta_finalized_on_a_laptop_is_the_same_pdf_on_the_dashboard(
    office: Office, base: str
) -> None:
    ana = office.laptop("ana", "ana-laptop")
    wanchaq = instancia(ana.services)
    visit = ana.services.start_visit(wanchaq)
    finalize(ana.services, visit)
    draft = ana.services.start_visit(wanchaq)
    printed = ana.services.acta_document(visit)
    assert ana.sync().complete

    sede = sign_in(base, "sede", PASSWORD)
    devices = table_rows(sede.get(f"{base}/panel/equipos", timeout=10).text, "equipos")
    (laptop,) = [row for row in devices[1:] if row[1] == "ana-laptop"]
    assert laptop[4] == "0"  # its last push said nothing was left to send
    page = sede.get(f"{base}/panel/instancia/{wanchaq}", timeout=10)
    assert page.status_code == 200
    assert printed.acta_number in page.text and printed.code in page.text
    assert f'href="/panel/acta/{visit}.pdf"' in page.text
    assert f"/panel/acta/{draft}.pdf" not in page.text  # a draft is its author's

    pdf = sede.get(f"{base}/panel/acta/{visit}.pdf", timeout=30)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == printed.pdf  # the very document signed on paper
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert printed.code in text and printed.acta_number in text

    exported = sede.get(f"{base}/panel/instancia/{wanchaq}/visitas.csv", timeout=10)
    assert printed.acta_number in exported.content.decode("utf-8-sig")
    for which in ("historial", "acuerdos"):
        table = sede.get(f"{base}/panel/instancia/{wanchaq}/{which}.xlsx", timeout=10)
        assert table.status_code == 200 and table.content[:2] == b"PK", which

    for who, path in (("sede", f"/panel/acta/{draft}.pdf"),
                      ("carla", f"/panel/acta/{visit}.pdf"),
                      ("carla", f"/panel/instancia/{wanchaq}"),
                      ("carla", f"/panel/instancia/{wanchaq}/visitas.csv"),
                      ("sede", f"/panel/instancia/{wanchaq}/otra.csv"),
                      ("sede", f"/panel/acta/{uuid.uuid4()}.pdf")):  # fmt: skip
        answer = sign_in(base, who, PASSWORD).get(f"{base}{path}", timeout=10)
        assert answer.status_code == 404, (who, path)


def test_headquarters_downloads_the_acta_from_the_browser(
    office: Office, base: str, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    ana = office.laptop("ana", "ana-laptop")
    wanchaq = instancia(ana.services)
    visit = ana.services.start_visit(wanchaq)
    finalize(ana.services, visit)
    printed = ana.services.acta_document(visit)
    assert ana.sync().complete
    browser.get(f"{base}/panel/ingresar")
    browser.find_element(By.ID, "usuario").send_keys("sede", Keys.TAB, PASSWORD, Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/panel/"))
    browser.find_element(By.LINK_TEXT, "Cusco").click()
    browser.find_element(By.LINK_TEXT, "Cusco").click()  # the province
    browser.find_element(By.PARTIAL_LINK_TEXT, "Wanchaq").click()
    assert browser.find_element(By.TAG_NAME, "h2").text.endswith("de Wanchaq")
    browser.save_screenshot("/tmp/panel-capturas/instancia.png")
    browser.find_element(By.LINK_TEXT, printed.acta_number).click()
    WebDriverWait(browser, 10).until(lambda _d: any(tmp_path.glob("acta-*.pdf")))
    (found,) = tmp_path.glob("acta-*.pdf")
    WebDriverWait(browser, 10).until(lambda _d: found.read_bytes() == printed.pdf)


def test_the_score_a_laptop_printed_is_the_one_technical_assistance_shows(
    office: Office, base: str
) -> None:
    ana = office.laptop("ana", "ana-laptop")
    wanchaq = instancia(ana.services)
    visit = ana.services.start_visit(wanchaq)
    view = ana.services.checklist(visit)
    assert view is not None
    first = next(item for s in view.definition.sections for item in s.items)
    ana.services.save_checklist_answers(
        visit, view.definition.ref, {first.code: ItemAnswer(Answer.NO)}
    )
    finalize(ana.services, visit)
    score = ana.services.checklist(visit).result.score  # type: ignore[union-attr]
    assert score is not None
    assert ana.sync().complete

    page = (
        sign_in(base, "sede", PASSWORD)
        .get(f"{base}/panel/asistencia?departamento=08", timeout=10)
        .text
    )
    (row,) = [r for r in table_rows(page, "instancias")[1:] if r[2] == "080108"]
    assert row[5] == score_text(score) and row[7] == "—"  # one score: no trend yet
    visits = table_rows(sign_in(base, "sede", PASSWORD).get(
        f"{base}/panel/instancia/{wanchaq}", timeout=10).text, "visitas")  # fmt: skip
    assert visits[0][-1] == "Puntaje (referencial)" and visits[1][-1] == score_text(score)
