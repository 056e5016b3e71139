"""Shared by the benchmarks: a national-scale demo profile, built once per run, and its key."""

import argparse
import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

NATIONAL = ["--visits", "20000", "--participants", "200000"]
PASSPHRASE_ENV = "INSTANCIAS_PASSPHRASE"  # as the demo and the tests read it (never the app)
# Benchmarks take the passphrase from the environment when it is set, as backup tools do.
os.environ.setdefault(PASSPHRASE_ENV, "frase de las mediciones 2026")


@functools.lru_cache(maxsize=4)
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


KEY_ENV = "INSTANCIAS_BENCH_KEY"  # the key derived once by the parent, for timed children


def with_key(root: Path, env: dict[str, str]) -> dict[str, str]:
    """A child's environment carrying the profile's key, derived here (outside its timing)."""
    return {**env, KEY_ENV: bench_key(root).hex()}


def child_key(root: Path) -> bytes:
    """In a timed child: the key its parent derived, as typing the passphrase would give it."""
    given = os.environ.get(KEY_ENV)
    return bytes.fromhex(given) if given else bench_key(root)
