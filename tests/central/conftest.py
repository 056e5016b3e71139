"""Fixtures of the dashboard tests: the central server with its dashboard, on SQLite and on
PostgreSQL, seeded with a small known country."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.panel import Panel, seed, serving
from helpers.server_db import server_database
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from central.app import create_central_app
from sync.server.db import session_factory
from sync.server.throttle import LoginLimiter

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"  # Debian's (.ci/run installs)


@pytest.fixture(params=["sqlite", "postgresql"])
def panel(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Panel]:
    """A seeded central server on a free port of 127.0.0.1 (real HTTP)."""
    for server_db in server_database(request.param, tmp_path):
        seeded = seed(server_db)
        app = create_central_app(session_factory(server_db.engine), limiter=LoginLimiter())
        with serving(app) as base:
            yield Panel(base, server_db, seeded)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    if shutil.which(CHROMIUM) is None or shutil.which(DRIVER) is None:
        pytest.fail("Debian's chromium and chromium-driver are needed: .ci/run installs them")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager: never download a browser
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1366,768", "--lang=es-PE"):  # fmt: skip
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(tmp_path), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()
