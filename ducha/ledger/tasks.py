"""Background work on import batches; each task records its own outcome on the batch."""

from __future__ import annotations

from celery import shared_task

from ducha.ledger import actions


@shared_task(ignore_result=True)
def check_batch(batch_pk: int) -> None:
    """Check every row of a large uploaded ledger."""
    actions.run_check(batch_pk)


@shared_task(ignore_result=True)
def import_batch(batch_pk: int) -> None:
    """Import the confirmed rows of a large ledger, all in one transaction."""
    actions.run_import(batch_pk)
