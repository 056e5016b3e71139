"""Syncs of app profiles in child processes, killed with SIGKILL at the moment a test chose.

Each child runs ``sync_child.py`` on one profile with its output in a log file. A child that
ends on its own must end well (exit 0 and its one JSON line); one that outlives
``DEADLINE_SECONDS`` is killed and reported. Every child is stopped by its PID.
"""

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

CHILD = Path(__file__).with_name("sync_child.py")
DEADLINE_SECONDS = 120.0  # a sync of a few hundred records takes seconds, even when cut


@dataclasses.dataclass
class _Running:
    process: "subprocess.Popen[bytes]"
    log: Path
    started: float
    kill_at: float | None


class ChildSyncs:
    """At most one sync child per profile; what they did, and what went wrong."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.logs.mkdir(parents=True, exist_ok=True)
        self.started = self.killed = self.finished = 0
        self.problems: list[str] = []
        self._running: dict[Path, _Running] = {}

    def running(self, profile: Path) -> bool:
        """Whether a sync of this profile is under way."""
        return profile in self._running

    def start(self, profile: Path, kill_after: float | None) -> None:
        """Sync ``profile`` in a child; SIGKILL it ``kill_after`` seconds from now (None: not)."""
        self.started += 1
        log = self.logs / f"{profile.name}-{self.started:04d}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, str(CHILD), str(profile)],
                stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        now = time.monotonic()
        kill_at = now + kill_after if kill_after is not None else None
        self._running[profile] = _Running(process, log, now, kill_at)

    def reap(self) -> None:
        """Kill the children whose moment came; check the ones that ended on their own."""
        now = time.monotonic()
        for profile, child in list(self._running.items()):
            if child.process.poll() is not None:
                del self._running[profile]
                self.finished += 1
                self._check(child)
            elif child.kill_at is not None and now >= child.kill_at:
                self._kill(profile, child)
                self.killed += 1
            elif now - child.started > DEADLINE_SECONDS:
                self._kill(profile, child)
                self.problems.append(f"la sincronización de {child.log.name} no terminó")

    def wait(self) -> None:
        """Until every child ended, was killed at its moment or missed its deadline."""
        while self._running:
            self.reap()
            time.sleep(0.02)

    def stop(self) -> None:
        """Kill whatever still runs (the end of a test, a failure)."""
        for profile, child in list(self._running.items()):
            self._kill(profile, child)

    def _kill(self, profile: Path, child: _Running) -> None:
        if child.process.poll() is None:
            os.kill(child.process.pid, signal.SIGKILL)  # the battery, the task manager
        child.process.wait(timeout=30)
        del self._running[profile]

    def _check(self, child: _Running) -> None:
        output = child.log.read_text(errors="replace")
        lines = [line for line in output.splitlines() if line.startswith("{")]
        try:
            json.loads(lines[-1])
            ended_well = child.process.returncode == 0
        except (IndexError, ValueError):
            ended_well = False
        if not ended_well:
            self.problems.append(
                f"la sincronización {child.log.name} terminó mal "
                f"(código {child.process.returncode}): {output[-1500:]}"
            )
