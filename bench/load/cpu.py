"""Where the machine's CPU went during the run, by part: read from /proc once a second.

A process is put in its part by its command line (and a PostgreSQL process by the server it
belongs to: the primary's or the replica's postmaster). A process that ends between two
readings loses its last second, so the figures are slightly low for short-lived ones.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> tuple[int, int] | None:
    """(parent pid, CPU ticks) of a process, or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


def _cmdline(pid: str) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


class CpuByPart:
    def __init__(self, replica_dir: str, database: str) -> None:
        self.replica_dir = replica_dir
        self.database = database
        self.spent: Counter[str] = Counter()
        self.last: dict[str, int] = {}
        self.parts: dict[str, str] = {}
        self.me = str(os.getpid())
        self.stop_event = threading.Event()
        self.started = 0.0
        self.seconds = 0.0

    def part(self, pid: str, parent: int) -> str:
        command = _cmdline(pid)
        if pid == self.me:
            return "load client"
        if "gunicorn" in command:
            return "app servers"
        if "celery" in command:
            return "worker and scheduler"
        if command.startswith("nginx"):
            return "nginx"
        if "postgres" in command and "(" in command and f" {self.database} " not in command:
            return "other"  # a connection to another database: not this run's work
        if "postgres" in command:
            postmaster = _cmdline(str(parent)) if parent > 1 else command
            return "PostgreSQL replica" if self.replica_dir in postmaster else "PostgreSQL primary"
        return "other"

    def read(self, count: bool) -> None:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            found = _stat(pid)
            if found is None:
                continue
            parent, ticks = found
            if pid not in self.parts:
                self.parts[pid] = self.part(pid, parent)
            if count:
                # A process first seen now started since the last reading: all of it counts.
                self.spent[self.parts[pid]] += ticks - self.last.get(pid, 0)
            self.last[pid] = ticks

    def run(self) -> None:
        self.read(count=False)
        self.started = time.monotonic()
        while not self.stop_event.wait(1.0):
            self.read(count=True)
        self.read(count=True)
        self.seconds = time.monotonic() - self.started

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, daemon=True)
        thread.start()
        return thread

    def stop(self, thread: threading.Thread) -> dict[str, float]:
        """CPU seconds by part, and each as a share of the machine's cores over the run."""
        self.stop_event.set()
        thread.join()
        cores = os.cpu_count() or 1
        total = cores * self.seconds
        return {
            part: round(ticks / TICKS / total * 100, 1) for part, ticks in self.spent.most_common()
        } | {"idle": round((total - sum(self.spent.values()) / TICKS) / total * 100, 1)}
