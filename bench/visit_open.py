"""Opening the visits list (20,000 visits) and one visit of 40 participants, painted, at scale."""

import datetime as dt
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from functools import partial
from typing import ClassVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from national import bench_key, national_profile
from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QLocale,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    SignalInstance,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

from instancias_desktop.app import settle_heap
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import DocumentType, ParticipantRole, Sex, VisitStatus
from instancias_desktop.domain.visit_inputs import AgreementInput, ParticipantInput
from instancias_desktop.domain.visit_views import VisitDetail, VisitSummary
from instancias_desktop.paths import ProfilePaths, resources_dir
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.profile import open_services
from instancias_desktop.settings import Settings
from instancias_desktop.ui.locale import PERU
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.pages.visits_page import VisitsPage
from instancias_desktop.ui.theme import Theme

BUDGET_MS = 300.0
RUNS = 7
PARTICIPANTS = 40
AGREEMENTS = 5
AUTHOR = "bench"
SIZE = (1280, 760)  # the main window's first size (startup.py)
PARTICIPANTS_TAB = 2


class TimedServices(AppServices):
    """The real services, noting how long the two timed reads took inside the worker."""

    took: ClassVar[dict[str, float]] = {}

    def list_visits(self) -> tuple[VisitSummary, ...]:
        started = time.perf_counter()
        rows = super().list_visits()
        self.took["list_visits"] = (time.perf_counter() - started) * 1000
        return rows

    def visit_detail(self, visit_id: uuid.UUID) -> VisitDetail:
        started = time.perf_counter()
        detail = super().visit_detail(visit_id)
        self.took["visit_detail"] = (time.perf_counter() - started) * 1000
        return detail


