"""The chains' background work: a verification asked for on the chains page or by the
schedule, and the daily anchor. Registered by ducha/celery.py."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.core.cache import cache

from ducha.accounts.models import User
from ducha.audit.chain_runs import do_verify_chains
from ducha.core.chain_check import write_anchor

VERIFY = "audit.verify_chains"
# The cache key the chains page sets when it queues a walk; the walk clears it when done.
QUEUED = "audit:chains:queued"
ANCHOR = "audit.anchor_chains"


@shared_task(name=VERIFY, ignore_result=True)
def verify_chains(actor_pk: int | None = None) -> bool:
    actor: Any = User.objects.filter(pk=actor_pk).first() if actor_pk else None
    try:
        return do_verify_chains(acting_user=actor, via="worker" if actor else "schedule").ok
    finally:
        cache.delete(QUEUED)


@shared_task(name=ANCHOR, ignore_result=True)
def anchor_chains() -> str | None:
    anchor = write_anchor()
    return anchor.digest if anchor else None
