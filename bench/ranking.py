"""Ranking every instancia of the country for technical assistance.

Two measurements: the pure ``rank()`` on seeded synthetic inputs (against a plain sort of them),
and the service call the user waits for, ``priority_report()``, on a national-scale profile with
territory figures imported for every district.
"""

import argparse
import cProfile
import datetime as dt
import gc
import json
import pstats
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from national import bench_key, national_profile

from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import InstanciaLevel, Stage
from instancias_desktop.domain.priority import DEFAULT_WEIGHTS, PriorityInput, rank
from instancias_desktop.domain.priority_views import term_start
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services import priority
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.instancias import assigned_scope
from instancias_desktop.services.profile import open_profile
from instancias_desktop.settings import Settings

BUDGET_MS = 200.0
RUNS = 21
REPORT_RUNS = 7
AUTHOR = "bench"
FIGURES_FILE = "cifras_bench.csv"
FIGURES_HEADER = "ubigeo;casos_violencia;cem;alertas_defensoria;solicitud"
SEED = 30364
TODAY = dt.date(2026, 3, 10)
TERM_START = dt.date(2023, 1, 1)
COUNTS = {InstanciaLevel.IRC: 26, InstanciaLevel.IPC: 196, InstanciaLevel.IDC: 1891}
NAMES = {
    InstanciaLevel.IRC: "Instancia Regional de Concertación",
    InstanciaLevel.IPC: "Instancia Provincial de Concertación",
    InstanciaLevel.IDC: "Instancia Distrital de Concertación",
}
STAGES = tuple(Stage)
STAGE_ODDS = (20, 20, 15, 30, 10, 5)  # not created … reactivated, as Stage lists them


def maybe_date(rng: random.Random, start: dt.date, days: int, none_odds: float) -> dt.date | None:
    if rng.random() < none_odds:
        return None
    return start + dt.timedelta(days=rng.randrange(days))


def synthetic_country(seed: int = SEED) -> list[PriorityInput]:
    """26 IRC + 196 IPC + 1,891 IDC with seeded random stages, dates and figures."""
    rng = random.Random(seed)
    items = []
    for level, count in COUNTS.items():
        for n in range(count):
            stage = rng.choices(STAGES, STAGE_ODDS)[0]
            items.append(
                PriorityInput(
                    instancia_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    name=f"{NAMES[level]} {n + 1}",
                    level=level,
                    ubigeo=f"{rng.randrange(1, 26):02d}{rng.randrange(1, 20):02d}{n % 100:02d}",
                    stage=stage,
                    sworn_in_on=maybe_date(rng, dt.date(2019, 1, 1), 2600, 0.3),
                    last_visit_on=maybe_date(rng, dt.date(2024, 1, 1), 820, 0.25),
                    overdue_agreements=rng.choice((0, 0, 0, 1, 2, 3, 6)),
                    violence_figure=None if rng.random() < 0.2 else rng.lognormvariate(4, 1.2),
                    has_cem=rng.random() < 0.2,
                    alerts=rng.choice((0, 0, 0, 0, 1, 2, 4)),
                    requested=rng.random() < 0.1,
                )
            )
    rng.shuffle(items)
    return items


def order_key(item: PriorityInput, score: float) -> tuple[float, int, str, str, str]:
    level = tuple(InstanciaLevel).index(item.level)
    return (-score, level, item.ubigeo, item.name, str(item.instancia_id))


def timed(work: Callable[[], object]) -> float:
    gc.collect()
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def pure_rank() -> dict[str, float | int]:
    """rank() of the synthetic country, and a plain sort of it by a precomputed key."""
    items = synthetic_country()

    def ranking() -> object:
        return rank(items, DEFAULT_WEIGHTS, TODAY, TERM_START)

    result = rank(items, DEFAULT_WEIGHTS, TODAY, TERM_START)  # warm-up, not counted
    # The peer: only the sort rank() must do anyway, by its full key, computed beforehand.
    keys = {r.instancia.instancia_id: order_key(r.instancia, r.score) for r in result}

    def plain_sort() -> object:
        return sorted(items, key=lambda item: keys[item.instancia_id])

    plain_sort()
    rank_times = [timed(ranking) for _ in range(RUNS)]
    sort_times = [timed(plain_sort) for _ in range(RUNS)]
    median, worst = statistics.median(rank_times), max(rank_times)
    peer = statistics.median(sort_times)
    print(f"{len(items)} instancias ({', '.join(f'{c} {lv}' for lv, c in COUNTS.items())})")
    print(f"rank(): median {median:.2f} ms, best {min(rank_times):.2f} ms, worst {worst:.2f} ms")
    print(f"sorted() by a precomputed key: median {peer:.3f} ms; ratio {median / peer:.1f}")
    top = result[0]
    print(f"first: {top.instancia.name} ({top.score:.1f}): {top.explanation}")
    return {
        "instancias": len(items),
        "rank_median_ms": round(median, 2),
        "rank_worst_ms": round(worst, 2),
        "sort_ms": round(peer, 3),
        "ratio_vs_sort": round(median / peer, 1),
    }


