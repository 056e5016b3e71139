"""Syncing without being asked: when the server answers again, and the end-of-day reminder."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.gui_central import PASSWORD, USER, central_database
from helpers.gui_visits import unvisited_idc
from helpers.widgets import child
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.domain.sync_views import SignIn, SyncSummary
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.sync_page import SyncPage
from instancias_desktop.ui.sync_scheduler import SyncScheduler, seconds_until
from sync.server.app import create_app
from sync.server.local import LocalServer
from sync.transport_http import HttpTransport


@pytest.fixture
def central(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    with central_database(tmp_path) as sessions:
        yield sessions


def quick(url: str, token: str, on_exchange: Any) -> HttpTransport:
    """No retries inside one sync: the scheduler is what tries again."""
    return HttpTransport(url, token, retries=0, timeout=(2, 10), on_exchange=on_exchange)


@pytest.fixture
def offline_laptop(
    qtbot: QtBot, services: AppServices, central: sessionmaker[Session]
) -> Iterator[tuple[SyncPage, AppServices, int, Operations]]:
    """Enrolled while the server was up; the server is down now; a visit waits to be sent."""
    with LocalServer(create_app(central)) as server:
        services.enrol(SignIn(server.url, USER, PASSWORD, "Laptop de campo"))
        port = int(server.url.rsplit(":", 1)[1])
    laptop = AppServices(services.database, services.paths, services.settings, sync_link=quick)
    laptop.start_visit(unvisited_idc(laptop).id)
    ops = Operations()
    page = SyncPage(ops)
    qtbot.addWidget(page)
    yield page, laptop, port, ops
    ops.wait()


def test_a_failed_sync_runs_again_by_itself_once_the_server_answers(
    qtbot: QtBot,
    offline_laptop: tuple[SyncPage, AppServices, int, Operations],
    central: sessionmaker[Session],
) -> None:
    page, laptop, port, ops = offline_laptop
    scheduler = SyncScheduler(ops, lambda: page, backoff=(0.05, 0.1, 0.2))
    scheduler.watch(page)
    delays: list[float] = []
    scheduler.probing.connect(delays.append)
    with qtbot.waitSignal(page.status_shown, timeout=10_000):
        page.attach(laptop)
        scheduler.attach(laptop)
    qtbot.waitUntil(lambda: len(delays) >= 1, timeout=5_000)  # waiting changes: it probes
    with qtbot.waitSignal(page.synced, timeout=15_000) as failed:
        page.synchronize()  # the specialist asks: no signal
    assert isinstance(failed.args[0], Exception)
    assert "No se completó la sincronización" in child(page, QLabel, "syncResult").text()
    qtbot.waitUntil(lambda: len(delays) >= 4, timeout=10_000)  # probed again and again…
    assert delays[0] == 0.05 and delays == sorted(delays) and max(delays) == 0.2  # longer, capped
    assert laptop.sync_status().pending == 2  # the visit (and its instancia), still here
    with (
        LocalServer(create_app(central), port=port),  # the signal comes back
        qtbot.waitSignal(page.synced, timeout=20_000) as synced,
    ):
        pass
    summary = synced.args[0]
    assert isinstance(summary, SyncSummary) and summary.complete, summary
    assert laptop.sync_status().pending == 0
    assert not scheduler.waiting_probe()  # and no more probing: nothing left to do


def test_the_end_of_day_reminder_recalls_changes_not_synchronized(
    qtbot: QtBot, offline_laptop: tuple[SyncPage, AppServices, int, Operations]
) -> None:
    page, laptop, _port, ops = offline_laptop
    almost = dt.datetime(2026, 11, 26, 17, 59, 59, 800_000).astimezone()
    scheduler = SyncScheduler(
        ops, lambda: page, reminder_hour=18, backoff=(60.0,), now=lambda: almost
    )
    scheduler.watch(page)
    with qtbot.waitSignal(page.status_shown, timeout=10_000):
        page.attach(laptop)
    with qtbot.waitSignal(scheduler.reminded, timeout=5_000) as reminded:
        scheduler.attach(laptop)
    assert reminded.args[0] == (
        "Recordatorio: hay 2 cambios sin sincronizar en este equipo. Sincronice antes de "
        "terminar el día (Sincronización, F5)."
    )
    assert child(page, QLabel, "syncResult").text() == reminded.args[0]
    # Found by review: fired a moment early, the next reminder was the same hour again.
    assert scheduler._reminder.remainingTime() > 23 * 3600 * 1000


def test_the_next_reminder_is_today_or_tomorrow_at_the_hour() -> None:
    morning = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
    assert seconds_until(18, morning) == 8.5 * 3600
    assert seconds_until(18, morning.replace(hour=18, minute=0)) == 24 * 3600  # tomorrow's
    assert seconds_until(18, morning.replace(hour=19)) == 22.5 * 3600
