"""The search page: one ranked, paged section per kind, only among rows the user may see."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ducha.core.search import parse_query
from ducha.search.finding import PREVIEW_ROWS, search
from ducha.search.forms import SearchForm


@require_safe
@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "sections": None}
    if not form.is_bound:
        return render(request, "search/page.html", context)
    if not form.is_valid():
        return render(request, "search/page.html", context, status=400)
    query = parse_query(form.cleaned_data["q"])
    assert query is not None  # the field is required and parses
    kind = form.cleaned_data["kind"]
    page_size = settings.DUCHA_PAGE_SIZE if kind else PREVIEW_ROWS
    context |= {
        "query": query,
        "kind": kind,
        "sections": search(
            request.user, query, kind=kind, page=form.cleaned_data["page"] or 1, page_size=page_size
        ),
    }
    return render(request, "search/page.html", context)
