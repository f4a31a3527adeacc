"""The resumption dashboard's page (复工复产): rates by category, area and region as of a day."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ducha.core.errors import InvalidInput
from ducha.reports.resumption import build, resumption_roots, resumption_scope
from ducha.resumption.figures import as_of_day


@login_required
def resumption_dashboard(request: HttpRequest) -> HttpResponse:
    found = resumption_scope(request.user, request.GET.get("region"))
    today = timezone.localdate()
    raw = request.GET.get("as_of", "")
    context = {
        "scope": found,
        "as_of_raw": raw[:10],
        "today": today,
        "others": [root for root in resumption_roots(request.user) if root != found.region],
    }
    try:
        as_of = as_of_day(raw, today)
    except InvalidInput as error:
        # The same words as the API's; nothing is counted for a day that is not one.
        context["error"] = error.message
        return render(request, "reports/resumption.html", context, status=400)
    figures, sentences = build(found, as_of)
    context |= {"board": figures, "sentences": sentences, "as_of": as_of}
    return render(request, "reports/resumption.html", context)
