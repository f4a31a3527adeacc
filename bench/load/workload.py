"""The personas' mixed workload, sent open-loop at a fixed rate through nginx.

A dispatcher puts one request on the queue every 1/rate seconds, whatever the answers do, and
a pool of client threads sends them: a slow server makes the queue grow, and each request's
time is counted from when it was due, not from when a thread was free (no coordinated
omission). Writes follow problems through the loop (create → assign → sign → submit → verify),
each problem in one stage at a time, so no two writes race on one problem. A write whose
outcome is unknown (no answer, or 502/503/504 from the proxy) is sent again once, as a client
would: a create with the same client key, an action with the same If-Match, so that a second
copy is never applied; every write that was answered 2xx is recorded for the check against
the event log afterwards.
"""

from __future__ import annotations

import io
import queue
import random
import statistics
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

API = "/api/v1"
STAGES = ("assign", "sign", "submit", "verify")
UNKNOWN = {0, 502, 503, 504}


@dataclass(frozen=True)
class Cast:
    """An office, one of the units it assigns to, and where its problems are recorded."""

    office: str
    handler: str
    region: int
    focus_area: int
    unit: int


@dataclass
class Result:
    kind: str
    due: float  # seconds since the start, when the dispatcher scheduled it
    latency: float  # seconds from due to the answer
    status: int
    ok: bool
    write: bool


@dataclass
class InFlight:
    problem: int
    cast: Cast
    etag: str


