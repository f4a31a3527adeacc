"""Time `manage.py load_demo` into fresh databases, as `make demo` runs it.

    .venv/bin/python -m bench.demo --repeat 3
    .venv/bin/python -m bench.demo --rollups

Each run migrates a new SQLite file and loads the demo in a separate process; the load's own
report of its seconds is collected. `--rollups` instead loads once in this process with the
rollup upkeep of every action timed, to show its share of the load. Nothing is asserted: see
docs/performance.md.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import setup_django

ROOT = Path(__file__).resolve().parent.parent


def _manage(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def load_once(database_url: str) -> float:
    env = {**os.environ, "DATABASE_URL": database_url, "LANGUAGE": "en"}
    env.pop("DUCHA_DEBUG", None)
    _manage(env, "migrate", "--verbosity", "0")
    output = _manage(env, "load_demo")
    found = re.search(r"(\d+(?:\.\d+)?)\s*(?:s\b|秒)", output)
    if found is None:
        raise SystemExit(f"no time in the load's report:\n{output}")
    return float(found.group(1))


def rollup_share(folder: str) -> None:
    """One load in this process, timing `record_change` as the actions call it."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/demo.sqlite3"
    os.environ.pop("DUCHA_DEBUG", None)
    setup_django()

    from django.core.management import call_command

    import ducha.problems.actions as actions

    record_change = actions.record_change
    spent: list[float] = []

    def timed(before: Any, after: Any) -> None:
        start = time.perf_counter()
        record_change(before, after)
        spent.append(time.perf_counter() - start)

    call_command("migrate", verbosity=0)
    actions.record_change = timed
    start = time.perf_counter()
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    total = time.perf_counter() - start
    print(
        f"load {total:.2f} s; rollup upkeep {sum(spent):.2f} s over {len(spent)} actions "
        f"({sum(spent) / max(len(spent), 1) * 1000:.2f} ms an action)"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.demo", description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rollups", action="store_true", help="time the rollup upkeep")
    args = parser.parse_args(argv)
    if args.rollups:
        with tempfile.TemporaryDirectory() as folder:
            rollup_share(folder)
        return
    seconds = []
    for run in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            seconds.append(load_once(f"sqlite:///{folder}/demo.sqlite3"))
        print(f"run {run + 1}: {seconds[-1]:.1f} s")
    print(f"median {statistics.median(seconds):.1f} s, min {min(seconds):.1f} s")


if __name__ == "__main__":
    main()
