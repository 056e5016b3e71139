"""The UI benchmarks on two commits in one run, interleaved: the ratio new/old of each figure.

    .venv/bin/python bench/ui_ab.py --old b52928f [--new HEAD] [--rounds 3] [--data-dir DIR]

Sides. A commit is checked out with ``git worktree add`` in a temporary folder, removed at the
end; ``--new worktree`` (the default) is this repository's working tree as it is. Every process of
a side runs with the side's folder as cwd and first on PYTHONPATH, ahead of the venv's editable
install (a meta-path finder after PathFinder); a child of each side prints
``instancias_desktop.__file__`` first, and the run stops unless it lies in the side's folder.

Scripts. Each side runs its own ``startup.py``, ``filter_keystroke.py`` and ``visit_open.py`` (with
its own ``_probe.py`` and ``national.py``): a script drives its commit's internals (pages, signals,
services), so the side's own is the one sure to time that code as intended, and it reports what a
standalone run of that commit would. When the old side lacks a script, or its script fails before
giving any figures, the new side's script runs for it (the table says so); the table also flags
scripts that differ between the sides, whose ratios then compare two ways of measuring.

Profiles. Each demo writes its commit's schema and an older app refuses a newer one, so each side
gets a national-scale profile built by its own demo (the sizes of ``national.py``): what a
standalone run of that commit measures, newer data included. ``--same-data`` gives the new side a
copy of the old side's profile migrated forward once, untimed, by the new app: the same rows on
both sides, code alone compared. Profiles are cached under ``--data-dir`` (default
/tmp/instancias-ui-ab) by day (the demo dates from today) and a hash of the migrations and demo
package; sides with the same hash share one build, earlier days' builds are deleted. Runs write to
the profile (settings, logs, the draft of ``visit_open.py``): every run gets a fresh copy.

Rounds. In each round every bench runs once per side, back to back, the first side alternating
between rounds, so machine noise hits both alike. A figure is a number of a bench's last JSON line;
the table shows the median over rounds per side, new/old (``!`` when ≥ ``--flag``) and new/old of
each round. Then the budget of each bench for the new side; last, one JSON line with every ratio.
"""

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from national import NATIONAL

REPO = Path(__file__).resolve().parent.parent
BENCHES = ("startup", "startup_loaded", "filter_keystroke", "visit_open")
HELPERS = ("_probe.py", "national.py")
TIMEOUT_S = 1800
MIGRATE = (  # what the app does when it opens an older profile
    "import sys, os, pathlib; from instancias_desktop.paths import ProfilePaths;"
    " from instancias_desktop.services.profile import open_services;"
    " from instancias_desktop.settings import Settings;"
    " from instancias_desktop.services.profile_keys import tool_key;"
    " paths = ProfilePaths(pathlib.Path(sys.argv[1]));"
    " key = tool_key(paths, os.environ['INSTANCIAS_PASSPHRASE']);"
    " open_services(paths, Settings(author='bench'), key=key).close()"
)

Run = dict[str, object]  # a bench's last JSON line


