"""Shared by the benchmarks: a national-scale demo profile, built once per run, and its key."""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

NATIONAL = ["--visits", "20000", "--participants", "200000"]
PASSPHRASE_ENV = "INSTANCIAS_PASSPHRASE"  # as the demo and the tests read it (never the app)
# Benchmarks take the passphrase from the environment when it is set, as backup tools do.
os.environ.setdefault(PASSPHRASE_ENV, "frase de las mediciones 2026")


def bench_key(root: Path) -> bytes:
    """The profile's key from the passphrase in the environment (derived once, untimed)."""
    from instancias_desktop.paths import ProfilePaths  # noqa: PLC0415
    from instancias_desktop.services.profile_keys import tool_key  # noqa: PLC0415

    return tool_key(ProfilePaths(root), os.environ[PASSPHRASE_ENV])


def national_profile(argv: list[str] | None = None) -> Path:
    """The profile named by --data-dir, or a new one filled with national-scale demo data."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir")
    args, _rest = parser.parse_known_args(argv)
    if args.data_dir:
        return Path(args.data_dir)
    root = Path(tempfile.mkdtemp(prefix="instancias-bench-"))
    print(f"building a national-scale demo profile in {root} …", flush=True)
    subprocess.run(
        [sys.executable, "-m", "instancias_desktop.demo", "--data-dir", str(root), *NATIONAL],
        check=True,
    )
    return root
