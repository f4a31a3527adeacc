"""`python -m bench.load`: see bench/load/__init__.py."""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.load import checks, faults
from bench.load.cpu import CpuByPart
from bench.load.stack import ROOT, LoadStack, replica, serve
from bench.load.workload import Workload


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    from bench import load

    parser = argparse.ArgumentParser(prog="python -m bench.load", description=load.__doc__)
    parser.add_argument("--database", default="ducha_load", help="on the local primary")
    parser.add_argument("--prepare", action="store_true", help="make it anew with the demo")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second")
    parser.add_argument("--clients", type=int, default=64, help="client threads")
    parser.add_argument("--web-workers", type=int, default=1, help="processes per app server")
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--import-rows", type=int, default=6000)
    parser.add_argument(
        "--capacity-seconds", type=float, default=30.0, help="each of 1 and 2 app servers; 0: none"
    )
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "var" / "load" / "result.json"))
    return parser.parse_args(argv)


def environment(serve_dir: Path, database: str) -> dict[str, str]:
    env = serve.loopback_environment(serve_dir, "127.0.0.1:0")
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        DUCHA_REPLICA_URL=f"postgres://postgres@127.0.0.1:5433/{database}",
        DUCHA_CELERY_BROKER_URL="redis://127.0.0.1:6379/7",
        # An import whose worker was killed is resumed a minute after, not five.
        DUCHA_LEDGER_IMPORT_LEASE="60",
        # The sweep that makes the notifications a killed worker lost runs every minute.
        DUCHA_NOTIFY_SWEEP_SECONDS="60",
        # No access log: a line a request would cost the same cores the load runs on.
        DUCHA_WEB_ACCESS_LOG="",
    )
    return env


def prepare(database: str) -> None:
    from django.core.management import call_command
    from django.db import connections

    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database])
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    call_command("migrate", verbosity=0)
    call_command("load_demo")
    connections.close_all()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    serve_dir = ROOT / "var" / "load"
    serve_dir.mkdir(parents=True, exist_ok=True)
    os.environ.clear()
    os.environ.update(environment(serve_dir, args.database))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    if args.prepare:
        prepare(args.database)
    print("load: replica up (deploy/replica.sh)", flush=True)
    replica("up")
    call_command("collectstatic", interactive=False, verbosity=0)
    casts, province, seeds = checks.cast()
    users = {c.office for c in casts} | {c.handler for c in casts} | {province}
    tokens = checks.issue_tokens(users)
    stack = LoadStack(serve_dir, dict(os.environ), https_port=18443, web_ports=[18001, 18002])
    stack.start(args.web_workers, args.web_threads)
    rng = random.Random(7)
    seconds = args.minutes * 60
    report: dict[str, Any] = {"args": vars(args)}
    try:
        work = Workload(stack.base, str(stack.cert), tokens, casts, province, seeds, rng)
        print("load: warming up for 20 s", flush=True)
        work.run(args.rate / 2, 20, args.clients)
        work = Workload(stack.base, str(stack.cert), tokens, casts, province, seeds, rng)
        events: list[tuple[float, str]] = []
        if not args.no_faults:
            batch = faults.upload_ledger(work, casts[0], args.import_rows)
            plan = faults.Plan(stack, work, batch, events, seconds)
            chaos = threading.Thread(target=plan.run, daemon=True)
            chaos.start()
        print(f"load: {args.rate:.0f} requests/s for {seconds:.0f} s", flush=True)
        since = timezone.now()
        sampler = CpuByPart(str(ROOT / "var" / "replica"), args.database)
        sampling = sampler.start()
        work.run(args.rate, seconds, args.clients)
        report["cpu"] = sampler.stop(sampling)
        report["faults"] = events
        report["load"] = checks.tabulate(work.results, seconds, work.ledger)
        report["import"] = {}
        if not args.no_faults:
            chaos.join()
            report["import"] = faults.finish_import(work, casts[0], batch)
        report["notifications"] = checks.notifications(since, 420)
        report["writes"] = checks.writes(work.ledger)
        report["capacity"] = {}
        if args.capacity_seconds > 0:
            report["capacity"] = faults.capacity(stack, tokens, casts, seeds, args)
    finally:
        stack.stop()
        checks.revoke(tokens)
    report["integrity"] = checks.integrity()
    Path(args.out).write_text(json.dumps(report, indent=1, default=str))
    checks.print_report(report)
    print(f"load: the whole result is in {args.out}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
