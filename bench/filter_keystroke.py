"""Typing in the instancia search box at national scale: each keystroke, repaint included."""

import json
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from national import national_profile
from PySide6.QtWidgets import QApplication

from instancias_desktop.app import Running, start

BUDGET_MS = 50.0
QUERIES = ("san juan de lurigancho", "ancash huaraz", "0801", "instancia distrital de concepcion")


def main() -> None:
    root = national_profile()
    running = start(["--data-dir", str(root)])
    assert isinstance(running, Running)
    page = running.window.instancias
    while page.model.rowCount() == 0:
        running.app.processEvents()
    timings: list[float] = []
    for query in QUERIES:
        page.search.clear()
        QApplication.processEvents()
        for char in query:
            started = time.perf_counter()
            page.search.insert(char)
            QApplication.processEvents()  # layout and repaint of the table, as the user sees it
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"{query!r}: {page.proxy.rowCount()} rows; "
            f"max {max(timings[-len(query) :]):.1f} ms per keystroke"
        )
    running.window.close()
    running.close()
    worst, median = max(timings), statistics.median(timings)
    print(
        f"{len(timings)} keystrokes over {page.model.rowCount():,} instancias: "
        f"median {median:.1f} ms, worst {worst:.1f} ms"
    )
    print(
        json.dumps(
            {
                "bench": "filter_keystroke",
                "rows": page.model.rowCount(),
                "keystrokes": len(timings),
                "median_ms": round(median, 2),
                "worst_ms": round(worst, 2),
                "budget_ms": BUDGET_MS,
                "ratio": round(worst / BUDGET_MS, 3),
                "ok": worst < BUDGET_MS,
            }
        )
    )


if __name__ == "__main__":
    main()
