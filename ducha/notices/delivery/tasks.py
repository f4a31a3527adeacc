"""The Celery tasks of delivery: one per message, one per digest, and the sweep.

Each task runs the worker's function and queues what it says comes next (a retry after its
backoff, the rows the sweep found due). Running a task twice sends nothing twice: the
worker's claim decides (worker.py).
"""

from __future__ import annotations

from celery import shared_task

from ducha.notices.delivery import worker


@shared_task(name="notice_delivery.send")
def send_delivery(pk: int) -> str | None:
    outcome = worker.run_delivery(pk)
    if outcome is None:
        return None
    if outcome.retry_in is not None:
        send_delivery.apply_async((pk,), countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="notice_delivery.digest")
def send_digest(recipient_id: int, channel: str, target: str) -> str | None:
    outcome = worker.run_digest(recipient_id, channel, target)
    if outcome is None:
        return None
    # A digest that must wait is taken up by the sweep once it is due again.
    return outcome.status


@shared_task(name="notice_delivery.sweep")
def sweep() -> dict[str, int]:
    found = worker.sweep()
    for pk in found.singles:
        send_delivery.delay(pk)
    for recipient_id, channel, target in found.digests:
        send_digest.delay(recipient_id, channel, target)
    return {
        "queued": len(found.singles),
        "digests": len(found.digests),
        "retried": found.retried,
        "abandoned": found.abandoned,
    }
