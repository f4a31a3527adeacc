"""Served requests against a minimal view on the same server (issue 17, item 3).

Gunicorn is started with the production configuration (deploy/gunicorn.conf.py, gthread)
and `bench.served_settings`, which adds one minimal JSON view behind the same middleware.
`wrk` (Debian: apt-get install wrk) then loads, one after the other: the minimal view, a
county office's and a province office's first page of GET /api/v1/problems and their
GET /api/v1/dashboard, each with a personal API token (Authorization: Bearer). Each row gives
requests/s, p50 and p95, and its ratio to the minimal view's requests/s; and the CPU time a
request took, in gunicorn's workers and in PostgreSQL's processes serving them (from /proc),
with the same ratio by CPU: on a machine shared with other work the requests/s move with the
other work, the CPU a request takes much less.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/servers_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo   # once
    .venv/bin/python -m bench.served --seconds 8
    # on generated data (bench.generate), with its users:
    .venv/bin/python -m bench.served --county bench_rec_<code> --province <user>

The tokens it issues are deleted at the end; nothing else is written (a token's time of use
is written at most once a minute, docs/performance.md "Served requests").
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SETTINGS = "bench.served_settings"

# wrk prints p50/p75/p90/p99 only; this prints the percentiles asked for, in microseconds.
PERCENTILES_LUA = """
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("p%d %d\\n", p, latency:percentile(p)))
  end
end
"""


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.served", description=__doc__)
    parser.add_argument("--seconds", type=int, default=8, help="each wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds before each run")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads of a process")
    parser.add_argument("--county", default="chengdu.office", help="a county office's user")
    parser.add_argument("--province", default="hebei.office", help="a province office's user")
    parser.add_argument("--only", nargs="*", help="only these rows (e.g. minimal 'county list')")
    return parser.parse_args(argv)


def environment() -> dict[str, str]:
    from bench.servers import environment as production

    env = production()
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    return env


def start(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = environment()
    env["DUCHA_WEB_BIND"] = f"127.0.0.1:{port}"
    # No worker replaced after 5,000 requests: the minimal view reaches that in seconds, and
    # a new worker's start (about a second of CPU) would count against it.
    env["DUCHA_WEB_MAX_REQUESTS"] = "0"
    argv = [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    argv += ["-k", "gthread", "-w", str(workers), "--threads", str(threads), "ducha.wsgi"]
    from bench.servers import serving

    return serving(argv, env, f"http://127.0.0.1:{port}/bench/minimal", "gunicorn")


def issue_tokens(usernames: Sequence[str]) -> dict[str, tuple[int, str]]:
    """A token per user (id, raw key), issued in this process on the same database."""
    from ducha.accounts.models import ApiToken, User

    tokens = {}
    for username in dict.fromkeys(usernames):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise SystemExit(f"no user {username!r} in this database")
        token, raw = ApiToken.issue(user, "bench.served")
        tokens[username] = (token.pk, raw)
    return tokens


def wrk(url: str, token: str | None, seconds: int, connections: int, script: str) -> dict:
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script]
    if token:
        argv += ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run([*argv, url], check=True, capture_output=True, text=True).stdout
    from bench.servers import wrk_figure

    rps = float(wrk_figure(r"Requests/sec:\s+([\d.]+)", out))
    done = int(wrk_figure(r"(\d+) requests in", out))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result: dict[str, float] = {
        "rps": rps,
        "requests": done,
        "errors": float(errors.group(1)) if errors else 0.0,
    }
    for p, micros in re.findall(r"^p(\d+) (\d+)$", out, re.MULTILINE):
        result[p] = int(micros) / 1000
    return result


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pids: Sequence[int]) -> dict[int, float]:
    """User + system CPU time of each process still there (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        try:
            fields = _stat(pid)
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / tick
    return found


def app_seconds(server: subprocess.Popen[bytes]) -> float:
    """CPU time of gunicorn's workers so far: those alive, and those it has replaced
    (`max_requests`), whose time the master has collected."""
    tick = os.sysconf("SC_CLK_TCK")
    master = _stat(server.pid)
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    alive = cpu_seconds([int(pid) for pid in children])
    return (int(master[13]) + int(master[14])) / tick + sum(alive.values())


def backends() -> list[int]:
    """PostgreSQL's processes serving this database, but for this script's own."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    os.environ.update({k: v for k, v in environment().items() if k.startswith("DUCHA_")})
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()
    from bench.servers import free_port
    from ducha.accounts.models import ApiToken

    tokens = issue_tokens([args.county, args.province])
    county, province = tokens[args.county][1], tokens[args.province][1]
    rows: list[tuple[str, str, str | None]] = [
        ("minimal", "/bench/minimal", county),
        ("county list", "/api/v1/problems", county),
        ("province list", "/api/v1/problems", province),
        ("county dashboard", "/api/v1/dashboard", county),
        ("province dashboard", "/api/v1/dashboard", province),
    ]
    if args.only:
        rows = [row for row in rows if row[0] in args.only or row[0] == "minimal"]
    port = free_port()
    server = start(port, args.workers, args.threads)
    results: list[tuple[str, dict[str, Any]]] = []
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(PERCENTILES_LUA)
            script.flush()
            for name, path, token in rows:
                url = f"http://127.0.0.1:{port}{path}"
                answer = requests.get(url, headers={"Authorization": f"Bearer {token}"})
                assert answer.ok, f"{name}: {answer.status_code} {answer.text[:200]}"
                wrk(url, token, args.warmup, args.connections, script.name)
                # CPU per request, of gunicorn's workers and of PostgreSQL's processes for
                # them: what a request costs whatever else the machine is doing meanwhile.
                database = backends()
                app_before, database_before = app_seconds(server), cpu_seconds(database)
                result = wrk(url, token, args.seconds, args.connections, script.name)
                app_cpu = app_seconds(server) - app_before
                database_cpu = spent(database_before, cpu_seconds(database + backends()))
                result["app_ms"] = app_cpu * 1000 / max(result["requests"], 1)
                result["db_ms"] = database_cpu * 1000 / max(result["requests"], 1)
                result["load"] = load_average()
                results.append((name, result))
                print(name, result, flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(40)
        ApiToken.objects.filter(pk__in=[pk for pk, _ in tokens.values()]).delete()
    minimal = results[0][1]["rps"]
    print()
    print(
        f"{args.connections} connections, gthread {args.workers}×{args.threads}, "
        f"{args.seconds} s each after {args.warmup} s of warm-up"
    )
    print(
        "| request | req/s | × minimal | p50 ms | p95 ms | p99 ms | non-2xx "
        "| CPU ms/req app + db | × minimal by CPU | load avg |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    minimal_cpu = results[0][1]["app_ms"] + results[0][1]["db_ms"]
    for name, r in results:
        cpu = max(r["app_ms"] + r["db_ms"], 0.001)
        print(
            f"| {name} | {r['rps']:.0f} | {r['rps'] / minimal:.3f} | {r.get('50', 0):.1f} | "
            f"{r.get('95', 0):.1f} | {r.get('99', 0):.1f} | {r['errors']:.0f} | "
            f"{r['app_ms']:.2f} + {r['db_ms']:.2f} | {minimal_cpu / cpu:.3f} | {r['load']} |"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
