"""Pages of a drafted record, a team's report or an office's summary: read it, write it,
count its numbers again, close it (submit, finalise), and return a report. One set of views
for both kinds; `urls.py` says which kind each address shows.

A record comes only through its `access_*` helper; every change goes through the kind's
`do_*` steps, and every refusal is answered in one place (`attempt`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ducha.core.forms import run_action
from ducha.daily.access import access_report, access_summary, readable_offices
from ducha.daily.actions import REPORTS, SUMMARIES, do_return_report
from ducha.daily.choices import DailyAction
from ducha.daily.details import report_objects, summary_objects
from ducha.daily.forms import ReportForm, ReturnForm, SummaryForm
from ducha.daily.lifecycle import DraftedRecord
from ducha.daily.models import DailyReport, DailySummary
from ducha.daily.presenting import (
    figure_rows,
    region_rows,
    results_line,
    resumption_lines,
    summary_rate,
    summary_sentence,
)


@dataclass(frozen=True)
class RecordPages:
    """How a kind of drafted record shows on the pages."""

    kind: DraftedRecord
    access: Callable[..., Any]  # `access_report` …
    form: type[forms.Form]  # its writers' form, one field per text
    # The kind's own part of its page: (user, record, allowed actions, forms) → context.
    context: Callable[..., dict[str, Any]]
    saved: Promise
    closed: Promise


def _report_context(
    user: Any, report: DailyReport, allowed: list[str], return_form: ReturnForm | None = None
) -> dict[str, Any]:
    may_return = DailyAction.RETURN_REPORT in allowed
    return {
        "return_form": (return_form or ReturnForm()) if may_return else None,
        **report_objects(user, report),
    }


def _summary_context(user: Any, summary: DailySummary, allowed: list[str]) -> dict[str, Any]:
    teams = (summary.details or {}).get("teams", [])
    return {
        "region": region_rows(summary),
        "sentence": summary_sentence(summary),
        "results_sentence": results_line(summary),
        "resumption_lines": resumption_lines(summary),
        "rate": summary_rate(summary),
        "teams": teams,
        "missing": [team for team in teams if team["state"] != "submitted"],
        "agenda_counts": (summary.details or {}).get("agenda", {}),
        "may_agenda": readable_offices(user).filter(pk=summary.office_id).exists(),
        **summary_objects(user, summary),
    }


REPORT_PAGES = RecordPages(
    REPORTS,
    access_report,
    ReportForm,
    _report_context,
    gettext_lazy("The report was saved."),
    gettext_lazy("The report was submitted to the office."),
)
SUMMARY_PAGES = RecordPages(
    SUMMARIES,
    access_summary,
    SummaryForm,
    _summary_context,
    gettext_lazy("The summary was saved."),
    gettext_lazy("The summary was finalised."),
)


def show(
    request: HttpRequest, pages: RecordPages, record: Any, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    kind = pages.kind
    allowed = kind.allowed(user, [record])[record.pk]
    form = forms.pop("form", None)
    if kind.edit_action not in allowed:
        form = None
    elif form is None:
        form = pages.form(initial={name: getattr(record, name) for name in kind.texts})
    context = {
        kind.name: record,
        "figures": figure_rows(record),
        "form": form,
        "events": record.events.select_related("actor"),
        **pages.context(user, record, allowed, **forms),
    }
    return render(request, f"daily/{kind.name}.html", context, status=status)


def attempt(
    request: HttpRequest,
    pages: RecordPages,
    record: Any,
    action: Callable[[], Any],
    done: str | Promise,
    form: Any = None,
    form_name: str = "form",
) -> HttpResponse:
    """Take the action and go back to the record saying `done`; or show why not, the record
    as it is now: the form's errors (422), bad input on its field (422), a record that can
    no longer change in a message (409). Every refusal of these pages is answered here."""
    if form is not None and not form.is_valid():
        return show(request, pages, record, status=422, **{form_name: form})
    if form is None:
        # Bad input is shown on the text it is about, as the record holds it.
        form = pages.form({name: getattr(record, name) for name in pages.kind.texts})
        form.is_valid()
    outcome = run_action(request, form, action)
    if outcome.ok:
        messages.success(request, str(done))
        return redirect(f"daily:{pages.kind.name}", pk=record.pk)
    record = pages.access(request.user, record.pk)
    if outcome.refused_state:
        return show(request, pages, record, status=outcome.status)
    return show(request, pages, record, status=outcome.status, **{form_name: form})


@login_required
def detail(request: HttpRequest, pk: int, pages: RecordPages) -> HttpResponse:
    """One record; its writers write it here (POST saves the text)."""
    user = request.user
    if request.method != "POST":
        return show(request, pages, pages.access(user, pk))
    record = pages.access(user, pk, pages.kind.edit_action)
    form = pages.form(request.POST)

    def save() -> None:
        pages.kind.do_edit(record, acting_user=user, **form.cleaned_data)

    return attempt(request, pages, record, save, pages.saved, form)


@login_required
@require_POST
def close(request: HttpRequest, pk: int, pages: RecordPages) -> HttpResponse:
    """Submit or finalise; sent from the edit form, the text is saved first (then closed)."""
    user, kind = request.user, pages.kind
    record = pages.access(user, pk, kind.close_action)
    posted = any(name in request.POST for name in pages.form.base_fields)
    form = pages.form(request.POST) if posted else None

    def save_and_close() -> None:
        written = kind.do_edit(record, acting_user=user, **form.cleaned_data) if form else record
        kind.do_close(written, acting_user=user)

    return attempt(request, pages, record, save_and_close, pages.closed, form)


@login_required
@require_POST
def refresh(request: HttpRequest, pk: int, pages: RecordPages) -> HttpResponse:
    """Count the numbers again; the text stays."""
    user = request.user
    record = pages.access(user, pk, pages.kind.edit_action)

    def recount() -> None:
        pages.kind.do_refresh(record, acting_user=user)

    return attempt(request, pages, record, recount, _("The numbers were counted again."))


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    """The office sends a submitted report back to its team with the reason."""
    user = request.user
    report = access_report(user, pk, DailyAction.RETURN_REPORT)
    form = ReturnForm(request.POST)

    def send_back() -> None:
        do_return_report(report, acting_user=user, **form.cleaned_data)

    done = _("The report was returned to the team.")
    return attempt(request, REPORT_PAGES, report, send_back, done, form, "return_form")
