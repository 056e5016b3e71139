"""Sync under load: many devices push their operations and pull at once against one server."""

import argparse
import gc
import json
import random
import re
import statistics
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sync_data import (
    record_operations,
)
from sync_rig import (
    Device,
    Exchange,
    TimedSync,
    WireLog,
    add_user,
    open_server_database,
    scratch_database,
    serve_command,
    serve_in_child,
    serve_in_thread,
    sign_in,
    timed_sync,
)

from sync.protocol import MAX_BATCH

ERRORS_BUDGET = 0
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception)\b")


def territory(group: int) -> str:
    """A province-level ubigeo prefix per group of devices (1501…1599, then 1601…)."""
    return f"{15 + group // 99:02d}{group % 99 + 1:02d}"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0–1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


# ---------------------------------------------------------------------------- the server


def server_faults(server_log: Path) -> Counter[str]:
    """Per fault uvicorn logged («Exception in ASGI application»), its outermost exception."""
    faults: Counter[str] = Counter()
    text = server_log.read_text(errors="replace") if server_log.exists() else ""
    for block in text.split("Exception in ASGI application")[1:]:
        finals = [line for line in block.splitlines() if EXCEPTION_LINE.match(line)]
        faults[finals[-1][:160] if finals else "?"] += 1
    return faults


# ---------------------------------------------------------------------------- the devices


@dataclass
class Outcome:
    """What one device's sync did (or the error that stopped it)."""

    device: str
    run: TimedSync | None = None
    error: str = ""


def run_device(device: Device, start: threading.Barrier, batch: int, page: int) -> Outcome:
    start.wait()
    try:
        return Outcome(device.name, timed_sync(device, batch=batch, page=page))
    except Exception as error:  # reported, never raised: the other devices go on
        return Outcome(device.name, error=f"{type(error).__name__}: {error}".strip())


def run_all(devices: list[Device], batch: int, page: int) -> tuple[list[Outcome], float]:
    """Every device syncs once, all released at the same instant; answer the wall time."""
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    start = threading.Barrier(len(devices) + 1)

    def work(device: Device) -> None:
        outcome = run_device(device, start, batch, page)
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=work, args=(d,), daemon=True) for d in devices]
    for thread in threads:
        thread.start()
    gc.collect()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return outcomes, time.perf_counter() - began


