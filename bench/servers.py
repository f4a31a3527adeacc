"""Gunicorn's worker kinds on this machine: threaded (gthread) against sync, served directly.

For decision 0021: requests per second and latency of a simple page (the login form) and a
list (a county office's first page of GET /api/v1/problems, signed in) under a small loopback
load from `wrk` (Debian: apt-get install wrk), each server started with
deploy/gunicorn.conf.py and the worker kind, processes and threads given here.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/servers_bench   # optional
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo   # once
    .venv/bin/python -m bench.servers --seconds 10 --connections 10

The environment needs no DUCHA_* settings: the script gives the production ones, without the
HTTPS redirect and secure cookies since it talks to gunicorn over plain HTTP.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
USERNAME = "chengdu.office"
PASSWORD = "ducha-demo-2026"  # the demo's (docs/demo.md)
PAGES = {"simple page": "/accounts/login/", "list": "/api/v1/problems"}


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.servers", description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads of a gthread process")
    return parser.parse_args(argv)


def environment() -> dict[str, str]:
    from ducha.core.crypto import DEVELOPMENT_KEYS

    env = {k: v for k, v in os.environ.items() if not k.startswith("DUCHA_")}
    env.update(
        DJANGO_SETTINGS_MODULE="ducha.settings",
        DUCHA_SECRET_KEY="bench-" + "k" * 50,
        DUCHA_FIELD_KEYS=DEVELOPMENT_KEYS,  # the demo's database was written with it
        DUCHA_ALLOWED_HOSTS="127.0.0.1",
        DUCHA_WEB_ACCESS_LOG="",  # not measured: a log line a request on the same cores
        DUCHA_NOTIFICATIONS="0",
    )
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(kind: str, workers: int, threads: int, port: int) -> subprocess.Popen[bytes]:
    env = environment()
    env["DUCHA_WEB_BIND"] = f"127.0.0.1:{port}"
    argv = [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    argv += ["-k", kind, "-w", str(workers), "--threads", str(threads), "ducha.wsgi"]
    return serving(argv, env, f"http://127.0.0.1:{port}/accounts/login/", f"gunicorn ({kind})")


def serving(argv: list[str], env: dict[str, str], url: str, name: str) -> subprocess.Popen[bytes]:
    """Start a server and wait, up to a minute, until `url` answers."""
    server = subprocess.Popen(argv, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=10).ok:
                return server
        except requests.RequestException:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"{name} did not start")


def wrk_figure(pattern: str, out: str) -> str:
    """A figure wrk printed; a run that printed none stops the benchmark, showing why."""
    found = re.search(pattern, out)
    if found is None:
        raise SystemExit(f"wrk printed no {pattern!r}:\n{out}")
    return found.group(1)


def session_cookie(base: str) -> str:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login form"
    answer = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token.group(1), "username": USERNAME, "password": PASSWORD},
        allow_redirects=False,
    )
    assert answer.status_code == 302, f"login refused ({answer.status_code}); is the demo loaded?"
    return str(session.cookies["sessionid"])


def wrk(url: str, cookie: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: sessionid={cookie}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(wrk_figure(r"Requests/sec:\s+([\d.]+)", out))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = {
        p: _ms(m.group(1), m.group(2))
        for p in ("50", "90", "99")
        if (m := re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out))
    }
    return {"rps": rps, "errors": float(errors.group(1)) if errors else 0.0, **latency}


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    kinds = [
        ("gthread", args.workers, args.threads),
        ("sync", args.workers, 1),
    ]
    rows = []
    for kind, workers, threads in kinds:
        port = free_port()
        server = start(kind, workers, threads, port)
        try:
            base = f"http://127.0.0.1:{port}"
            cookie = session_cookie(base)
            for name, path in PAGES.items():
                wrk(base + path, cookie, 2, args.connections)  # warm-up
                result = wrk(base + path, cookie, args.seconds, args.connections)
                rows.append((f"{kind} {workers}×{threads}", name, result))
                print(kind, name, result, flush=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(40)
    print()
    print("| server | request | req/s | p50 ms | p90 ms | p99 ms | non-2xx |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for server_name, name, r in rows:
        print(
            f"| {server_name} | {name} | {r['rps']:.0f} | {r.get('50', 0):.1f} | "
            f"{r.get('90', 0):.1f} | {r.get('99', 0):.1f} | {r['errors']:.0f} |"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
