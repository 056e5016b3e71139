"""Sync bytes on the wire per record against gzip of plain JSON; round trips of a typical day."""

import argparse
import gc
import json
import random

from sync_data import (
    field_sizes,
    gzip_plain_bytes,
    record_day,
)
from sync_rig import (
    Device,
    Exchange,
    TimedSync,
    WireLog,
    add_user,
    open_server_database,
    scratch_database,
    serve_in_thread,
    sign_in,
    timed_sync,
)

from sync.protocol import MAX_BATCH, MAX_PAGE

BYTES_BUDGET = 1.5
ROUNDS_BUDGET = 6


def body_bytes(exchanges: list[Exchange], path: str | None = None) -> int:
    """Request plus response bodies as sent (gzip included), of one endpoint or all."""
    return sum(
        e.request_body + e.response_body for e in exchanges if path is None or e.path == path
    )


def rounds_of_sync(pushed: int, pulled: int, batch: int, page: int) -> int:
    """Round trips of one clean sync: push batches, pull pages, one digest, one conflicts."""
    pushes = -(-pushed // batch)
    pages = max(1, -(-pulled // page))  # a full last page needs no extra request (limit + 1)
    return pushes + pages + 2


def largest_day(batch: int, page: int, per_visit: int) -> int:
    """The most visits a device can push (and pull back) in one sync within the budget."""
    visits = 0
    while (
        rounds_of_sync((visits + 1) * per_visit, (visits + 1) * per_visit, batch, page)
        <= ROUNDS_BUDGET
        and visits < 10_000
    ):
        visits += 1
    return visits


def describe(name: str, run: TimedSync, exchanges: list[Exchange]) -> str:
    paths = ", ".join(
        f"{path.removeprefix('/v1/')} {sum(1 for e in exchanges if e.path == path)}"
        for path in dict.fromkeys(e.path for e in exchanges)
    )
    return (
        f"{name}: {len(exchanges)} round trips ({paths}; engine counted {run.report.rounds}),"
        f" {body_bytes(exchanges):,} body bytes, {sum(e.header_bytes for e in exchanges):,}"
        f" header bytes (approx.), {run.total * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="postgresql+psycopg://… (default: SQLite file)")
    parser.add_argument("--visits", type=int, default=10, help="visits in the day")
    parser.add_argument("--participants", type=int, default=8, help="per visit")
    parser.add_argument("--answers", type=int, default=14, help="checklist answers per visit")
    parser.add_argument("--agreements", type=int, default=3, help="per visit")
    parser.add_argument("--batch", type=int, default=MAX_BATCH, help="operations per push")
    parser.add_argument("--page", type=int, default=500, help="records per pulled page")
    parser.add_argument("--seed", type=int, default=20260310)
    args = parser.parse_args()
    shape = (
        ("participant", args.participants),
        ("checklist_response", args.answers),
        ("agreement", args.agreements),
    )

    log = WireLog()
    with scratch_database(args.database_url) as url:
        engine, sessions = open_server_database(url)
        add_user(sessions, "bench", ["15"])
        with serve_in_thread(sessions) as base_url:
            source: Device = sign_in(base_url, "bench", "Laptop A", log, seed=args.seed)
            target: Device = sign_in(base_url, "bench", "Laptop B", log, seed=args.seed + 1)
            operations = record_day(source.store, random.Random(args.seed), args.visits, shape)
            gc.collect()
            mark = log.mark()
            pushed = timed_sync(source, batch=args.batch, page=args.page)
            source_log = log.of(source.name, mark)
            mark = log.mark()
            pulled = timed_sync(target, batch=args.batch, page=args.page)
            target_log = log.of(target.name, mark)
            source.transport.close()
            target.transport.close()
        engine.dispose()

    count = len(operations)
    plain = gzip_plain_bytes(operations)
    push_bytes = body_bytes(source_log, "/v1/push")
    echo_bytes = body_bytes(source_log, "/v1/pull")
    pull_bytes = body_bytes(target_log, "/v1/pull")
    push_ratio, pull_ratio = push_bytes / plain, pull_bytes / plain
    worst = max(push_ratio, pull_ratio)
    rounds = {"device_a": len(source_log), "device_b": len(target_log)}
    ok = pushed.report.ok and pulled.report.ok and len(target.store.records()) == count
    sizes = field_sizes(operations)
    per_visit = 1 + args.participants + args.answers + args.agreements

    print(
        f"a day: {args.visits} visits × ({args.participants} participants, {args.answers}"
        f" checklist answers, {args.agreements} agreements) = {count} records, fields"
        f" {sum(sizes):,} bytes as JSON ({min(sizes)}–{max(sizes)} each);"
        f" batch {args.batch}, page {args.page}"
    )
    print(
        f"gzip of the records' plain JSON (one document): {plain:,} bytes, {plain / count:.0f}/rec."
    )
    for what, exchanges, path, ratio in (
        ("push (device A)", source_log, "/v1/push", push_ratio),
        ("pull (device B)", target_log, "/v1/pull", pull_ratio),
    ):
        sent = sum(e.request_body for e in exchanges if e.path == path)
        answered = sum(e.response_body for e in exchanges if e.path == path)
        print(
            f"{what}: requests {sent:,} + answers {answered:,} bytes ="
            f" {(sent + answered) / count:.0f}/rec. ({sent / count:.0f} + {answered / count:.0f}),"
            f" ratio {ratio:.2f}"
        )
    print(
        f"device A pulls its own {pushed.report.received} records back in the same sync:"
        f" {echo_bytes:,} bytes more (ratio of its whole sync"
        f" {body_bytes(source_log) / plain:.2f})"
    )
    print(describe("sync of device A (push the day)", pushed, source_log))
    print(describe("sync of device B (receive it)  ", pulled, target_log))
    for batch, page in ((args.batch, args.page), (MAX_BATCH, MAX_PAGE)):
        print(
            f"batch {batch}, page {page}: a device that pushes its day and pulls it back stays"
            f" within {ROUNDS_BUDGET} round trips up to {largest_day(batch, page, per_visit)}"
            f" visits of this shape ({largest_day(batch, page, per_visit) * per_visit} records)"
        )
    if not ok:
        print("FAILED: the day did not arrive whole on device B, or a sync did not finish clean")
    print(
        json.dumps(
            {
                "bench": "sync_wire",
                "records": count,
                "gzip_plain_bytes": plain,
                "push_bytes": push_bytes,
                "pull_bytes": pull_bytes,
                "echo_bytes": echo_bytes,
                "push_ratio": round(push_ratio, 2),
                "pull_ratio": round(pull_ratio, 2),
                "ratio": round(worst, 2),
                "budget": BYTES_BUDGET,
                "round_trips": rounds,
                "round_trips_budget": ROUNDS_BUDGET,
                "within_budget": worst <= BYTES_BUDGET
                and max(rounds.values()) <= ROUNDS_BUDGET
                and ok,
            }
        )
    )


if __name__ == "__main__":
    main()
