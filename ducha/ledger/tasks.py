"""Background work on import batches: what the queue runs, and handing a batch to it.

Each task runs the worker's half of an import (`ducha.ledger.runs`), which records its own
outcome on the batch. The actions (`ducha.ledger.actions`) hand batches over with `later`.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ducha.ledger import runs
from ducha.ledger.choices import BatchState
from ducha.ledger.models import ImportBatch

log = logging.getLogger(__name__)

RESUME_STALE = "ledger.resume_stale_imports"


@shared_task(ignore_result=True)
def check_batch(batch_pk: int) -> None:
    """Check every row of a large uploaded ledger."""
    runs.run_check(batch_pk)


@shared_task(ignore_result=True)
def import_batch(batch_pk: int, part: int = 0, parts: int = 1) -> None:
    """Import the confirmed rows of a large ledger not imported yet, a chunk at a time: all of
    them, or every `parts`-th chunk from the `part`-th on, beside the tasks taking the rest."""
    runs.run_import(batch_pk, part, parts)


def import_later(batch: ImportBatch, actor: Any) -> None:
    """Hand a newly confirmed import to the worker as `parts_of(batch)` tasks side by side."""
    parts = runs.parts_of(batch)
    for part in range(parts):
        later(import_batch, batch.pk, actor, part, parts)


@shared_task(name=RESUME_STALE, ignore_result=True)
def resume_stale_imports() -> list[int]:
    """Hand every check or import whose run died back to a worker (the scheduler calls this)."""
    resumed = []
    cutoff = timezone.now() - runs.lease()
    # Batches confirmed before imports had a lease have none: their confirmation counts.
    stale = ImportBatch.objects.filter(
        Q(state=BatchState.UPLOADED, progress_at__lte=cutoff)
        | Q(state=BatchState.IMPORTING, progress_at__lte=cutoff)
        | Q(state=BatchState.IMPORTING, progress_at__isnull=True, confirmed_at__lte=cutoff)
    )
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            locked = runs.lock(pk)
            if runs.is_stale(locked):
                task, actor, done = import_batch, locked.confirmed_by, "imported"
            elif runs.stale_check(locked):
                task, actor, done = check_batch, locked.uploaded_by, "checked"
            else:
                continue
            if runs.gave_up(locked, done):
                continue
            runs.resume(locked, actor, done)
            later(task, pk, actor)
        resumed.append(pk)
    return resumed


def later(task: Any, batch_pk: int, actor: Any, *args: Any) -> None:
    """Hand the batch to a worker once the transaction commits; fail it if none can take it."""

    def send() -> None:
        try:
            task.delay(batch_pk, *args)
        except Exception:  # the broker is down or misconfigured: say so on the batch
            log.exception("could not queue %s for import batch %s", task.name, batch_pk)
            runs.fail_batch(batch_pk, actor, {"code": "queue_unavailable", "params": {}})

    transaction.on_commit(send)