@dataclass
class Side:
    name: str  # "old" or "new"
    label: str  # the revision and its commit, or "worktree"
    root: Path
    profile: Path = Path()
    script_dir: dict[str, Path] = field(default_factory=dict)  # bench -> folder of its script
    runs: dict[str, dict[int, Run]] = field(default_factory=dict)  # bench -> round -> run

    def run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(self.root), env.get("PYTHONPATH")]))
        return subprocess.run(
            [sys.executable, *args],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def checkout(name: str, rev: str, worktrees: dict[str, Path]) -> Side:
    """The working tree itself, or a worktree of the commit (shared when both sides name it)."""
    if rev == "worktree":
        return Side(name, "worktree", REPO)
    sha = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    if sha not in worktrees:
        folder = Path(tempfile.mkdtemp(prefix=f"uiab-{sha[:7]}-"))
        git("worktree", "add", "--detach", str(folder), sha)
        worktrees[sha] = folder
    return Side(name, sha[:7] if sha.startswith(rev) else f"{rev} ({sha[:7]})", worktrees[sha])


def verify_imports(side: Side) -> None:
    """The side's instancias_desktop is the one imported; its bytecode compiled, as installed."""
    side.run(["-m", "compileall", "-q", "instancias_desktop", "sync"])
    code = "import instancias_desktop, instancias_desktop.app; print(instancias_desktop.__file__)"
    done = side.run(["-c", code])
    where = Path(done.stdout.strip() or "?").resolve()
    print(f"{side.name} = {side.label}: instancias_desktop from {where}")
    if done.returncode or not where.is_relative_to(side.root.resolve()):
        sys.exit(f"{side.name}: wrong or broken instancias_desktop\n{done.stderr[-2000:]}")


def profile_key(root: Path) -> str:
    digest = hashlib.sha256(" ".join(NATIONAL).encode())  # the day comes first in the name
    package = root / "instancias_desktop"
    for folder in (package / "db" / "migrations" / "versions", package / "demo"):
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_profile(side: Side, cache: Path, source: Side | None = None) -> None:
    """Built by the side's own demo, or a copy of source's migrated by the side's app; cached."""
    key = profile_key(side.root)
    if source is not None and profile_key(source.root) == key:
        source = None  # same schema and demo: the same build
    today = time.strftime("%Y-%m-%d")
    name = key if source is None else f"{profile_key(source.root)}-as-{key}"
    side.profile = cache / f"profile-{today}-{name}"
    if (side.profile / ".built").exists():
        print(f"{side.name}: cached profile {side.profile}")
        return
    partial = side.profile.with_name(side.profile.name + ".partial")
    stale = [p for p in cache.glob("profile-*") if not p.name.startswith(f"profile-{today}-")]
    for unfinished in (partial, side.profile, *stale):
        shutil.rmtree(unfinished, ignore_errors=True)
    started = time.monotonic()
    if source is None:
        print(f"{side.name}: building a national profile in {side.profile} …", flush=True)
        done = side.run(["-m", "instancias_desktop.demo", "--data-dir", str(partial), *NATIONAL])
    else:
        print(f"{side.name}: migrating a copy of {source.profile} …", flush=True)
        shutil.copytree(source.profile, partial)
        done = side.run(["-c", MIGRATE, str(partial)])
        shutil.rmtree(partial / "backups", ignore_errors=True)  # the copy taken before migrating
    if done.returncode:
        sys.exit(f"{side.name}: profile not made\n{done.stdout[-1000:]}{done.stderr[-2000:]}")
    (partial / ".built").touch()
    partial.rename(side.profile)
    print(f"{side.name}: profile ready in {time.monotonic() - started:.0f} s", flush=True)


def run_bench(side: Side, new: Side, bench: str, round_no: int, scratch: Path) -> None:
    """One run on a fresh copy of the side's profile; the new side's script as a fallback."""
    own = side.root / "bench"
    side.script_dir.setdefault(bench, own if (own / f"{bench}.py").exists() else new.root / "bench")
    runs = side.runs.setdefault(bench, {})
    while True:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(side.profile, scratch)
        script = side.script_dir[bench] / f"{bench}.py"
        started = time.monotonic()
        done = side.run([str(script), "--data-dir", str(scratch)])
        took = time.monotonic() - started
        print(f"  {bench:<17} {side.name:<3} {took:6.1f} s  {script}", flush=True)
        last = (done.stdout.strip().splitlines() or [""])[-1]
        if done.returncode == 0 and last.startswith("{"):
            runs[round_no] = json.loads(last)
            return
        print(f"    failed (exit {done.returncode}):\n{done.stderr[-1500:]}", file=sys.stderr)
        if side.script_dir[bench] == new.root / "bench" or runs:
            return  # no figures this round: one side's medians never mix two scripts
        side.script_dir[bench] = new.root / "bench"
        print(f"    {side.name}: its {bench}.py does not run, the new side's instead", flush=True)


def figures_of(run: Run) -> dict[str, float]:
    """The numbers of a bench's JSON line, budgets and flags left out."""
    return {
        key: float(value)
        for key, value in run.items()
        if isinstance(value, int | float) and not isinstance(value, bool) and "budget" not in key
    }


def medians(runs: list[Run]) -> dict[str, float]:
    numbers = [figures_of(run) for run in runs]
    keys = dict.fromkeys(key for run in numbers for key in run)
    return {key: statistics.median(run[key] for run in numbers if key in run) for key in keys}


def script_note(bench: str, old: Side, new: Side) -> str:
    old_dir, new_dir = old.script_dir[bench], new.script_dir[bench]
    if old_dir == new_dir:
        return ""
    if old_dir == new.root / "bench":
        return "  (old side ran the NEW side's script)"

    def text(folder: Path, name: str) -> bytes:
        return (folder / name).read_bytes() if (folder / name).exists() else b""

    same = all(text(old_dir, name) == text(new_dir, name) for name in (f"{bench}.py", *HELPERS))
    return "" if same else "  (the sides' scripts differ: two ways of measuring)"


def cell(value: float | None, spec: str = ".6g", mark: str = "") -> str:
    return "n/a" if value is None else f"{value:{spec}}{mark}"


def report(old: Side, new: Side, benches: list[str], flag: float) -> dict[str, float | None]:
    ratios: dict[str, float | None] = {}
    print(f"\nold = {old.label}, new = {new.label}; medians over rounds")
    print(f"{'figure':<32} {'old':>9} {'new':>9} {'new/old':>8}  each round's new/old")
    for bench in benches:
        print(bench + script_note(bench, old, new))
        old_runs, new_runs = old.runs[bench], new.runs[bench]
        old_m, new_m = medians(list(old_runs.values())), medians(list(new_runs.values()))
        if not old_m or not new_m:
            print(f"  no figures: old ran {len(old_runs)} times, new {len(new_runs)}")
        pairs = [
            (figures_of(old_runs[r]), figures_of(new_runs[r])) for r in old_runs if r in new_runs
        ]
        for key in dict.fromkeys([*new_m, *old_m]):
            a, b = old_m.get(key), new_m.get(key)
            ratio = ratios[f"{bench}.{key}"] = round(b / a, 3) if a and b is not None else None
            each = " ".join(f"{n[key] / o[key]:.2f}" for o, n in pairs if o.get(key) and key in n)
            mark = "!" if ratio is not None and ratio >= flag else ""
            print(f"  {key:<30} {cell(a):>9} {cell(b):>9} {cell(ratio, '.3f', mark):>8}  {each}")
    print(f"\nbudgets, new side ({new.label}):")
    for bench in benches:
        runs = list(new.runs[bench].values())
        budget = {k: v for k, v in (runs or [{}])[-1].items() if k.startswith("budget")}
        ok = sum(bool(run.get("ok")) for run in runs)
        shown = cell(medians(runs).get("ratio"), ".3g")
        print(f"  {bench}: {budget}; median ratio {shown}; ok in {ok}/{len(runs)} runs")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", required=True, help="a git revision")
    parser.add_argument("--new", default="worktree", help="a git revision, or 'worktree'")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data-dir", default="/tmp/instancias-ui-ab", help="profile cache")
    parser.add_argument("--bench", action="append", choices=BENCHES, help="only these benches")
    parser.add_argument("--same-data", action="store_true", help="old's profile on both sides")
    parser.add_argument("--flag", type=float, default=1.10, help="mark ratios at or above")
    args = parser.parse_args()
    benches = args.bench or list(BENCHES)
    cache = Path(args.data_dir).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    worktrees: dict[str, Path] = {}
    try:
        old = checkout("old", args.old, worktrees)
        new = checkout("new", args.new, worktrees)
        for side in (old, new):
            verify_imports(side)
        prepare_profile(old, cache)
        prepare_profile(new, cache, old if args.same_data else None)
        with tempfile.TemporaryDirectory(prefix="uiab-run-", dir=cache) as scratch:
            for round_no in range(args.rounds):
                order = (old, new) if round_no % 2 == 0 else (new, old)
                print(f"round {round_no + 1}/{args.rounds}: {order[0].name} first", flush=True)
                for bench in benches:
                    for side in order:
                        run_bench(side, new, bench, round_no, Path(scratch) / "profile")
        ratios = report(old, new, benches, args.flag)
    finally:
        for folder in worktrees.values():
            git("worktree", "remove", "--force", str(folder))
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    print(f"\n{args.rounds} rounds, platform {platform}, {time.monotonic() - started:.0f} s in all")
    data = "old's, migrated" if args.same_data else "each side's own demo"
    summary = {"bench": "ui_ab", "old": old.label, "new": new.label, "data": data}
    print(json.dumps({**summary, "rounds": args.rounds, "ratios": ratios}))


if __name__ == "__main__":
    main()