def latency_line(name: str, exchanges: list[Exchange]) -> str:
    times = [e.seconds * 1000 for e in exchanges]
    if not times:
        return f"{name:10} no requests"
    return (
        f"{name:10} {len(times):5} requests  p50 {percentile(times, 0.50):7.1f} ms"
        f"  p95 {percentile(times, 0.95):7.1f} ms  p99 {percentile(times, 0.99):7.1f} ms"
        f"  max {max(times):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="postgresql+psycopg://… (default: SQLite file)")
    parser.add_argument("--devices", type=int, default=50, help="devices syncing at once")
    parser.add_argument("--ops", type=int, default=1_000, help="operations each device pushes")
    parser.add_argument("--share", type=int, default=2, help="devices per territory")
    parser.add_argument("--batch", type=int, default=MAX_BATCH, help="operations per push")
    parser.add_argument("--page", type=int, default=500, help="records per pulled page")
    parser.add_argument("--in-process", action="store_true", help="server in a thread, not a child")
    parser.add_argument("--workers", type=int, default=1,
                        help="N > 1: the real «serve --workers N» command in a child")  # fmt: skip
    parser.add_argument("--seed", type=int, default=20260310)
    args = parser.parse_args()

    log = WireLog()
    rng = random.Random(args.seed)
    with (
        tempfile.TemporaryDirectory(prefix="bench-sync-load-") as folder,
        scratch_database(args.database_url) as url,
    ):
        server_log = Path(folder) / "server.log"
        engine, sessions = open_server_database(url)
        backend = engine.dialect.name
        for n in range(args.devices):
            add_user(sessions, f"dev{n:03d}", [territory(n // args.share)])
        if args.workers > 1:
            server = serve_command(url, args.workers, server_log)
        else:
            server = (
                serve_in_thread(sessions) if args.in_process else serve_in_child(url, server_log)
            )
        with server as base_url:
            devices = [
                sign_in(base_url, f"dev{n:03d}", f"dev{n:03d}", log, seed=args.seed + n)
                for n in range(args.devices)
            ]
            territory_holds: dict[int, set[tuple[str, object]]] = {}
            for n, device in enumerate(devices):
                prefix = territory(n // args.share)
                scopes = tuple(f"{prefix}{district:02d}" for district in range(1, 6))
                made = record_operations(device.store, args.ops, rng.randrange(2**31), scopes)
                # Devices of one territory create the same instancias (their ids derive from
                # the government unit): the server holds each once.
                territory_holds.setdefault(n // args.share, set()).update(
                    (operation.kind, operation.record_id) for operation in made
                )
                # Drop the login's kept-alive connection (the server closes it after 5 s idle):
                # each device opens a fresh one when it starts, as a laptop coming online does.
                device.session.close()
            mark = log.mark()
            outcomes, wall = run_all(devices, args.batch, args.page)
            timed = log.exchanges[mark:]
            # Not timed: every device syncs twice more (the first round sends what a failed
            # sync left pending) and must then hold its whole territory.
            settle, _ = run_all(devices, args.batch, args.page)
            final, _ = run_all(devices, args.batch, args.page)
            for device in devices:
                device.transport.close()
        engine.dispose()
        faults = server_faults(server_log)

    held = {d.name: len(d.store.records()) for d in devices}
    errors: list[str] = []
    for outcome in (*outcomes, *settle, *final):
        if outcome.error:
            errors.append(f"{outcome.device}: {outcome.error}")
        elif outcome.run is not None:
            report = outcome.run.report
            if report.rejected or report.unacknowledged:
                errors.append(
                    f"{outcome.device}: {len(report.rejected)} rejected,"
                    f" {report.unacknowledged} unacknowledged"
                )
    failed = [e for e in log.exchanges if not 200 <= e.status < 300]
    attempts = [
        f"{e.path} of {e.device}: {e.error or f'HTTP {e.status}'} after {e.seconds:.1f} s"
        for e in failed
    ]
    for n, device in enumerate(devices):
        wanted = len(territory_holds[n // args.share])
        if held[device.name] != wanted:
            errors.append(f"{device.name} holds {held[device.name]} records, not {wanted}")
    unresolved = [o.device for o in final if o.run is not None and not o.run.report.ok]
    errors += [f"{name}: digests still differ after the final sync" for name in unresolved]

    runs = [o.run for o in outcomes if o.run is not None]
    pushed = sum(r.report.sent for r in runs)
    received = sum(r.report.received for r in runs)
    syncs = [r.total for r in runs]
    all_ms = [e.seconds * 1000 for e in timed]
    mode = "in-process thread" if args.in_process else "child process"
    if args.workers > 1:
        mode = f"child process with {args.workers} workers"
    print(
        f"{backend}, server in a {mode}: {args.devices} devices at once ({args.share} per"
        f" territory), each pushing {args.ops:,} operations then pulling; batch {args.batch},"
        f" page {args.page}"
    )
    print(
        f"total {wall:.1f} s: {pushed:,} operations pushed ({pushed / wall:,.0f}/s overall),"
        f" {received:,} records pulled, {len(timed):,} HTTP requests"
    )
    if syncs:
        print(
            f"one device's sync: median {statistics.median(syncs):.1f} s, fastest"
            f" {min(syncs):.1f} s, slowest {max(syncs):.1f} s"
        )
    print(latency_line("all", timed))
    for path in ("/v1/push", "/v1/pull", "/v1/digest", "/v1/conflicts"):
        print(latency_line(path.removeprefix("/v1/"), [e for e in timed if e.path == path]))
    print(
        f"errors: {len(errors)} ({sum(1 for o in (*outcomes, *settle, *final) if o.error)}"
        " syncs stopped);"
        f" failed HTTP attempts: {len(failed)} (a 5xx other than 502–504 stops the sync;"
        " connection errors, timeouts and 502–504 are retried by HttpTransport)"
    )
    for line in (*errors[:20], *attempts[:20]):
        print(f"  {line}")
    for fault, times in faults.most_common(5):
        print(f"  server logged {times}×: {fault}")
    print(
        json.dumps(
            {
                "bench": "sync_load",
                "database": backend,
                "server": "thread" if args.in_process else "process",
                "workers": args.workers,
                "devices": args.devices,
                "ops_per_device": args.ops,
                "total_s": round(wall, 2),
                "requests": len(timed),
                "p50_ms": round(percentile(all_ms, 0.50), 1) if all_ms else None,
                "p95_ms": round(percentile(all_ms, 0.95), 1) if all_ms else None,
                "p99_ms": round(percentile(all_ms, 0.99), 1) if all_ms else None,
                "errors": len(errors),
                "failed_attempts": len(failed),
                "budget": {"errors": ERRORS_BUDGET},
                "within_budget": len(errors) <= ERRORS_BUDGET,
            }
        )
    )


if __name__ == "__main__":
    main()
