"""nginx in front of several app servers (deploy/nginx/ducha.conf, `upstream ducha_web`): when
one is down, its requests go to another; a request one took and dropped without an answer is
sent again only if it was a read, so that no write is ever applied twice.

The app servers here are small HTTP servers on loopback that count what reached them: one
answers, one is not listening (a server killed and not yet started again), one reads the
request and closes the connection without an answer (killed in the middle of a request).
Skipped only when nginx is not installed (`make nginx` installs it; `make pytest` does).
"""

from __future__ import annotations

import http.server
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import serve  # noqa: E402

pytestmark = pytest.mark.smoke


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Answering(http.server.BaseHTTPRequestHandler):
    seen: Counter[str]

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen[self.command] += 1
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


class Dropping(Answering):
    """Takes the request, then the connection is gone: a process killed while serving it."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen[self.command] += 1
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)

    do_GET = do_POST = _answer


def app_server(handler: type[Answering]) -> tuple[int, Counter[str], http.server.HTTPServer]:
    seen: Counter[str] = Counter()
    kind = type("Handler", (handler,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), kind)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return int(server.server_address[1]), seen, server


@dataclass
class Ports:
    http_port: int
    https_port: int


@pytest.fixture
def proxy(tmp_path, settings):
    """Start nginx with the given app servers in its upstream: (its address, the certificate
    to trust). Stopped after the test."""
    nginx = serve.nginx_binary()
    if nginx is None:
        pytest.skip("nginx is not installed, so the upstream failover test did NOT run")
    settings.STATIC_ROOT = str(tmp_path / "static")
    cert, key = serve.self_signed(tmp_path)
    started: list[subprocess.Popen[bytes]] = []

    def start(upstreams: list[int]) -> tuple[str, str]:
        ports = Ports(_free_port(), _free_port())
        binds = [f"127.0.0.1:{port}" for port in upstreams]
        conf = serve.nginx_config(tmp_path, cert, key, binds, ports)
        process = subprocess.Popen(
            [nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        base = f"https://127.0.0.1:{ports.https_port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", ports.https_port), 1).close()
                return base, str(cert)
            except OSError:
                time.sleep(0.1)
        pytest.fail("nginx did not start")

    yield start
    for process in started:
        process.send_signal(signal.SIGQUIT)
        process.wait(20)


def test_a_server_that_is_down_costs_no_request(proxy):
    alive, seen, server = app_server(Answering)
    down = _free_port()  # nothing listens here
    base, cert = proxy([down, alive])
    session = requests.Session()
    answers = [session.get(f"{base}/api/v1/problems", verify=cert) for _ in range(6)]
    answers += [
        session.post(f"{base}/api/v1/problems", json={"n": n}, verify=cert) for n in range(6)
    ]
    server.shutdown()
    assert [a.status_code for a in answers] == [200] * 12
    # Refused before anything was sent: even the writes went on to the live server, once each.
    assert seen == Counter({"GET": 6, "POST": 6})


def test_a_read_dropped_mid_request_is_answered_by_another_server(proxy):
    alive, seen_alive, first = app_server(Answering)
    dropping, seen_dropping, second = app_server(Dropping)
    base, cert = proxy([dropping, alive])
    # Two, so that one of them goes to the dropping server first, whichever nginx picks first.
    answers = [requests.get(f"{base}/api/v1/problems", verify=cert) for _ in range(2)]
    first.shutdown()
    second.shutdown()
    assert [a.status_code for a in answers] == [200, 200]
    assert seen_dropping["GET"] == 1 and seen_alive["GET"] == 2


def test_a_write_dropped_mid_request_is_not_sent_again(proxy):
    alive, seen_alive, first = app_server(Answering)
    dropping, seen_dropping, second = app_server(Dropping)
    base, cert = proxy([dropping, alive])
    answers = [
        requests.post(f"{base}/api/v1/problems", json={"n": n}, verify=cert) for n in range(2)
    ]
    first.shutdown()
    second.shutdown()
    # The dropped one comes back 502: its outcome is unknown to the client, which may send it
    # again with its client key or If-Match; the proxy never sends a write a second time.
    assert sorted(a.status_code for a in answers) == [200, 502]
    assert seen_dropping["POST"] == 1 and seen_alive["POST"] == 1
