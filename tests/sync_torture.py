"""Long torture runs of the sync (the CI runs a short one: tests/integration/test_sync_torture.py).

    .venv/bin/python tests/sync_torture.py --seeds 1-20 --steps 600
    .venv/bin/python tests/sync_torture.py --seeds 5 --postgresql postgresql+psycopg://…/scratch

Each seed: the real server in its own process (SQLite, or a schema of its own on the given
PostgreSQL, dropped afterwards), four app profiles, a proxy that cuts connections, syncs killed
with SIGKILL; then quiet and the checks. Prints one line per seed and every problem found;
exits 1 if any seed found one. Work folders are kept for a failing seed (see the output).
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The project first: tests/sync must not hide the sync package; then the test helpers.
sys.path[0:1] = [str(ROOT), str(ROOT / "tests")]

from helpers.profiles import open_profile  # noqa: E402
from helpers.torture_run import run_seed  # noqa: E402

from instancias_desktop.paths import ProfilePaths  # noqa: E402
from instancias_desktop.settings import Settings  # noqa: E402


def seeds(text: str) -> list[int]:
    """``7`` or ``1-20``."""
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def main(argv: list[str] | None = None) -> int:
    """Run the seeds; 0 when every one held."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=seeds, default=seeds("1-5"))
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--cut-rate", type=float, default=0.5)
    parser.add_argument("--postgresql", help="a scratch database's URL (default: SQLite)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="sync-torture-"))
    template = work / "template"
    open_profile(ProfilePaths(template), Settings(author="plantilla")).database.dispose()
    failed = 0
    for seed in args.seeds:
        folder = work / f"seed-{seed}"
        verdict = run_seed(
            folder, template, seed, steps=args.steps, cut_rate=args.cut_rate,
            postgresql=args.postgresql,
        )  # fmt: skip
        print(verdict.report(), flush=True)
        if verdict.problems:
            failed += 1
            print(f"  (carpeta conservada: {folder})", flush=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{len(args.seeds) - failed} de {len(args.seeds)} semillas sin problemas")
    if not failed:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
