"""A day's work synced over a slow, lossy link (256 kbit/s, 400 ms, 5 % of requests lost)."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.app import instancia, person, services_at
from helpers.server_db import specialist_server
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import SendState
from instancias_desktop.domain.sync_views import SignIn
from instancias_desktop.domain.visit_inputs import AgreementInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services import synchronization
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.syncing import account, runner
from sync.errors import Unreachable
from sync.server.app import create_app
from sync.server.local import LocalServer
from sync.server.store import OperationLog, Record
from sync.simulated_link import LinkProfile, SimulatedLink, VirtualClock
from sync.transport_http import HttpTransport

PASSWORD = "clave-de-campo-2026"
FLAKY = LinkProfile(bandwidth_bps=256_000, latency_s=0.4, failure_rate=0.05)


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[str, sessionmaker[Session]]]:
    with (
        specialist_server(tmp_path, PASSWORD) as sessions,
        LocalServer(create_app(sessions)) as server,
    ):
        yield server.url, sessions


def day_of_work(services: AppServices) -> list[object]:
    """Three visits with two participants and an agreement each."""
    visits = []
    for n in range(3):
        visit_id = services.start_visit(instancia(services))
        services.update_visit(visit_id, {"objective": f"Asistencia técnica {n + 1}"})
        services.save_participant(visit_id, person(dni=f"4567891{n}"))
        services.save_participant(visit_id, person(dni=f"4567892{n}", name="José Pérez Ñahui"))
        services.save_agreement(
            visit_id,
            AgreementInput(
                "Aprobar el plan de trabajo", "Municipalidad", "", dt.date(2026, 12, 30)
            ),
        )
        visits.append(visit_id)
    return visits


def over(link: SimulatedLink, clock: VirtualClock) -> runner.LinkFactory:
    def make(url: str, token: str, on_exchange: runner.ExchangeSink) -> HttpTransport:
        return HttpTransport(
            url, token, session=link, sleep=clock.sleep, on_exchange=on_exchange, retries=6
        )

    return make


def on_server(sessions: sessionmaker[Session]) -> tuple[dict[str, int], int]:
    with sessions.begin() as session:
        counted = session.execute(select(Record.kind, func.count()).group_by(Record.kind))
        kinds = {kind: int(count) for kind, count in counted}
        logged = session.scalar(select(func.count()).select_from(OperationLog)) or 0
    return kinds, logged


def test_a_day_syncs_over_a_flaky_link_and_resumes_after_a_cut_exactly_once(
    database: Database,
    profile_paths: ProfilePaths,
    central: tuple[str, sessionmaker[Session]],
) -> None:
    url, sessions = central
    services = services_at(database, profile_paths)
    account.enrol(database, SignIn(url, "ana", PASSWORD, "Laptop de campo"))
    visits = day_of_work(services)
    journal = synchronization.journal_of(database, profile_paths)
    waiting = synchronization.sync_status(database).pending

    def states() -> set[SendState | None]:
        return {v.send_state for v in services.list_visits() if v.id in visits}

    assert states() == {SendState.PENDING}

    # The signal goes right after the server answered the push: the answer never arrives
    # (the sync asks /health first: the app versions the server announces).
    clock = VirtualClock()
    link = SimulatedLink(FLAKY, seed=3, sleep=clock.sleep)
    link.cut_after_answers = 1
    with pytest.raises(Unreachable):
        runner.synchronize(database, journal, lambda _step: None, link=over(link, clock))
    assert states() == {SendState.SENT}  # sent, the server acted, no receipt yet
    assert synchronization.sync_status(database).pending == waiting  # nothing lost
    kinds, logged = on_server(sessions)
    assert logged == waiting and kinds["visit"] == 3
    assert journal.entries()[0].event == "error"

    # Signal back, still lossy: the sync completes, and the server holds everything once.
    link.cut, link.cut_after_answers = False, None
    lost_by_the_cut = link.lost_requests + link.lost_answers
    summary = runner.synchronize(database, journal, lambda _step: None, link=over(link, clock))
    assert summary.complete, summary.message
    assert states() == {SendState.CONFIRMED}
    assert synchronization.sync_status(database).synchronized
    assert on_server(sessions) == (kinds, logged)  # the replay applied nothing twice
    assert kinds == {"instancia": 1, "visit": 3, "participant": 6, "person": 6, "agreement": 3}
    assert link.lost_requests + link.lost_answers > lost_by_the_cut  # it lost some on its own
    assert clock.seconds < 60  # simulated seconds on the link, retries and waits included
