"""Deliveries per second through the worker's code path, to local receivers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_delivery \\
        .venv/bin/python -m bench.delivery --messages 500 --workers 1 4

Needs a migrated database (`manage.py migrate`); it adds a region and an office (kept for
the next run), one user and its own notifications (removed at the end). The receivers run
in this process on 127.0.0.1: an SMTP server (aiosmtpd, accepts everything) and an HTTP
server answering as a WeCom robot (`{"errcode": 0}`). For each channel and worker count,
`--messages` notifications are planned (`planning.plan`, rows written) and then every row is
sent by `worker.run_delivery` (claim, send, record: the body of the Celery task, without the
queue) by that many threads, each taking ids from a shared list. Reported: rows/s of
planning and of sending, and the check that every row is `sent` exactly once at the
receiver. Nothing is asserted: see docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import socket
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench import setup_django


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.delivery", description=__doc__)
    parser.add_argument("--messages", type=int, default=500, help="notifications per run")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4], help="thread counts")
    parser.add_argument("--channels", nargs="+", default=["email", "wecom"])
    return parser.parse_args(argv)


class _Counter:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def hit(self) -> None:
        with self.lock:
            self.count += 1


def _http(counter: _Counter) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            counter.hit()
            raw = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _smtp(counter: _Counter) -> Any:
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            counter.hit()
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def _send_all(ids: list[int], workers: int) -> float:
    from django.db import connection

    from ducha.notices.delivery import worker

    queue = list(reversed(ids))
    lock = threading.Lock()

    def run() -> None:
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    pk = queue.pop()
                worker.run_delivery(pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()
    from django.conf import settings
    from django.db import connection

    from ducha.accounts.models import Membership, User
    from ducha.notices.delivery import planning
    from ducha.notices.delivery.models import Delivery, OrgChannel
    from ducha.notices.models import Notification
    from ducha.orgs.models import Org

    mails, posts = _Counter(), _Counter()
    http, smtp = _http(posts), _smtp(mails)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    settings.DUCHA_DELIVERY_BACKOFF_SECONDS = 0
    # Kept between runs (a region cannot be deleted once it is its own province).
    region, _ = Org.objects.get_or_create(kind="region", name="投递基准区", level=1)
    office, _ = Org.objects.get_or_create(kind="office", name="投递基准督查办", parent=region)
    user = User.objects.create_user(f"bench-delivery-{time.time_ns()}", email="b@example.gov.cn")
    Membership.objects.create(user=user, org=office, role="office_staff")
    OrgChannel.objects.create(
        org=office,
        channel="wecom",
        label="bench",
        webhook_url=f"http://127.0.0.1:{http.server_address[1]}/wecom",
    )
    print(f"database: {connection.vendor}; {args.messages} notifications per run")
    print("channel  workers  plan rows/s  send rows/s  sent  at receiver")
    try:
        for channel in args.channels:
            settings.DUCHA_DELIVERY_CHANNELS = [channel]
            counter = mails if channel == "email" else posts
            for workers in args.workers:
                notifications = Notification.objects.bulk_create(
                    Notification(
                        recipient=user,
                        kind="assigned",
                        title=f"基准通知 {n}",
                        body="双桥区高速卡口未登记过往车辆，请于三日内整改。",
                        next_step="请签收并整改",
                        url=f"/problems/{n}/",
                        source_key=f"bench:{channel}:{workers}:{n}",
                    )
                    for n in range(args.messages)
                )
                before = counter.count
                started = time.perf_counter()
                ids = planning.plan([n.pk for n in notifications])
                planned = time.perf_counter() - started
                spent = _send_all(ids, workers)
                sent = Delivery.objects.filter(pk__in=ids, status="sent").count()
                print(
                    f"{channel:8} {workers:7}  {len(ids) / planned:11.0f}  "
                    f"{len(ids) / spent:11.1f}  {sent:4}  {counter.count - before:11}"
                )
    finally:
        Notification.objects.filter(recipient=user).delete()
        OrgChannel.objects.filter(org=office).delete()
        user.delete()
        smtp.stop()
        http.shutdown()


if __name__ == "__main__":
    main()
