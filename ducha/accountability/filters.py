"""The lists' filters, said once for the pages and the API."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Q


def filtered(rows: Any, data: Mapping[str, Any]) -> Any:
    """Kind, state, and a period that holds the decision (or, for a record not yet
    decided, the proposal)."""
    if data.get("kind"):
        kind = data["kind"]
        # An accountability record's kind is a row of the catalogue; a commendation's a word.
        if rows.model._meta.get_field("kind").is_relation:
            if not str(kind).isdigit():
                return rows.none()
            kind = int(kind)
        rows = rows.filter(kind=kind)
    if data.get("state"):
        rows = rows.filter(state=data["state"])
    since: date | None = data.get("since")
    until: date | None = data.get("until")
    if since:
        rows = rows.filter(
            Q(decided_on__gte=since) | Q(decided_on__isnull=True, proposed_at__date__gte=since)
        )
    if until:
        rows = rows.filter(
            Q(decided_on__lte=until) | Q(decided_on__isnull=True, proposed_at__date__lte=until)
        )
    return rows
