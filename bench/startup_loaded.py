"""Opening the profile on a busy laptop: time to the registry on screen with one core taken.

A field laptop often runs something else (an antivirus scan, a browser): another process
burns one of the two cores throughout (``python -c 'while True: pass'``, stopped by its PID).
The figure is the app's start to the 1,917 instancias on screen, median of runs, beside the
same start on the quiet machine in the same run. No budget is set: the issue asks for the
figure before and after (``ui_ab.py`` runs it on both commits).
"""

import json
import statistics
import subprocess
import sys

from national import national_profile
from startup import compile_sources, measure

RUNS = 5
BURN = "while True: pass"


def main() -> None:
    compile_sources()
    root = national_profile()
    measure(["app", str(root)])  # the OS file cache warm for both
    quiet, loaded = [], []
    for _ in range(RUNS):
        quiet.append(measure(["app", str(root)])["data_shown"])
        burner = subprocess.Popen([sys.executable, "-c", BURN])
        try:
            loaded.append(measure(["app", str(root)])["data_shown"])
        finally:
            burner.kill()
            burner.wait()
    q, busy = statistics.median(quiet), statistics.median(loaded)
    for label, median, runs in (("quiet machine", q, quiet), ("one core busy", busy, loaded)):
        every = [round(x) for x in runs]
        print(f"registry on screen, {label}: median {median:.0f} ms  (all: {every})")
    print(
        json.dumps(
            {
                "bench": "startup_loaded",
                "quiet_data_shown_ms": round(q),
                "loaded_data_shown_ms": round(busy),
                "ratio": round(busy / q, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
