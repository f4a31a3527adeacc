"""Time `manage.py load_demo` into fresh databases, as `make demo` runs it.

    .venv/bin/python -m bench.demo --repeat 3

Each run migrates a new SQLite file and loads the demo in a separate process; the load's own
report of its seconds is collected. Nothing is asserted: see docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

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


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.demo", description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    seconds = []
    for run in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            seconds.append(load_once(f"sqlite:///{folder}/demo.sqlite3"))
        print(f"run {run + 1}: {seconds[-1]:.1f} s")
    print(f"median {statistics.median(seconds):.1f} s, min {min(seconds):.1f} s")


if __name__ == "__main__":
    main()
