"""A day's work synced over a slow, lossy link: 256 kbit/s, 400 ms round trips, 5 % lost.

Device A pushes a typical day (10 visits with their participants, checklist answers and
agreements) and pulls; device B receives it. The link is simulated on top of real HTTP on
loopback (``sync.simulated_link``): its time is counted, not waited for (``--real-time`` waits
it). Seeded, so a run is repeatable. Reports simulated seconds, bytes and requests per device.
"""

import argparse
import json
import random
import time

from sync_data import DAY_SHAPE, record_day
from sync_rig import (
    PASSWORD,
    add_user,
    open_server_database,
    scratch_database,
    serve_in_thread,
)

from sync.client import SyncEngine
from sync.memory_store import MemoryStore
from sync.simulated_link import LinkProfile, SimulatedLink, VirtualClock
from sync.transport_http import HttpTransport


def device_sync(
    base_url: str, name: str, store: MemoryStore, profile: LinkProfile, seed: int, real: bool
) -> dict[str, float | int]:
    """Sign in (not timed), then one full sync over the simulated link."""
    clock = VirtualClock()
    link = SimulatedLink(profile, seed=seed, sleep=time.sleep if real else clock.sleep)
    transport = HttpTransport(
        base_url, session=link, sleep=time.sleep if real else clock.sleep, retries=6
    )
    transport.login("bench", PASSWORD, name)
    link.sent_bytes = link.received_bytes = link.lost_requests = link.lost_answers = 0
    clock.seconds = 0.0
    started = time.perf_counter()
    report = SyncEngine(store, transport).sync()
    wall = time.perf_counter() - started
    transport.close()
    return {
        "seconds": round(wall if real else clock.seconds, 2),
        "sent_bytes": link.sent_bytes,
        "received_bytes": link.received_bytes,
        "round_trips": report.rounds,
        "lost": link.lost_requests + link.lost_answers,
        "ok": int(report.ok),
        "records": report.sent or report.received,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", type=int, default=10)
    parser.add_argument("--kbps", type=float, default=256)
    parser.add_argument("--latency", type=float, default=0.4, help="round trip, seconds")
    parser.add_argument("--loss", type=float, default=0.05, help="share of requests lost")
    parser.add_argument("--seed", type=int, default=20260310)
    parser.add_argument("--real-time", action="store_true", help="wait the link's time")
    args = parser.parse_args()
    profile = LinkProfile(args.kbps * 1000, args.latency, args.loss)
    with scratch_database(None) as url:
        engine, sessions = open_server_database(url)
        add_user(sessions, "bench", ["15"])
        with serve_in_thread(sessions) as base_url:
            source = MemoryStore("bench")
            operations = record_day(source, random.Random(args.seed), args.visits, DAY_SHAPE)
            pushed = device_sync(base_url, "Laptop A", source, profile, args.seed, args.real_time)
            target = MemoryStore("bench")
            pulled = device_sync(
                base_url, "Laptop B", target, profile, args.seed + 1, args.real_time
            )
        engine.dispose()
    print(
        f"a day: {args.visits} visits, {len(operations)} records; link {args.kbps:g} kbit/s,"
        f" {args.latency * 1000:.0f} ms round trip, {args.loss:.0%} of requests lost"
    )
    for name, run in (("device A (push its day)", pushed), ("device B (receive it)", pulled)):
        print(
            f"{name}: {run['seconds']} s, {run['sent_bytes']:,} bytes sent,"
            f" {run['received_bytes']:,} received, {run['round_trips']} round trips,"
            f" {run['lost']} lost and retried, complete: {bool(run['ok'])}"
        )
    print(
        json.dumps(
            {
                "bench": "sync_slow_link",
                "records": len(operations),
                "push_seconds": pushed["seconds"],
                "push_bytes_sent": pushed["sent_bytes"],
                "receive_seconds": pulled["seconds"],
                "receive_bytes_received": pulled["received_bytes"],
                "lost_and_retried": pushed["lost"] + pulled["lost"],
                "complete": bool(pushed["ok"] and pulled["ok"]),
                "simulated": not args.real_time,
            }
        )
    )


if __name__ == "__main__":
    main()
