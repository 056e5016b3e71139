"""Ranking every instancia of the country for technical assistance, against a plain sort of them."""

import datetime as dt
import gc
import json
import random
import statistics
import time
import uuid
from collections.abc import Callable

from instancias_desktop.domain.enums import InstanciaLevel, Stage
from instancias_desktop.domain.priority import DEFAULT_WEIGHTS, PriorityInput, rank

BUDGET_MS = 200.0
RUNS = 21
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


def main() -> None:
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
    print(
        json.dumps(
            {
                "bench": "ranking",
                "instancias": len(items),
                "median_ms": round(median, 2),
                "worst_ms": round(worst, 2),
                "budget_ms": BUDGET_MS,
                "within_budget": worst < BUDGET_MS,
                "sort_ms": round(peer, 3),
                "ratio_vs_sort": round(median / peer, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