@dataclass
class Ledger:
    """Problems waiting for their next write, and the writes that were acknowledged."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    stages: dict[str, deque[InFlight]] = field(
        default_factory=lambda: {stage: deque() for stage in STAGES}
    )
    done: list[int] = field(default_factory=list)
    # (problem id, action, username): answered 2xx (or 412 on the retry of an unknown one)
    acknowledged: list[tuple[int, str, str]] = field(default_factory=list)
    inferred: int = 0  # acknowledged by a 412 on the retry: the first attempt had landed
    client_retries: int = 0  # reads sent again on a new connection after a broken one
    failed_writes: list[tuple[str, int]] = field(default_factory=list)

    def take(self, stage: str) -> InFlight | None:
        with self.lock:
            waiting = self.stages[stage]
            return waiting.popleft() if waiting else None

    def put(self, stage: str | None, item: InFlight) -> None:
        with self.lock:
            if stage is None:
                self.done.append(item.problem)
            else:
                self.stages[stage].append(item)

    def ack(self, problem: int, action: str, username: str) -> None:
        with self.lock:
            self.acknowledged.append((problem, action, username))

    def settled(self, rng: random.Random) -> int | None:
        """A problem this run closed: written long enough ago for the replica to have it."""
        with self.lock:
            if not self.done:
                return None
            return self.done[rng.randrange(len(self.done))]


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 200)).save(out, "JPEG", quality=80)
    return out.getvalue()


class Workload:
    """What each kind of request does; `run` sends them at `rate` per second."""

    # kind: share of the requests (reads 80%, writes 20%)
    MIX = {
        "list (county)": 24,
        "list (province)": 6,
        "search": 4,
        "detail": 22,
        "dashboard (county)": 12,
        "dashboard (province)": 6,
        "export": 2,
        "evidence": 4,
        "create": 4,
        "assign": 4,
        "sign": 4,
        "submit": 4,
        "verify": 4,
    }

    def __init__(
        self,
        base: str,
        cert: str,
        tokens: dict[str, str],
        casts: list[Cast],
        province: str,
        seed_problems: dict[str, list[int]],
        rng: random.Random,
    ) -> None:
        self.base, self.cert, self.tokens, self.casts = base, cert, tokens, casts
        self.province = province
        self.seed_problems = seed_problems  # user → problem ids it may read, from before the run
        self.rng = rng
        self.ledger = Ledger()
        self.results: list[Result] = []
        self.results_lock = threading.Lock()
        self.local = threading.local()
        self.photo = jpeg()
        self.started = 0.0
        self.owner: dict[int, str] = {}  # problem → the office that recorded it
        self.photographed: list[tuple[int, str]] = []  # (rectification event, its office)
        self.handlers: dict[str, Callable[[], tuple[int, bool]]] = {
            "list (county)": self.list_county,
            "list (province)": self.list_province,
            "search": self.search,
            "detail": self.detail,
            "dashboard (county)": lambda: self.get(self.any_office(), f"{API}/dashboard"),
            "dashboard (province)": lambda: self.get(self.province, f"{API}/dashboard"),
            "export": self.export,
            "evidence": self.evidence,
        }

    # -- HTTP ----------------------------------------------------------------------------

    def session(self) -> requests.Session:
        session = getattr(self.local, "session", None)
        if session is None:
            session = requests.Session()
            session.verify = self.cert
            self.local.session = session
        return session

    def send(self, method: str, user: str, path: str, **kwargs: Any) -> requests.Response | None:
        headers = {"Authorization": f"Bearer {self.tokens[user]}", **kwargs.pop("headers", {})}
        for attempt in (1, 2):
            try:
                return self.session().request(
                    method, self.base + path, headers=headers, timeout=60, **kwargs
                )
            except requests.RequestException:
                self.local.session = None  # a broken connection is not reused
                # A kept-alive connection the proxy closed as this was sent: a browser sends a
                # read again on a new one, and so does this (counted); a write is the caller's.
                if method != "GET" or attempt == 2:
                    return None
                with self.ledger.lock:
                    self.ledger.client_retries += 1
        return None

    def get(self, user: str, path: str, **params: Any) -> tuple[int, bool]:
        answer = self.send("GET", user, path, params=params or None)
        if answer is None:
            return 0, False
        _body = answer.content  # the whole body: a streamed export counts until its end
        return answer.status_code, answer.ok

    def any_office(self) -> str:
        return self.rng.choice(self.casts).office

    # -- reads ---------------------------------------------------------------------------

    def list_county(self) -> tuple[int, bool]:
        cast = self.rng.choice(self.casts)
        user = cast.office if self.rng.random() < 0.6 else cast.handler
        return self.get(user, f"{API}/problems")

    def list_province(self) -> tuple[int, bool]:
        page = self.rng.randint(1, 3)
        return self.get(self.province, f"{API}/problems", page=page)

    def search(self) -> tuple[int, bool]:
        word = self.rng.choice(["消毒", "测温", "登记", "隔离", "核酸"])
        return self.get(self.any_office(), f"{API}/problems", q=word)

    def detail(self) -> tuple[int, bool]:
        cast = self.rng.choice(self.casts)
        problem = self.ledger.settled(self.rng) if self.rng.random() < 0.5 else None
        if problem is None:
            problem = self.rng.choice(self.seed_problems[cast.office])
            return self.get(cast.office, f"{API}/problems/{problem}")
        return self.get(self.owner[problem], f"{API}/problems/{problem}")

    def export(self) -> tuple[int, bool]:
        return self.get(self.rng.choice(self.casts).handler, f"{API}/ledger/export")

    def evidence(self) -> tuple[int, bool]:
        """The photos of a rectification this run reported, listed and the first downloaded
        by the office that verifies it."""
        with self.ledger.lock:
            photographed = list(self.photographed[-200:])
        if not photographed:
            return self.list_county()
        event, office = self.rng.choice(photographed)
        answer = self.send("GET", office, f"{API}/evidence", params={"problem_event": event})
        if answer is None or not answer.ok or not answer.json()["items"]:
            return (0 if answer is None else answer.status_code), False
        return self.get(office, answer.json()["items"][0]["urls"]["file"])

    # -- writes --------------------------------------------------------------------------

    def write(
        self, user: str, path: str, action: str, problem: int | None, **kwargs: Any
    ) -> tuple[requests.Response | None, bool]:
        """Send a write; once more if its outcome is unknown. (answer, acknowledged)"""
        answer = self.send("POST", user, path, **kwargs)
        retried = False
        if answer is None or answer.status_code in UNKNOWN:
            time.sleep(1.0)
            retried = True
            answer = self.send("POST", user, path, **kwargs)
        if answer is not None and answer.ok:
            problem = problem or int(answer.json()["id"])
            self.ledger.ack(problem, action, user)
            return answer, True
        if retried and answer is not None and answer.status_code == 412 and problem:
            # The first attempt had landed: the version moved on, and only this run acts here.
            with self.ledger.lock:
                self.ledger.inferred += 1
            self.ledger.ack(problem, action, user)
            return answer, True
        with self.ledger.lock:
            self.ledger.failed_writes.append((action, 0 if answer is None else answer.status_code))
        return answer, False

    def create(self) -> tuple[int, bool]:
        cast = self.rng.choice(self.casts)
        body = {
            "title": f"负载测试问题 {uuid.uuid4().hex[:8]}：卡口未测温",
            "region": cast.region,
            "focus_area": cast.focus_area,
            "client_key": str(uuid.uuid4()),
        }
        answer, acked = self.write(cast.office, f"{API}/problems", "create", None, json=body)
        if acked and answer is not None and answer.ok:
            problem = int(answer.json()["id"])
            self.owner[problem] = cast.office
            self.ledger.put("assign", InFlight(problem, cast, answer.headers["ETag"]))
        return (0 if answer is None else answer.status_code), acked

    def act(self, stage: str) -> tuple[int, bool] | None:
        item = self.ledger.take(stage)
        if item is None:
            return None
        cast, problem = item.cast, item.problem
        path = f"{API}/problems/{problem}/actions/"
        headers = {"If-Match": item.etag}
        kwargs: dict[str, Any]
        if stage == "assign":
            user, action, following = cast.office, "assign", "sign"
            kwargs = {"json": {"responsible_org": cast.unit}}
        elif stage == "sign":
            user, action, following = cast.handler, "sign", "submit"
            kwargs = {"json": {}}
        elif stage == "submit":
            user, action, following = cast.handler, "submit_rectification", "verify"
            if self.rng.random() < 1 / 3:  # a third with a photo, within the upload rate limit
                path += "submit_rectification/with-photos"
                kwargs = {
                    "data": {"text": "已整改，复查合格"},
                    "files": {"photos": ("after.jpg", self.photo, "image/jpeg")},
                }
            else:
                path += "submit_rectification"
                kwargs = {"json": {"text": "已整改，复查合格"}}
        else:
            user, action, following = cast.office, "verify_accept", None
            kwargs = {"json": {"comment": "核查属实"}}
        if stage != "submit":
            path += action
        answer, acked = self.write(user, path, action, problem, headers=headers, **kwargs)
        if acked and path.endswith("with-photos") and answer is not None and answer.ok:
            event = max(e["id"] for e in answer.json()["events"] if e["action"] == action)
            with self.ledger.lock:
                self.photographed.append((event, cast.office))
        if acked:
            etag = answer.headers.get("ETag", "") if answer is not None and answer.ok else ""
            if not etag:  # acknowledged by a 412: read the version the first attempt made
                fresh = self.send("GET", cast.office, f"{API}/problems/{problem}")
                etag = fresh.headers.get("ETag", "") if fresh is not None else ""
            self.ledger.put(following, InFlight(problem, cast, etag))
        return (0 if answer is None else answer.status_code), acked

    # -- the run -------------------------------------------------------------------------

    def one(self, kind: str) -> tuple[str, int, bool]:
        if kind in STAGES:
            done = self.act(kind)
            if done is not None:
                return (kind, *done)
            kind = "create"  # nothing waits at that stage yet: start a problem instead
        if kind == "create":
            return (kind, *self.create())
        return (kind, *self.handlers[kind]())

    def client(self, work: queue.Queue[tuple[str, float] | None]) -> None:
        while (job := work.get()) is not None:
            kind, due = job
            name, status, ok = self.one(kind)
            finished = time.monotonic() - self.started
            result = Result(name, due, finished - due, status, ok, name in ("create", *STAGES))
            with self.results_lock:
                self.results.append(result)

    def run(self, rate: float, seconds: float, clients: int) -> None:
        kinds = list(self.MIX)
        weights = [self.MIX[k] for k in kinds]
        work: queue.Queue[tuple[str, float] | None] = queue.Queue()
        threads = [
            threading.Thread(target=self.client, args=(work,), daemon=True) for _ in range(clients)
        ]
        for thread in threads:
            thread.start()
        self.started = time.monotonic()
        sent = 0
        while (due := sent / rate) < seconds:
            pause = self.started + due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            work.put((self.rng.choices(kinds, weights)[0], due))
            sent += 1
        for _ in threads:
            work.put(None)
        for thread in threads:
            thread.join()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(results: list[Result]) -> dict[str, float]:
    latencies = [r.latency * 1000 for r in results]
    return {
        "requests": len(results),
        "failed": sum(not r.ok for r in results),
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
    }
