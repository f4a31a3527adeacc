"""Verifying the hash chains as an action: the walk (core/chain_check.py), then one audit row.

Whoever runs it (`manage.py verify_audit`, the chains page through the worker, the nightly
schedule) leaves an `AUDIT_VERIFIED` row in the security audit trail, with the result: the
rows walked per table and the first broken row. That row is itself chained.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ducha.accounts import audit
from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import SecurityEvent
from ducha.core.chain_check import Progress, Report, verify


def do_verify_chains(
    *,
    acting_user: Any = None,
    request: HttpRequest | None = None,
    via: str,
    progress: Progress | None = None,
) -> Report:
    """Walk every chain and record the outcome. Reads only, so no transaction of its own
    around the walk (which has its own snapshot); the audit row is written after it."""
    report = verify(progress=progress)
    audit.record(
        SecurityEventKind.AUDIT_VERIFIED,
        request=request,
        actor=acting_user,
        username="" if acting_user else via,
        via=via,
        **report.summary(),
    )
    return report


def latest_verifications(count: int = 10) -> list[SecurityEvent]:
    return list(
        SecurityEvent.objects.filter(kind=SecurityEventKind.AUDIT_VERIFIED)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:count]
    )
