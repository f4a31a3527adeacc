"""Real local receivers for the delivery tests: an SMTP server (aiosmtpd) and an HTTP server
standing in for the WeCom and DingTalk robots and an SMS gateway, all on 127.0.0.1."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []
        # None: accept; else the SMTP reply given to DATA ("451 …" temporary, "554 …" final).
        self.refuse_with: str | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_with:
            return self.refuse_with
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = _Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[EmailMessage]:
        return self.mailbox.messages


class SilentServer:
    """Accepts connections and never says a word: an SMTP server that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def __enter__(self) -> SilentServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.sock.close()


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """What the HTTP server got, and how it answers: by path prefix."""

    requests: list[Received] = field(default_factory=list)
    dingtalk_secret: str = ""
    status: int = 200

    def answer(self, got: Received) -> tuple[int, dict[str, Any]]:
        if self.status != 200:
            return self.status, {"errcode": -1, "errmsg": "unavailable"}
        if got.path.startswith("/dingtalk"):
            return 200, self._dingtalk(got)
        if got.path.startswith("/wecom"):
            payload = got.json()
            ok = payload.get("msgtype") in ("markdown", "text")
            return 200, {"errcode": 0 if ok else 40008, "errmsg": "ok" if ok else "bad msgtype"}
        return 200, {"code": 0}

    def _dingtalk(self, got: Received) -> dict[str, Any]:
        """DingTalk's check: the sign must be HMAC-SHA256 of "timestamp\\nsecret", within an
        hour of the server's clock."""
        timestamp, sign = got.query.get("timestamp", ""), got.query.get("sign", "")
        if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3_600_000:
            return {"errcode": 310000, "errmsg": "invalid timestamp"}
        digest = hmac.new(
            self.dingtalk_secret.encode(),
            f"{timestamp}\n{self.dingtalk_secret}".encode(),
            hashlib.sha256,
        ).digest()
        if not hmac.compare_digest(base64.b64encode(digest).decode(), sign):
            return {"errcode": 310000, "errmsg": "sign not match"}
        return {"errcode": 0, "errmsg": "ok"}


class HttpServer:
    def __init__(self) -> None:
        self.receiver = Receiver()
        receiver = self.receiver

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                split = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                got = Received(
                    split.path,
                    dict(urllib.parse.parse_qsl(split.query)),
                    dict(self.headers.items()),
                    self.rfile.read(length),
                )
                receiver.requests.append(got)
                status, answer = receiver.answer(got)
                raw = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> HttpServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def requests(self) -> list[Received]:
        return self.receiver.requests
