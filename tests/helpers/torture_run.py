"""One seeded torture run from start to verdict, for the test and for the long-run script."""

import dataclasses
import time
from pathlib import Path

from helpers.central_process import central_database
from helpers.cutting_proxy import ProxyStats
from helpers.torture import Tally, Torture
from helpers.torture_checks import problems


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What a run did and what did not hold at quiet."""

    seed: int
    problems: tuple[str, ...]
    tally: Tally
    syncs: int  # started in a child process (the calibration included)
    killed: int  # of them, with SIGKILL
    proxy: ProxyStats
    seconds: float

    def report(self) -> str:
        """A few lines for a person."""
        said_no = sum(self.tally.said_no.values())
        lines = [
            f"semilla {self.seed}: {len(self.problems)} problemas en {self.seconds:.0f} s; "
            f"{sum(self.tally.actions.values())} acciones ({said_no} que la app no permitió), "
            f"{self.syncs} sincronizaciones en un proceso aparte ({self.killed} "
            f"terminadas con SIGKILL); {self.proxy.connections} conexiones, {self.proxy.cuts} "
            "cortadas",
            *(f"  - {problem}" for problem in self.problems[:30]),
        ]
        return "\n".join(lines)


def run_seed(
    folder: Path,
    template: Path,
    seed: int,
    *,
    steps: int,
    cut_rate: float,
    postgresql: str | None,
) -> Verdict:
    """Set up, torture for ``steps`` actions, let it go quiet, check; always clean up."""
    started = time.monotonic()
    with central_database(folder / "db", postgresql) as url:
        torture = Torture(folder, template, url, seed)
        try:
            torture.run(steps, cut_rate)
            torture.quiet()
            found = [*torture.syncs.problems, *torture.quiet_problems, *problems(torture)]
            assert torture.proxy is not None
            stats = torture.proxy.stats()
        finally:
            torture.close()
    log = torture.central.log()
    if "Traceback" in log:
        found.append(f"el servidor registró un error: {log[log.index('Traceback') :][:2000]}")
    return Verdict(
        seed, tuple(found), torture.tally, torture.syncs.started, torture.syncs.killed, stats,
        time.monotonic() - started,
    )  # fmt: skip
