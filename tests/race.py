"""Calls started at the same moment from threads of their own, as two users' requests are."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls together (a barrier releases them at once) and return what each gave,
    or the exception it raised, in the order they finished."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # reported by the caller's assertions
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
