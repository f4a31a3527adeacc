"""The load test's servers: nginx over two gunicorn app servers, a Celery worker on Redis and
the scheduler, on the PostgreSQL primary and its streaming replica (deploy/replica.sh).

Each part runs in a process group of its own, so that `kill9` takes a gunicorn master with
its workers, or a worker with its pool, the way a machine's crash or the OOM killer would.
Everything is configured as `make serve` configures it (deploy/serve.py), except the ports,
the database and the broker.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "deploy"))
import serve  # noqa: E402

REPLICA = ROOT / "deploy" / "replica.sh"


@dataclass
class Part:
    """One server process (and its children), started again after a kill with the same
    command line."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it from the spawner's thread (`Spawner.start`): a child is told to stop when
        the thread that started it ends, not the process."""
        output = self.log.open("ab")
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            process_group=0,
            preexec_fn=serve._die_with_parent,  # nothing outlives the load test, however it ends
        )

    def kill9(self) -> None:
        """SIGKILL to the whole group: nothing gets to finish or clean up."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self, how: signal.Signals = signal.SIGTERM, seconds: float = 40) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(how)
        try:
            self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            self.kill9()


class Spawner:
    """One thread that lives as long as the load test and starts every part: each part is
    made to stop when the thread that started it ends (PR_SET_PDEATHSIG), so that nothing
    outlives the test however it ends, and a part started again by the faults' thread must
    not stop when that thread is done."""

    def __init__(self) -> None:
        self.jobs: queue.Queue[tuple[Part, threading.Event]] = queue.Queue()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            part, done = self.jobs.get()
            part.start()
            done.set()

    def start(self, part: Part) -> None:
        done = threading.Event()
        self.jobs.put((part, done))
        done.wait()


@dataclass
class LoadStack:
    """nginx on https://127.0.0.1:<https_port>/ in front of app servers on `web_ports`."""

    serve_dir: Path
    env: dict[str, str]
    https_port: int
    web_ports: list[int]
    cert: Path = field(init=False)
    apps: list[Part] = field(default_factory=list)
    worker: Part | None = None
    scheduler: Part | None = None
    nginx: Part | None = None
    spawner: Spawner = field(default_factory=Spawner)

    def __post_init__(self) -> None:
        self.cert, self.key = serve.self_signed(self.serve_dir)

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def start(self, web_workers: int, web_threads: int) -> None:
        celery = [str(BIN / "celery"), "-A", "ducha"]
        for index, port in enumerate(self.web_ports, 1):
            env = dict(self.env)
            env["DUCHA_WEB_BIND"] = f"127.0.0.1:{port}"
            env["DUCHA_WEB_WORKERS"] = str(web_workers)
            env["DUCHA_WEB_THREADS"] = str(web_threads)
            gunicorn = [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
            log = self.serve_dir / f"app{index}.log"
            app = Part(f"app{index}", [*gunicorn, "ducha.wsgi"], env, log)
            self.apps.append(app)
        self.worker = Part(
            "worker",
            [*celery, "worker", "--loglevel=INFO", "--concurrency=1"],
            self.env,
            self.serve_dir / "worker.log",
        )
        self.scheduler = Part(
            "scheduler",
            [*celery, "beat", "--loglevel=INFO"],
            self.env,
            self.serve_dir / "beat.log",
        )
        conf = self.configure(self.web_ports)
        nginx = serve.nginx_binary()
        if nginx is None:
            raise SystemExit("nginx is not installed (make nginx)")
        self.nginx = Part(
            "nginx",
            [nginx, "-p", str(self.serve_dir), "-c", str(conf), "-g", "daemon off;"],
            self.env,
            self.serve_dir / "nginx.log",
        )
        for part in [*self.apps, self.worker, self.scheduler, self.nginx]:
            self.spawner.start(part)
        for port in self.web_ports:
            self.wait_for(f"http://127.0.0.1:{port}/health", None)
        self.wait_for(f"{self.base}/accounts/login/", self.cert)

    def configure(self, ports: list[int]) -> Path:
        """nginx's configuration with these app servers in the upstream."""

        @dataclass
        class Ports:
            http_port: int
            https_port: int

        binds = [f"127.0.0.1:{port}" for port in ports]
        return serve.nginx_config(
            self.serve_dir, self.cert, self.key, binds, Ports(self.https_port - 1, self.https_port)
        )

    def upstreams(self, ports: list[int]) -> None:
        """Reload nginx with only these app servers (a graceful reload: nothing is dropped)."""
        self.configure(ports)
        assert self.nginx is not None and self.nginx.process is not None
        self.nginx.process.send_signal(signal.SIGHUP)
        time.sleep(1.0)

    def wait_for(self, url: str, cert: Path | None, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                answer = requests.get(
                    url, timeout=5, verify=str(cert) if cert else True, allow_redirects=False
                )
                if answer.status_code < 500:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"{url} did not answer in {seconds:.0f} s; see {self.serve_dir}/*.log")

    def restart_worker(self) -> None:
        assert self.worker is not None
        self.spawner.start(self.worker)

    def restart_app(self, app: Part) -> None:
        self.spawner.start(app)
        port = int(app.env["DUCHA_WEB_BIND"].rsplit(":", 1)[1])
        self.wait_for(f"http://127.0.0.1:{port}/health", None)

    def stop(self) -> None:
        # nginx first: it stops sending, then the rest finish what they hold.
        for part in [self.nginx, self.scheduler, self.worker, *self.apps]:
            if part is not None:
                part.stop(signal.SIGQUIT if part is self.nginx else signal.SIGTERM)


def replica(command: str) -> None:
    """deploy/replica.sh up / stop / start."""
    subprocess.run(["bash", str(REPLICA), command], cwd=ROOT, check=True, capture_output=True)