def figures_csv(codes: list[str], target: Path, seed: int = SEED) -> Path:
    """One row of seeded figures per district, as an analyst would save it from Excel."""
    rng = random.Random(seed)
    lines = [FIGURES_HEADER]
    for code in codes:
        cases = f"{rng.lognormvariate(4, 1.2):.1f}".replace(".", ",")
        cem = "x" if rng.random() < 0.2 else ""
        alerts = rng.choice((0, 0, 0, 0, 1, 2, 4))
        requested = "sí" if rng.random() < 0.1 else "no"
        lines.append(f"{code};{cases};{cem};{alerts};{requested}")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def import_district_figures(services: AppServices) -> int:
    """Figures for every district in force, imported through the service; their count."""
    with services.database.reader() as uow:
        states = uow.catalogue.territory_states()
    codes = sorted(code for code, (_name, vigente) in states.items() if vigente and len(code) == 6)
    with tempfile.TemporaryDirectory(prefix="instancias-bench-figures-") as folder:
        result = services.import_figures(figures_csv(codes, Path(folder) / FIGURES_FILE))
    assert not result.errors, result.errors[:5]
    assert len(result.rows) == len(codes), (len(result.rows), len(codes))
    return len(codes)


def criteria_with_data(inputs: list[PriorityInput]) -> str:
    """How many of the instancias ranked have something on each criterion."""
    counts = {
        "sworn in": sum(i.sworn_in_on is not None for i in inputs),
        "last visit": sum(i.last_visit_on is not None for i in inputs),
        "overdue agreements": sum(i.overdue_agreements > 0 for i in inputs),
        "violence figure": sum(i.violence_figure is not None for i in inputs),
        "CEM": sum(i.has_cem for i in inputs),
        "alerts": sum(i.alerts > 0 for i in inputs),
        "requested": sum(i.requested for i in inputs),
    }
    return ", ".join(f"{name} {count:,}" for name, count in counts.items())


def service_report(root: Path, profile: bool) -> dict[str, float | int]:
    """priority_report() on the profile at root, with the time of rank() alone beside it."""
    settings = Settings(author=AUTHOR)
    paths = ProfilePaths(root)
    opened = open_profile(paths, settings, key=bench_key(root))
    services = AppServices(opened.database, paths, settings)
    try:
        districts = import_district_figures(services)
        gc.collect()
        gc.freeze()  # as the app does once its profile is open (app.settle_heap)
        report = services.priority_report()  # warm-up, not counted
        report_times = [timed(services.priority_report) for _ in range(REPORT_RUNS)]

        # Where the time goes: the service's own reads, then rank() on what they built.
        database = services.database
        territories = assigned_scope(database)[0]
        today = peru_today(database.clock())
        weights = priority.weights_in_force(database).weights
        start = term_start(today)
        inputs: list[PriorityInput] = []

        def read_inputs() -> object:
            nonlocal inputs
            with database.reader() as uow:
                inputs = priority._inputs(uow, territories, today)
            return inputs

        read_times = [timed(read_inputs) for _ in range(REPORT_RUNS)]
        rank_times = [
            timed(lambda: rank(inputs, weights, today, start)) for _ in range(REPORT_RUNS)
        ]
        median, worst = statistics.median(report_times), max(report_times)
        read_median, rank_median = statistics.median(read_times), statistics.median(rank_times)
        print(f"profile: {root}; figures imported for {districts:,} districts in force")
        print(f"priority_report(): {len(report.lines):,} instancias ranked; {report.figures}")
        print(f"  criteria with data: {criteria_with_data(inputs)}")
        print(
            f"  median {median:.1f} ms, best {min(report_times):.1f} ms, worst {worst:.1f} ms"
            f"  (all: {[round(t, 1) for t in report_times]})"
        )
        print(
            f"  of which, for information: reading the inputs (_inputs) median {read_median:.1f} ms"
            f" ({read_median / median:.0%}); rank() on them median {rank_median:.1f} ms"
            f" ({rank_median / median:.0%}; each timed on its own, so the shares need not add up)"
        )
        if profile:
            profiler = cProfile.Profile()
            gc.collect()
            profiler.runcall(services.priority_report)
            print("cProfile of one priority_report(), top 15 by cumulative time:")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)
    finally:
        services.close()
    return {
        "report_median_ms": round(median, 1),
        "report_worst_ms": round(worst, 1),
        "report_instancias": len(report.lines),
        "report_inputs_ms": round(read_median, 1),
        "report_rank_ms": round(rank_median, 1),
        "rank_share": round(rank_median / median, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", help="a national-scale profile to use (else one is built)")
    parser.add_argument("--pure-only", action="store_true", help="only rank() on synthetic inputs")
    parser.add_argument("--profile", action="store_true", help="cProfile one priority_report()")
    args = parser.parse_args()
    pure = pure_rank()
    figures: dict[str, object] = {"bench": "ranking", **pure}
    if args.pure_only:
        worst = pure["rank_worst_ms"]
    else:
        root = national_profile(["--data-dir", args.data_dir] if args.data_dir else [])
        service = service_report(root, args.profile)
        figures.update(service)
        worst = service["report_worst_ms"]
    ratio = figures.pop("ratio_vs_sort")
    print(
        json.dumps(
            {
                **figures,
                "budget_ms": BUDGET_MS,
                "within_budget": worst < BUDGET_MS,
                "ratio_vs_sort": ratio,
            }
        )
    )


if __name__ == "__main__":
    main()
