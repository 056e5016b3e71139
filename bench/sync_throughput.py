"""Sync throughput over loopback HTTP: push 10,000 operations, pull them into an empty device."""

import argparse
import gc
import json
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import Column, Engine, Index, MetaData, Table, insert
from sync_data import NOW, field_sizes, record_operations
from sync_rig import (
    WireLog,
    add_user,
    open_server_database,
    scratch_database,
    serve_in_child,
    sign_in,
    timed_sync,
)

from sync.protocol import MAX_BATCH, Operation
from sync.server.store import Record

BUDGET = 5.0
RAW_RUNS = 3


# ---------------------------------------------------------------------------- the peer


def raw_insert_seconds(engine: Engine, operations: list[Operation], owner: str) -> float:
    """SQLAlchemy Core executemany of the same rows into a scratch table like ``records``."""
    metadata = MetaData()
    columns = [
        Column(
            c.name,
            c.type,
            primary_key=c.primary_key,
            nullable=c.nullable,
            unique=bool(c.unique),
            index=bool(c.index),
        )
        for c in Record.__table__.columns
    ]
    table = Table("bench_raw_records", metadata, *columns)
    Index("ix_bench_raw_records_kind_scope", table.c.kind, table.c.scope)
    rows = [
        {
            "kind": op.kind,
            "record_id": op.record_id,
            "version": 1,
            "fields": op.fields,
            "deleted": False,
            "scope": op.scope,
            "parent_id": op.parent_id,
            "owner": owner,
            "updated_by": owner,
            "seq": n,
            "updated_at": NOW,
        }
        for n, op in enumerate(operations, start=1)
    ]
    metadata.drop_all(engine)
    metadata.create_all(engine)
    try:
        gc.collect()
        started = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(insert(table), rows)
        return time.perf_counter() - started
    finally:
        metadata.drop_all(engine)


# ---------------------------------------------------------------------------- the bench


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="postgresql+psycopg://… (default: SQLite file)")
    parser.add_argument("--ops", type=int, default=10_000, help="operations pushed")
    parser.add_argument("--batch", type=int, default=MAX_BATCH, help="operations per push")
    parser.add_argument("--page", type=int, default=500, help="records per pulled page")
    parser.add_argument("--seed", type=int, default=20260310)
    args = parser.parse_args()

    log = WireLog()
    with (
        tempfile.TemporaryDirectory(prefix="bench-sync-throughput-") as folder,
        scratch_database(args.database_url) as url,
    ):
        engine, sessions = open_server_database(url)
        backend = engine.dialect.name
        add_user(sessions, "bench", ["15"])
        # The server in its own process, as deployed: its own interpreter lock and heap.
        with serve_in_child(url, Path(folder) / "server.log") as base_url:
            source = sign_in(base_url, "bench", "Laptop A", log, seed=args.seed)
            target = sign_in(base_url, "bench", "Laptop B", log, seed=args.seed + 1)
            operations = record_operations(source.store, args.ops, args.seed)
            sizes = field_sizes(operations)
            raw = [raw_insert_seconds(engine, operations, "bench") for _ in range(RAW_RUNS)]
            raw_s = statistics.median(raw)

            gc.collect()
            mark = log.mark()
            pushed = timed_sync(source, batch=args.batch, page=args.page)
            push_log = log.of(source.name, mark)
            gc.collect()
            mark = log.mark()
            pulled = timed_sync(target, batch=args.batch, page=args.page)
            pull_log = log.of(target.name, mark)
            source.transport.close()
            target.transport.close()
        engine.dispose()

    count = len(operations)
    received = len(target.store.records())
    failures = [
        problem
        for problem, bad in (
            (f"push: {len(pushed.report.rejected)} rejected", pushed.report.rejected),
            (f"push: only {pushed.report.applied} applied", pushed.report.applied != count),
            (f"pull: {received} records on the second device", received != count),
            ("a sync did not finish clean", not (pushed.report.ok and pulled.report.ok)),
        )
        if bad
    ]
    push_rate, pull_rate, raw_rate = count / pushed.push, count / pulled.pull, count / raw_s
    push_ratio, pull_ratio = pushed.push / raw_s, pulled.pull / raw_s
    worst = max(push_ratio, pull_ratio)

    print(
        f"{backend}: {count:,} operations (visits with participants, checklist answers,"
        f" agreements), fields {min(sizes)}–{max(sizes)} bytes, median"
        f" {statistics.median(sizes):.0f}; batch {args.batch}, page {args.page}"
    )
    print(
        f"raw bulk insert (Core executemany, same rows, scratch table like records):"
        f" {raw_s * 1000:7.0f} ms, {raw_rate:9,.0f} records/s"
        f" (median of {RAW_RUNS}: {', '.join(f'{s * 1000:.0f}' for s in raw)} ms)"
    )
    print(
        f"push, device A:  {pushed.push * 1000:7.0f} ms, {push_rate:9,.0f} records/s,"
        f" {sum(1 for e in push_log if e.path == '/v1/push')} requests,"
        f" ratio {push_ratio:.2f}"
    )
    print(
        f"pull, device B:  {pulled.pull * 1000:7.0f} ms, {pull_rate:9,.0f} records/s,"
        f" {sum(1 for e in pull_log if e.path == '/v1/pull')} requests,"
        f" ratio {pull_ratio:.2f}"
    )
    print(
        f"device A's whole sync {pushed.total:.2f} s (its pull-back of its own"
        f" {pushed.report.received:,} records {pushed.pull:.2f} s, digest+conflicts"
        f" {pushed.rest * 1000:.0f} ms); device B's whole sync {pulled.total:.2f} s"
        f" (digest+conflicts {pulled.rest * 1000:.0f} ms)"
    )
    for problem in failures:
        print(f"FAILED: {problem}")
    print(
        json.dumps(
            {
                "bench": "sync_throughput",
                "database": backend,
                "records": count,
                "push_records_per_s": round(push_rate),
                "pull_records_per_s": round(pull_rate),
                "raw_records_per_s": round(raw_rate),
                "push_ratio": round(push_ratio, 2),
                "pull_ratio": round(pull_ratio, 2),
                "ratio": round(worst, 2),
                "budget": BUDGET,
                "within_budget": worst <= BUDGET,
                "push_s": round(pushed.push, 3),
                "pull_s": round(pulled.pull, 3),
                "raw_s": round(raw_s, 4),
                "errors": len(failures),
            }
        )
    )


if __name__ == "__main__":
    main()