class PaintCounter(QObject):
    """Counts paint events of a widget (the table's viewport): proof that the rows were drawn."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def quiet_qt(_kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's messages on stderr, without the offscreen plugin's note on every page shown."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def settle(ops: Operations) -> None:
    """Let background work end and its results arrive, so a run starts from a quiet page."""
    ops.wait()
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # closed pages go now


def timed_open(
    page: QWidget, loaded: SignalInstance, viewport: QWidget, start: Callable[[], None]
) -> dict[str, float]:
    """Milliseconds from ``start()`` to ``loaded``, and to the page painted after it."""
    counter = PaintCounter(viewport)
    loop = QEventLoop()
    marks: dict[str, float] = {}

    def on_loaded() -> None:
        marks["loaded"] = time.perf_counter()
        loop.quit()

    loaded.connect(on_loaded)
    QTimer.singleShot(60_000, loop.quit)  # never hang the bench
    started = time.perf_counter()
    start()
    if "loaded" not in marks:  # results always arrive queued, but be safe
        loop.exec()
    if "loaded" not in marks:
        raise RuntimeError("the page never signalled loaded")
    paints_before = counter.count
    QApplication.processEvents()  # layout and the pending repaint, as the user sees it
    if counter.count == paints_before:  # nothing painted the table yet: paint now
        page.repaint()
    painted = time.perf_counter()
    if counter.count == paints_before:
        raise RuntimeError("the table was not painted after loading")
    loaded.disconnect(on_loaded)
    return {
        "loaded": (marks["loaded"] - started) * 1000,
        "total": (painted - started) * 1000,
    }


def bench_visit(services: AppServices) -> uuid.UUID:
    """A draft of 40 participants and some agreements made by this bench, reused if present."""
    for visit in services.list_visits():
        if (
            visit.author == AUTHOR
            and visit.status is VisitStatus.DRAFT
            and visit.participant_count == PARTICIPANTS
            and visit.agreement_count == AGREEMENTS
        ):
            return visit.id
    instancia = max(services.list_instancias(), key=lambda i: i.visit_count)
    visit_id = services.start_visit(instancia.id)
    roles = list(ParticipantRole)
    for n in range(PARTICIPANTS):
        services.save_participant(
            visit_id,
            ParticipantInput(
                document_type=DocumentType.DNI,
                document_number=f"{90_000_000 + n:08d}",  # the demo's DNIs stay below 80,000,000
                full_name=f"Participante de prueba número {n + 1}",
                entity=f"Entidad integrante {n % 12 + 1} de la instancia",
                post="Representante titular",
                role=roles[n % len(roles)],
                consent=True,
                sex=(Sex.FEMALE, Sex.MALE)[n % 2],
                phone=f"9{n:08d}",
            ),
        )
    deadline = peru_today() + dt.timedelta(days=30)
    for n in range(AGREEMENTS):
        services.save_agreement(
            visit_id,
            AgreementInput(
                description=f"Acuerdo de prueba {n + 1}: elaborar y aprobar el plan de trabajo.",
                responsible_entity="Gobierno local",
                responsible_person="Secretaría técnica",
                deadline=deadline,
            ),
        )
    return visit_id


def summary(name: str, values: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(values):.0f} ms, worst {max(values):.0f} ms"
        f"  (all: {[round(v) for v in values]})"
    )


def main() -> None:
    root = national_profile()
    qInstallMessageHandler(quiet_qt)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    QLocale.setDefault(PERU)
    Theme(app, resources_dir() / "style")
    opened = open_services(ProfilePaths(root), Settings(author=AUTHOR), key=bench_key(root))
    services = TimedServices(opened.database, opened.paths, opened.settings)
    settle_heap()  # as the app does once its profile is open
    ops = Operations()
    try:
        visit_id = bench_visit(services)
        rows = len(services.list_visits())

        # 1. The visits list: service alone, then the page from reload to painted rows.
        list_service = []
        for _ in range(RUNS):
            started = time.perf_counter()
            services.list_visits()
            list_service.append((time.perf_counter() - started) * 1000)
        list_loaded, list_total, list_worker, list_keys = [], [], [], []
        for _ in range(RUNS + 1):  # the first run, cold, is reported but not counted
            page = VisitsPage(ops)
            page.resize(*SIZE)
            page.show()
            settle(ops)
            run = timed_open(
                page, page.loaded, page.table.viewport(), partial(page.attach, services)
            )
            assert page.table.source.rowCount() == rows
            list_loaded.append(run["loaded"])
            list_total.append(run["total"])
            list_worker.append(services.took["list_visits"])
            started = time.perf_counter()
            page.table.source.search_keys(page.table.source.records())
            list_keys.append((time.perf_counter() - started) * 1000)
            page.close()
            page.deleteLater()
            settle(ops)

        # 2. One visit of 40 participants in the editor, on its first tab and on the list's.
        detail_service = []
        for _ in range(RUNS):
            started = time.perf_counter()
            detail = services.visit_detail(visit_id)
            detail_service.append((time.perf_counter() - started) * 1000)
        assert len(detail.participants) == PARTICIPANTS
        editor_totals: dict[str, list[float]] = {"first tab": [], "participants tab": []}
        editor_loaded: list[float] = []
        editor_worker: list[float] = []
        for _ in range(RUNS + 1):
            for tab, totals in editor_totals.items():
                editor = VisitEditorPage(ops)
                editor.resize(*SIZE)
                editor.attach(services)
                if tab == "participants tab":
                    editor.tabs.setCurrentIndex(PARTICIPANTS_TAB)
                editor.show()
                settle(ops)
                viewport = (
                    editor.lists.participants.table.viewport()
                    if tab == "participants tab"
                    else editor.fields.bindings["place"].widget
                )
                run = timed_open(
                    editor, editor.loaded, viewport, partial(editor.open_visit, visit_id)
                )
                assert editor.lists.participants.table.source.rowCount() == PARTICIPANTS
                totals.append(run["total"])
                if tab == "participants tab":
                    editor_loaded.append(run["loaded"])
                    editor_worker.append(services.took["visit_detail"])
                editor.close()
                editor.deleteLater()
                settle(ops)
    finally:
        ops.wait()
        services.close()

    platform = QApplication.platformName()
    print(f"platform: {platform}; runs: {RUNS} (+1 cold, not counted); profile: {root}")
    print(f"visits list: {rows:,} visits")
    print("  " + summary("services.list_visits() alone", list_service))
    print("  " + summary("list_visits() inside the page's worker", list_worker[1:]))
    print("  " + summary("search keys, folded in the worker after the rows show", list_keys[1:]))
    print("  " + summary("reload() to loaded", list_loaded[1:]))
    print("  " + summary("reload() to painted (total)", list_total[1:]))
    print(f"  cold first run: total {list_total[0]:.0f} ms")
    print(f"visit {visit_id} with {PARTICIPANTS} participants, {AGREEMENTS} agreements")
    print("  " + summary("services.visit_detail() alone", detail_service))
    print("  " + summary("visit_detail() inside the editor's worker", editor_worker[1:]))
    print("  " + summary("open_visit() to loaded", editor_loaded[1:]))
    for tab, totals in editor_totals.items():
        print("  " + summary(f"open_visit() to painted, {tab} (total)", totals[1:]))
        print(f"  cold first run, {tab}: total {totals[0]:.0f} ms")
    list_worst = max(list_total[1:])
    visit_worst = max(max(t[1:]) for t in editor_totals.values())
    print(
        json.dumps(
            {
                "bench": "visit_open",
                "platform": platform,
                "visits": rows,
                "visits_list_ms": round(list_worst),
                "visits_list_median_ms": round(statistics.median(list_total[1:])),
                "visits_list_service_ms": round(statistics.median(list_service)),
                "visit_40_ms": round(visit_worst),
                "visit_40_median_ms": round(
                    max(statistics.median(t[1:]) for t in editor_totals.values())
                ),
                "visit_40_service_ms": round(statistics.median(detail_service)),
                "budget_ms": BUDGET_MS,
                "ratio": round(max(list_worst, visit_worst) / BUDGET_MS, 3),
                "within_budget": max(list_worst, visit_worst) < BUDGET_MS,
                "ok": max(list_worst, visit_worst) < BUDGET_MS,
            }
        )
    )


if __name__ == "__main__":
    main()
