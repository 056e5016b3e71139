"""What encryption at rest costs: the same national profile read encrypted and plain, in one run.

The national-scale demo profile (encrypted, as every profile is) is exported once to a plain
copy. Then, side by side and alternating, median of 5:
- the visits list (20,000 visits) read through the repository, as the Visitas page does;
- a cold start's data: a fresh process that opens the database and reads the registry with the
  start-up's preview (plain sqlite3 for the plain copy, SQLCipher for the profile).
Last, the time to encrypt the plain copy in place, as a profile from before encryption is on
its first start. Budget: each encrypted/plain ratio at most 1.3.

    .venv/bin/python bench/encryption.py [--data-dir PROFILE]
"""

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from national import bench_key, national_profile

from instancias_desktop.db.cipher import apply_key, cipher_module
from instancias_desktop.db.encrypt import encrypt_in_place
from instancias_desktop.db.engine import create_local_engine
from instancias_desktop.db.uow import Database
from instancias_desktop.paths import ProfilePaths

ROUNDS = 5
BUDGET = 1.3
COLD = """
import sys, time
started = time.perf_counter()
from pathlib import Path
from instancias_desktop.db.registry_read import read_summaries
path, key = Path(sys.argv[1]), sys.argv[2]
if key:
    from instancias_desktop.db.cipher import apply_key, cipher_module
    connection = cipher_module().connect(str(path))
    apply_key(connection, bytes.fromhex(key))
else:
    import sqlite3
    connection = sqlite3.connect(str(path))
rows = list(read_summaries(connection))
print(len(rows), (time.perf_counter() - started) * 1000)
"""


def plain_copy(database: Path, key: bytes, target: Path) -> None:
    """The profile's database decrypted into a plain file (what a profile was before)."""
    connection = cipher_module().connect(str(database), isolation_level=None)
    apply_key(connection, key)
    connection.execute("ATTACH DATABASE ? AS plain KEY ''", (str(target),))
    connection.execute("SELECT sqlcipher_export('plain')")
    connection.execute("DETACH DATABASE plain")
    connection.close()


def visits_ms(path: Path, key: bytes | None) -> float:
    engine = create_local_engine(path, key)
    database = Database(engine, actor="bench")
    with database.reader() as uow:  # warm: the pool's connection, the schema read
        uow.visits.summaries()
    started = time.perf_counter()
    with database.reader() as uow:
        rows = uow.visits.summaries()
    elapsed = (time.perf_counter() - started) * 1000
    engine.dispose()
    assert len(rows) >= 20_000, len(rows)
    return elapsed


def cold_ms(path: Path, key: bytes | None) -> float:
    out = subprocess.run(
        [sys.executable, "-c", COLD, str(path), key.hex() if key else ""],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert int(out[0]) > 1_000, out
    return float(out[1])


def main() -> None:
    root = national_profile()
    key = bench_key(root)
    encrypted = ProfilePaths(root).database
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "sin-cifrar.sqlite3"
        plain_copy(encrypted, key, plain)
        figures: dict[str, list[float]] = {
            n: [] for n in ("visits", "visits_plain", "cold", "cold_plain")
        }
        for round_ in range(ROUNDS):
            sides = [(encrypted, key, ""), (plain, None, "_plain")]
            for path, side_key, suffix in sides if round_ % 2 == 0 else reversed(sides):
                figures["visits" + suffix].append(visits_ms(path, side_key))
                figures["cold" + suffix].append(cold_ms(path, side_key))
        copy = Path(folder) / "a-cifrar.sqlite3"
        shutil.copyfile(plain, copy)
        started = time.perf_counter()
        encrypt_in_place(copy, key)
        migrate_s = time.perf_counter() - started
        size_mb = copy.stat().st_size / 1e6
    medians = {name: statistics.median(values) for name, values in figures.items()}
    ratios = {
        "visits_ratio": medians["visits"] / medians["visits_plain"],
        "cold_ratio": medians["cold"] / medians["cold_plain"],
    }
    print(
        f"visits list: {medians['visits']:.0f} ms encrypted, {medians['visits_plain']:.0f} ms"
        f" plain ({ratios['visits_ratio']:.2f}×)"
    )
    print(
        f"cold start's registry: {medians['cold']:.0f} ms encrypted,"
        f" {medians['cold_plain']:.0f} ms plain ({ratios['cold_ratio']:.2f}×)"
    )
    print(f"encrypting the plain national profile ({size_mb:.0f} MB): {migrate_s:.1f} s")
    worst = max(ratios.values())
    print(
        json.dumps(
            {
                "bench": "encryption",
                **{k: round(v, 1) for k, v in medians.items()},
                **{k: round(v, 3) for k, v in ratios.items()},
                "migrate_s": round(migrate_s, 2),
                "database_mb": round(size_mb, 1),
                "ratio": round(worst, 3),
                "budget": BUDGET,
                "within_budget": worst <= BUDGET,
            }
        )
    )


if __name__ == "__main__":
    main()
