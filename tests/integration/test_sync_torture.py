"""Acceptance of the sync: it holds up under torture, and every laptop converges.

The real server runs in its own process (``instancias-sync-server serve``, on PostgreSQL when
the suite has one); four real app profiles (ana on two laptops and bea sharing Cusco, carla in
Lima) work through the app's services while a proxy cuts half of the connections at random
bytes and syncs run in child processes killed with SIGKILL at random moments. Then quiet: the
checks of ``helpers/torture_checks.py``. A short run here; ``tests/sync_torture.py`` runs long
ones (see its --help).
"""

import os
import uuid
from pathlib import Path

import pytest
from helpers.central_process import central_database
from helpers.profiles import profile_engine
from helpers.torture import Torture
from helpers.torture_checks import overwrote, problems
from helpers.torture_run import run_seed
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from instancias_desktop.paths import ProfilePaths
from sync.server.db import create_server_engine
from sync.server.store import Conflict, Record, RecordVersion

STEPS = 160
CUT_RATE = 0.5


@pytest.mark.timeout(600)
@pytest.mark.parametrize("seed", [20261206, 7])
def test_every_laptop_converges_and_nothing_typed_is_lost_under_torture(
    tmp_path: Path, _template_profile: Path, seed: int
) -> None:
    verdict = run_seed(
        tmp_path,
        _template_profile,
        seed,
        steps=STEPS,
        cut_rate=CUT_RATE,
        postgresql=os.environ.get("INSTANCIAS_TEST_PG_URL"),
    )
    assert verdict.problems == (), verdict.report()
    # the torture happened: syncs were killed, connections cut, she did all kinds of things
    assert verdict.killed >= 1 and verdict.proxy.cuts >= 1, verdict.report()
    assert verdict.syncs - verdict.killed >= 3, verdict.report()
    assert len(verdict.tally.actions) >= 10, verdict.report()


@pytest.mark.timeout(600)
def test_the_checks_see_a_laptop_that_differs_and_a_value_the_server_lost(
    tmp_path: Path, _template_profile: Path
) -> None:
    """The verdict is not a check that cannot fail: an acta changed behind the app's back on
    one laptop, and a value she typed replaced on the server without a version, are reported."""
    with central_database(tmp_path / "db", None) as url:
        torture = Torture(tmp_path, _template_profile, url, seed=3)
        try:
            torture.run(40, cut_rate=0.0)
            torture.start_visit(torture.laptops[0])  # at least one acta to change
            torture.quiet()
            assert problems(torture) == []
            tampered = next(laptop.name for laptop in torture.laptops if _tamper(laptop.paths))
            lost = _lose_on_server(url, torture)
            found = problems(torture)
        finally:
            torture.close()
    assert any(problem.startswith(f"{tampered}: ('visit'") for problem in found), found
    assert any(problem.startswith("perdido: ") and lost in problem for problem in found), found


def _tamper(paths: ProfilePaths) -> bool:
    """Change every acta's objective without the app (but with its key): whether there was one."""
    engine = profile_engine(paths)
    with engine.begin() as connection:
        changed = connection.execute(text("UPDATE visit SET objective = 'a escondidas'")).rowcount
    engine.dispose()
    return changed > 0


def _lose_on_server(url: str, torture: Torture) -> str:
    """Make the server forget an objective someone typed that it holds now (in the record, its
    versions and its conflicts alike): the value lost."""
    engine = create_server_engine(url)
    with Session(engine) as session, session.begin():
        for (_name, kind, record_id, field), value in torture.ledger.items():
            record = session.get(Record, (kind, record_id))
            if kind == "visit" and record is not None and record.fields.get(field) == value:
                break
        else:
            raise AssertionError("no objective typed is on the server")
        gone = "olvidado por el servidor"
        record.fields = {**record.fields, field: gone}
        for old in session.scalars(select(RecordVersion).filter_by(kind=kind, record_id=record_id)):
            old.fields = {**old.fields, field: gone}
        session.execute(delete(Conflict).filter_by(kind=kind, record_id=record_id))
    engine.dispose()
    return value


def test_the_lost_update_check_tells_a_change_she_saw_from_one_she_did_not() -> None:
    """Made on version 1 while another device wrote version 2: a lost update, unless the
    device that made version 2 was hers (she had seen it)."""
    mine, theirs, visit = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    change = ("visit", visit, "objective", "de ella")
    for second, lost in ((theirs, True), (mine, False)):
        versions = {
            1: ({"objective": "inicial"}, theirs),
            2: ({"objective": "de otro"}, second),
            3: ({"objective": "de ella"}, mine),
        }
        found = overwrote("ana-a", mine, versions, 1, 3, change)
        assert bool(found) is lost, found
    absent = {1: ({"objective": "inicial"}, theirs), 2: ({"objective": "otro"}, mine)}
    assert "no lo tiene" in overwrote("ana-a", mine, absent, 1, 2, change)[0]
