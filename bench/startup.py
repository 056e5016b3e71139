"""Cold start to the first painted main window, as a ratio against an empty PySide6 window."""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from national import national_profile, with_key

RUNS = 7
BUDGET = 2.5
PROBE = Path(__file__).with_name("_probe.py")


def measure(args: list[str]) -> dict[str, float]:
    env = with_key(Path(args[1]), dict(os.environ)) if args[0] == "app" else dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen" if "DISPLAY" not in env else "xcb")
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, str(PROBE), *args], env=env, check=True, capture_output=True, text=True
    ).stdout
    times = json.loads(out.strip().splitlines()[-1])
    return {name: (value - started) * 1000 for name, value in times.items()}


def compile_sources() -> None:
    """Bytecode compiled, as an installed app has it (PYTHONDONTWRITEBYTECODE may be set)."""
    repo = Path(__file__).resolve().parent.parent
    for package in ("instancias_desktop", "sync"):
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(repo / package)],
            check=True,
            capture_output=True,
        )


def main() -> None:
    compile_sources()
    root = national_profile()
    measure(["app", str(root)])  # warm the OS file cache for both, fairly: same files read
    measure(["empty"])
    empty, app_paint, app_data = [], [], []
    for _ in range(RUNS):  # interleaved, so machine noise hits both alike
        empty.append(measure(["empty"])["first_paint"])
        run = measure(["app", str(root)])
        app_paint.append(run["first_paint"])
        app_data.append(run["data_shown"])
    e, a, d = (statistics.median(x) for x in (empty, app_paint, app_data))
    platform = os.environ.get(
        "QT_QPA_PLATFORM", "offscreen" if "DISPLAY" not in os.environ else "xcb"
    )
    print(f"platform: {platform}; runs: {RUNS}; profile: {root}")
    print(
        f"empty PySide6 window, first paint: median {e:.0f} ms  (all: {[round(x) for x in empty]})"
    )
    all_paints = [round(x) for x in app_paint]
    print(f"app main window, first paint:      median {a:.0f} ms  (all: {all_paints})")
    print(f"app with the 1,917 instancias shown: median {d:.0f} ms")
    print(
        json.dumps(
            {
                "bench": "startup",
                "empty_ms": round(e),
                "app_first_paint_ms": round(a),
                "app_data_shown_ms": round(d),
                "ratio": round(a / e, 2),
                "ratio_data_shown": round(d / e, 2),
                "budget_ratio": BUDGET,
                "ok": a / e <= BUDGET,
            }
        )
    )


if __name__ == "__main__":
    main()
