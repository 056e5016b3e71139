"""Acceptance of the sync: it holds up under torture, and every laptop converges.

The real server runs in its own process (``instancias-sync-server serve``, on PostgreSQL when
the suite has one); four real app profiles (ana on two laptops and bea sharing Cusco, carla in
Lima) work through the app's services while a proxy cuts half of the connections at random
bytes and syncs run in child processes killed with SIGKILL at random moments. Then quiet: the
checks of ``helpers/torture_checks.py``. A short run here; ``tests/sync_torture.py`` runs long
ones (see its --help).
"""

import os
from pathlib import Path

import pytest
from helpers.torture_run import run_seed
from sqlalchemy import create_engine, text

STEPS = 160
CUT_RATE = 0.5


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
    assert verdict.tally.killed >= 1 and verdict.proxy.cuts >= 1, verdict.report()
    assert verdict.tally.syncs - verdict.tally.killed >= 3, verdict.report()
    assert len(verdict.tally.actions) >= 10, verdict.report()
    assert "Traceback" not in verdict.server_log, verdict.server_log[-3000:]


def test_the_checks_see_a_laptop_that_differs_from_the_server(
    tmp_path: Path, _template_profile: Path
) -> None:
    """The verdict is not a check that cannot fail: a value changed behind the app's back on
    one laptop after the run (no outbox entry) is reported."""
    from helpers.central_process import central_database  # noqa: PLC0415
    from helpers.torture import Torture  # noqa: PLC0415
    from helpers.torture_checks import problems  # noqa: PLC0415

    with central_database(tmp_path / "db", None) as url:
        torture = Torture(tmp_path, _template_profile, url, seed=3)
        try:
            torture.run(40, cut_rate=0.0)
            torture.quiet()
            assert problems(torture) == []
            tampered = next(
                laptop.name for laptop in torture.laptops if _tamper(laptop.paths.database)
            )
            found = problems(torture)
        finally:
            torture.close()
    assert any(problem.startswith(f"{tampered}: ('visit'") for problem in found), found


def _tamper(database: Path) -> bool:
    """Change every acta's objective without the app: whether there was one."""
    engine = create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        changed = connection.execute(text("UPDATE visit SET objective = 'a escondidas'")).rowcount
    engine.dispose()
    return changed > 0
