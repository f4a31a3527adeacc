"""Handing work to the broker without making the request wait for it.

Publishing a Celery message costs a broker round trip or a file write (0.5–3 ms measured,
bench/notices.py): a tenth of a light action. `hand_over(send)` instead puts the publishing
function on an in-process queue that one daemon thread empties, so the action pays only the
`put`. What is still queued when the process dies is lost: the sweeps that read the database
(problems.sweep_notifications) make it later, which is why only such work is handed here.

With Celery eager (the tests) or DUCHA_NOTIFY_PUBLISH_IN_BACKGROUND off, `send` runs at once
in the caller's thread.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable

from celery import current_app
from django.conf import settings

log = logging.getLogger(__name__)

Send = Callable[[], None]

_queue: queue.SimpleQueue[Send] = queue.SimpleQueue()
_lock = threading.Lock()
# The thread and the process it was started in (a forked worker process needs its own).
_started: tuple[threading.Thread, int] | None = None


def _run() -> None:
    while True:
        send = _queue.get()
        _send(send)


def _send(send: Send) -> None:
    try:
        send()
    except Exception:  # the broker is down or refuses: the sweep makes it later
        log.exception("could not hand work to the broker")


def _ensure_thread() -> None:
    global _started  # one publishing thread per process
    with _lock:
        if _started is not None and _started[0].is_alive() and _started[1] == os.getpid():
            return
        thread = threading.Thread(target=_run, name="ducha-publisher", daemon=True)
        thread.start()
        _started = (thread, os.getpid())


def in_background() -> bool:
    return (
        bool(settings.DUCHA_NOTIFY_PUBLISH_IN_BACKGROUND) and not current_app.conf.task_always_eager
    )


def hand_over(send: Send) -> None:
    """Run `send` (a publish) off the request's path, or at once when not in background."""
    if not in_background():
        _send(send)
        return
    _ensure_thread()
    _queue.put(send)


def drain(timeout: float = 5.0) -> bool:
    """Wait until the queue is empty (benchmarks, shutdown hooks); False on timeout."""
    import time

    deadline = time.monotonic() + timeout
    while not _queue.empty():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True
