"""The hash chains page (数据完整性) of the audit administrator: the last verifications, and a
button that asks the worker for a new one.

A walk of every table can take minutes on a large record, longer than a request should
hold a web process, so the page does not walk: it queues `audit.verify_chains` (the worker
records the outcome in the audit trail) and shows the outcomes recorded there, from this
page, `manage.py verify_audit` or the nightly schedule alike.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.audit.chain_runs import latest_verifications
from ducha.audit.chain_tasks import QUEUED, verify_chains
from ducha.audit.scope import require_chain_auditor

log = logging.getLogger(__name__)
# A queued walk is forgotten after this long even if its worker died.
QUEUED_SECONDS = 15 * 60

# What each kind of break means, for the page (the command prints the English detail).
BREAKS = {
    "unsealed": gettext_lazy("The row carries no chain link: it was written around the system."),
    "repeated": gettext_lazy(
        "Its position in the chain is held by an earlier row: this row was inserted."
    ),
    "missing": gettext_lazy("Rows before it in its chain are missing: they were deleted."),
    "altered": gettext_lazy(
        "Its content does not give its digest: it was changed after it was written."
    ),
    "head": gettext_lazy("The chain's end does not match its head: rows were deleted or added."),
    "anchor": gettext_lazy("It differs from what a daily anchor recorded."),
}


@login_required
def chains(request: HttpRequest) -> HttpResponse:
    require_chain_auditor(request.user)
    if request.method == "POST":
        # One walk at a time is enough: a walk of the whole record is long, and repeated
        # clicks must not queue many.
        if not cache.add(QUEUED, request.user.pk, QUEUED_SECONDS):
            messages.warning(
                request,
                _("A verification is already queued; its result appears here when it is done."),
            )
            return redirect("audit:chains")
        actor_pk = request.user.pk

        def send() -> None:
            try:
                verify_chains.delay(actor_pk)
            except Exception:  # the broker is down: the page says so below
                log.exception("could not queue the chain verification")

        transaction.on_commit(send)
        messages.success(
            request,
            _("The verification was queued; its result appears here when the worker is done."),
        )
        return redirect("audit:chains")
    runs = []
    for event in latest_verifications():
        first = event.detail.get("first_break") or None
        runs.append(
            {
                "event": event,
                "ok": bool(event.detail.get("ok")),
                "rows": event.detail.get("rows", 0),
                "tables": sorted((event.detail.get("tables") or {}).items()),
                "first": first,
                "meaning": BREAKS.get(first["kind"], "") if first else "",
            }
        )
    return render(request, "audit/chains.html", {"runs": runs})
