"""What goes wrong during the run, when, and how the system is checked to have come back:
an app server killed and started again, a worker killed in the middle of a ledger import,
the replica stopped and started; then the throughput of one app server against two."""

from __future__ import annotations

import argparse
import random
import threading
import time
from dataclasses import dataclass
from typing import Any

from bench.load.stack import LoadStack, replica
from bench.load.workload import API, Cast, Workload


def upload_ledger(work: Workload, cast: Cast, rows: int) -> int:
    """A ledger of `rows` problems uploaded by the cast's office and checked: the import that
    will be running when the worker is killed."""
    from bench.imports import _ledger
    from ducha.orgs.models import Org

    region = Org.objects.get(pk=cast.region)
    county = region if region.children.filter(kind="region").exists() else region.parent
    data, _values = _ledger(county, rows, random.Random(3))
    answer = work.send(
        "POST", cast.office, f"{API}/ledger/imports", files={"file": ("台账.xlsx", data)}
    )
    if answer is None or answer.status_code != 201:
        raise SystemExit(f"the ledger was refused: {answer and answer.text[:500]}")
    batch = int(answer.json()["id"])
    state = wait_batch(work, cast, batch, ("validated",), 300)
    print(f"load: ledger of {rows} rows checked ({state['rows_valid']} valid)", flush=True)
    return batch


def wait_batch(
    work: Workload, cast: Cast, batch: int, states: tuple[str, ...], seconds: float
) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = work.send("GET", cast.office, f"{API}/ledger/imports/{batch}")
        if answer is not None and answer.ok and answer.json()["state"] in states:
            return dict(answer.json())
        time.sleep(2)
    raise SystemExit(f"import batch {batch} did not reach {states} in {seconds:.0f} s")


def finish_import(work: Workload, cast: Cast, batch: int) -> dict[str, Any]:
    """The import the worker was killed in must end imported, each row once."""
    from ducha.ledger.models import ImportedProblem

    started = time.monotonic()
    state = wait_batch(work, cast, batch, ("imported", "failed"), 600)
    imported = ImportedProblem.objects.filter(batch_id=batch)
    return {
        "state": state["state"],
        "rows_valid": state["rows_valid"],
        "problems": imported.count(),
        "rows_imported_once": imported.values("row").distinct().count(),
        "waited_after_run_s": round(time.monotonic() - started, 1),
    }


@dataclass
class Plan:
    """The faults, at shares of the run's length (each lasting a fixed time)."""

    stack: LoadStack
    work: Workload
    batch: int
    events: list[tuple[float, str]]
    seconds: float

    def at(self, share: float) -> None:
        pause = self.work.started + share * self.seconds - time.monotonic()
        if pause > 0:
            time.sleep(pause)

    def note(self, what: str) -> None:
        self.events.append((round(time.monotonic() - self.work.started, 1), what))
        print(f"load: {self.events[-1][0]:.0f} s: {what}", flush=True)

    def run(self) -> None:
        while not self.work.started:
            time.sleep(0.1)
        app = self.stack.apps[0]
        self.at(0.15)
        app.kill9()
        self.note(f"kill -9 {app.name} (gunicorn master and workers)")
        time.sleep(30)
        self.stack.restart_app(app)
        self.note(f"{app.name} started again and answering")

        self.at(0.40)
        self.confirm_import()
        assert self.stack.worker is not None
        progress = self.mid_import()
        self.stack.worker.kill9()
        self.note(f"kill -9 worker, the import at {progress}")
        time.sleep(20)
        self.stack.restart_worker()
        self.note("worker started again")

        self.at(0.65)
        replica("stop")
        self.note("replica stopped")
        time.sleep(60)
        replica("start")
        self.note("replica started again and caught up")

    def confirm_import(self) -> None:
        cast = self.work.casts[0]
        path = f"{API}/ledger/imports/{self.batch}/confirm"
        answer = self.work.send("POST", cast.office, path)
        self.note(f"import confirmed ({answer.status_code if answer is not None else 'no answer'})")

    def mid_import(self, seconds: float = 60) -> str:
        """Once the import has committed a chunk (or after `seconds`): where it stands."""
        from ducha.ledger.models import ImportBatch

        deadline = time.monotonic() + seconds
        while True:
            batch = ImportBatch.objects.get(pk=self.batch)
            if batch.progress_done or time.monotonic() > deadline:
                return f"{batch.progress_done}/{batch.rows_valid} rows ({batch.state})"
            time.sleep(0.2)


def capacity(
    stack: LoadStack,
    tokens: dict[str, str],
    casts: list[Cast],
    seeds: dict[str, list[int]],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Closed-loop reads as fast as they are answered, through nginx with one app server and
    then with both: what a second app server adds."""
    found: dict[str, Any] = {}
    for name, ports in (("1 app server", stack.web_ports[:1]), ("2 app servers", stack.web_ports)):
        stack.upstreams(ports)
        rng = random.Random(5)
        work = Workload(stack.base, str(stack.cert), tokens, casts, "hebei.office", seeds, rng)
        done = saturate(work, args.capacity_seconds, clients=16)
        found[name] = round(done / args.capacity_seconds, 1)
        print(f"load: {name}: {found[name]} reads/s", flush=True)
    stack.upstreams(stack.web_ports)
    found["2 ÷ 1"] = round(found["2 app servers"] / found["1 app server"], 2)
    return found


def saturate(work: Workload, seconds: float, clients: int) -> int:
    kinds = ["list (county)", "detail", "dashboard (county)"]
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def loop(index: int) -> None:
        rng = random.Random(index)
        while time.monotonic() < stop:
            _kind, _status, ok = work.one(rng.choice(kinds))
            counts[index] += ok

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts)
