"""Background work on import batches; each task records its own outcome on the batch."""

from __future__ import annotations

from celery import shared_task

from ducha.ledger import actions

RESUME_STALE = "ledger.resume_stale_imports"


@shared_task(ignore_result=True)
def check_batch(batch_pk: int) -> None:
    """Check every row of a large uploaded ledger."""
    actions.run_check(batch_pk)


@shared_task(ignore_result=True)
def import_batch(batch_pk: int) -> None:
    """Import the confirmed rows of a large ledger not imported yet, a chunk at a time."""
    actions.run_import(batch_pk)


@shared_task(name=RESUME_STALE, ignore_result=True)
def resume_stale_imports() -> None:
    """Imports whose worker died go back to a worker, from their last committed chunk."""
    actions.resume_stale_imports()
