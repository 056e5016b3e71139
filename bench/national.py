"""Shared by the benchmarks: a national-scale demo profile, built once per run."""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

NATIONAL = ["--visits", "20000", "--participants", "200000"]


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
