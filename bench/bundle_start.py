"""Cold start of the bundled app against the development install, as a ratio in one run.

Each side runs ``instancias-desktop comprobar --window-only`` (the main window shown, painted
and closed, offscreen) in a bare environment; 9 runs each after a warm-up, alternating which
goes first; the wall time of the whole process, as a person waits for it.
Usage: .venv/bin/python bench/bundle_start.py BUNDLE_EXECUTABLE
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 9
REPO = Path(__file__).resolve().parent.parent
DEV = REPO / ".venv" / "bin" / "instancias-desktop"


def once(executable: Path) -> float:
    """Milliseconds from launch to exit, for one window-only start."""
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"),
           "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}  # fmt: skip
    started = time.perf_counter()
    subprocess.run([str(executable), "comprobar", "--window-only"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    return (time.perf_counter() - started) * 1000


def main() -> None:
    bundle = Path(sys.argv[1]).resolve()
    sides = {"bundle": bundle, "development": DEV}
    for path in sides.values():
        once(path)  # warm-up: the disk cache holds both
    times: dict[str, list[float]] = {name: [] for name in sides}
    for run in range(RUNS):
        order = list(sides) if run % 2 == 0 else list(reversed(sides))
        for name in order:
            times[name].append(once(sides[name]))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(f"{name:12} median {medians[name]:7.0f} ms  worst {max(values):7.0f} ms")
    ratio = medians["bundle"] / medians["development"]
    print(json.dumps({"bench": "bundle_start", "bundle_ms": round(medians["bundle"]),
                      "development_ms": round(medians["development"]),
                      "ratio": round(ratio, 2)}))  # fmt: skip


if __name__ == "__main__":
    main()
