"""The dashboard in a real browser: Debian's headless Chromium driven by Selenium.

Signs in, reads the country's figures, goes down to a department, exports a table and signs
out, with the keyboard where a person would; a specialist cannot open another territory.
"""

import csv
import io
from pathlib import Path

import pytest
from helpers.panel import Panel, expected_country
from helpers.server_db import PASSWORD
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from instancias_desktop.paths import resources_dir

SHOTS = Path("/tmp/panel-capturas")  # screenshots at 1366x768, for a person to look at


def sign_in(driver: webdriver.Chrome, panel: Panel, username: str) -> None:
    driver.get(f"{panel.url}/panel/")
    assert driver.current_url.endswith("/panel/ingresar")  # sent to sign in first
    user = driver.find_element(By.ID, "usuario")
    assert driver.switch_to.active_element == user  # the form starts where she types
    user.send_keys(username, Keys.TAB, PASSWORD, Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/panel/"))


def shot(driver: webdriver.Chrome, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("panel", ["sqlite"], indirect=True)
def test_headquarters_reads_the_country_goes_down_exports_and_signs_out(
    browser: webdriver.Chrome, panel: Panel, tmp_path: Path
) -> None:
    sign_in(browser, panel, "sede")
    shot(browser, "pais")
    rows = browser.find_elements(By.CSS_SELECTOR, "#pais tbody tr")
    expected = expected_country(panel.seeded.stages, str(resources_dir() / "catalogues" /
                                                         "ubigeo_inei.json"))  # fmt: skip
    assert len(rows) == len(expected)
    cusco = browser.find_element(By.LINK_TEXT, "Cusco")
    cells = cusco.find_element(By.XPATH, "../..").find_elements(By.TAG_NAME, "td")
    counts = expected["08"]
    assert [c.text for c in cells[:6]] == [
        str(counts[s]) for s in ("no_creada", "creada", "instalada", "en_funcionamiento",
                                 "inactiva", "reactivada")
    ]  # fmt: skip

    cusco.send_keys(Keys.ENTER)  # the link, from the keyboard
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/panel/departamento/08"))
    assert browser.find_element(By.TAG_NAME, "h2").text == "Departamento de Cusco"
    shot(browser, "departamento-cusco")
    browser.find_element(By.ID, "exportar-departamento-csv").click()
    exported = tmp_path / "departamento-08.csv"
    WebDriverWait(browser, 10).until(lambda _d: exported.is_file())
    table = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    assert table[0][0] == "Provincia" and any(row[0] == "Cusco" for row in table[1:])

    browser.find_element(By.LINK_TEXT, "Asistencia técnica").click()
    assert browser.find_element(By.ID, "meses").find_element(By.TAG_NAME, "caption").text
    shot(browser, "asistencia")

    browser.find_element(By.LINK_TEXT, "Seguimiento").click()
    assert browser.find_element(By.TAG_NAME, "h2").text == "Seguimiento de acuerdos y actas"
    assert browser.find_element(By.ID, "acuerdos").find_element(By.TAG_NAME, "caption").text
    shot(browser, "seguimiento")

    browser.find_element(By.ID, "salir").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/panel/ingresar"))
    browser.get(f"{panel.url}/panel/")
    assert browser.current_url.endswith("/panel/ingresar")  # signed out for good


@pytest.mark.parametrize("panel", ["sqlite"], indirect=True)
def test_a_specialist_cannot_reach_another_territory_by_url(
    browser: webdriver.Chrome, panel: Panel
) -> None:
    sign_in(browser, panel, "ana")
    assert [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#pais tbody th")] == ["Cusco"]
    browser.get(f"{panel.url}/panel/departamento/15")
    assert "no está en sus territorios" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "fuera-de-territorio")


@pytest.mark.parametrize("panel", ["sqlite"], indirect=True)
def test_the_map_leads_down_to_a_province_and_its_districts(
    browser: webdriver.Chrome, panel: Panel
) -> None:
    sign_in(browser, panel, "sede")
    country_map = browser.find_element(By.ID, "mapa")
    assert country_map.size["width"] > 300 and country_map.size["height"] > 300  # visible
    cusco = browser.find_element(By.CSS_SELECTOR, '#mapa path[data-ubigeo="08"]')
    assert (
        cusco.find_element(By.TAG_NAME, "title").get_attribute("textContent").startswith("Cusco: ")
    )
    link = browser.find_element(By.CSS_SELECTOR, '#mapa a:has(path[data-ubigeo="08"])')
    link.send_keys(Keys.ENTER)  # a territory of the map is a link: the keyboard reaches it
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/panel/departamento/08"))
    shot(browser, "departamento-mapa")
    browser.find_element(By.CSS_SELECTOR, '#mapa path[data-ubigeo="0801"]').click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/panel/provincia/0801"))
    districts = browser.find_elements(By.CSS_SELECTOR, "#mapa path")
    assert len(districts) > 1 and all(d.is_displayed() for d in districts)
    wanchaq = browser.find_element(By.CSS_SELECTOR, '#mapa path[data-ubigeo="080108"]')
    assert wanchaq.get_attribute("class") == "e-instalada"
    shot(browser, "provincia-mapa")
    # Without the mouse: the colouring links and the map's territories take the keyboard.
    browser.find_element(By.ID, "color-instaladas").send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("?color=instaladas"))
    fills = {p.get_attribute("data-ubigeo"): p.get_attribute("class")
             for p in browser.find_elements(By.CSS_SELECTOR, "#mapa path")}  # fmt: skip
    assert fills["080108"] == "b4" and fills["080102"] == "b0"
