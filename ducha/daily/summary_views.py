"""Pages of the offices' summaries (日汇总) and of the meeting agenda (会商议程)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.core.forms import run_action
from ducha.daily import actions
from ducha.daily.access import access_office, access_summary, own_offices, readable_offices
from ducha.daily.agenda import agenda_for
from ducha.daily.choices import DailyAction, SummaryState
from ducha.daily.details import summary_objects
from ducha.daily.drafts import agenda_lines
from ducha.daily.forms import SummaryForm
from ducha.daily.models import DailySummary
from ducha.daily.presenting import figure_rows, region_rows, summary_rate, summary_sentence
from ducha.daily.views import require

# The list shows this many summaries, the latest first.
LIST_LIMIT = 60
TEXTS = ("overview", "cases", "decisions")


@login_required
def summaries(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(user, DailyAction.VIEW)
    rows = (
        DailySummary.objects.visible_to(user)
        .select_related("office")
        .order_by("-day", "office__path", "pk")[:LIST_LIMIT]
    )
    context = {"summaries": rows, "today": timezone.localdate(), "offices": own_offices(user)}
    return render(request, "daily/summaries.html", context)


def _summary_page(
    request: HttpRequest, summary: DailySummary, form: SummaryForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    may_write = (
        summary.state == SummaryState.DRAFT
        and DailySummary.objects.visible_to(user, DailyAction.EDIT_SUMMARY)
        .filter(pk=summary.pk)
        .exists()
    )
    if may_write and form is None:
        form = SummaryForm(initial={name: getattr(summary, name) for name in TEXTS})
    teams = (summary.details or {}).get("teams", [])
    context = {
        "summary": summary,
        "figures": figure_rows(summary),
        "region": region_rows(summary),
        "sentence": summary_sentence(summary),
        "rate": summary_rate(summary),
        "teams": teams,
        "missing": [team for team in teams if team["state"] != "submitted"],
        "agenda_counts": (summary.details or {}).get("agenda", {}),
        "form": form if may_write else None,
        "events": summary.events.select_related("actor"),
        "may_agenda": readable_offices(user).filter(pk=summary.office_id).exists(),
        **summary_objects(user, summary),
    }
    return render(request, "daily/summary.html", context, status=status)


@login_required
def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if request.method != "POST":
        return _summary_page(request, access_summary(user, pk))
    summary = access_summary(user, pk, DailyAction.EDIT_SUMMARY)
    form = SummaryForm(request.POST)
    if not form.is_valid():
        return _summary_page(request, summary, form=form, status=422)
    outcome = run_action(
        request, form, actions.do_edit_summary, summary, acting_user=user, **form.cleaned_data
    )
    if outcome.ok:
        messages.success(request, _("The summary was saved."))
        return redirect("daily:summary", pk=summary.pk)
    if outcome.refused_state:
        return _summary_page(request, access_summary(user, pk), status=outcome.status)
    return _summary_page(request, summary, form=form, status=outcome.status)


def _summary_action(request: HttpRequest, pk: int, action: str, run: Any, done: str) -> Any:
    """Refresh or finalise; a finalise sent from the edit form saves its text first."""
    user = request.user
    summary = access_summary(user, pk, action)
    form = SummaryForm(request.POST) if any(name in request.POST for name in TEXTS) else None
    if form is not None and not form.is_valid():
        return _summary_page(request, summary, form=form, status=422)

    def save_and_run() -> Any:
        saved = summary
        if form is not None:
            saved = actions.do_edit_summary(summary, acting_user=user, **form.cleaned_data)
        return run(saved, acting_user=user)

    outcome = run_action(request, form, save_and_run)
    if outcome.refused_state:
        return _summary_page(request, access_summary(user, pk), status=outcome.status)
    if not outcome.ok:
        return _summary_page(request, summary, form=form, status=outcome.status)
    messages.success(request, done)
    return redirect("daily:summary", pk=summary.pk)


@login_required
@require_POST
def summary_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    return _summary_action(
        request,
        pk,
        DailyAction.FINALISE_SUMMARY,
        actions.do_finalise_summary,
        _("The summary was finalised."),
    )


@login_required
@require_POST
def summary_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    return _summary_action(
        request,
        pk,
        DailyAction.EDIT_SUMMARY,
        actions.do_refresh_summary,
        _("The numbers were counted again."),
    )


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    """会商议程: the items the office's meeting must take, as a checklist."""
    user = request.user
    require(user, DailyAction.VIEW_AGENDA)
    office_id = request.GET.get("office")
    if office_id:
        office = access_office(user, office_id, DailyAction.VIEW_AGENDA)
    else:
        office = own_offices(user).first() or readable_offices(user).first()
        if office is None:
            raise PermissionDenied(_("Your roles may not do this."))
    result = agenda_for(office)
    today = DailySummary.objects.filter(office=office, day=result.day).first()
    context = {
        "agenda": result,
        "offices": readable_offices(user),
        "may_record": own_offices(user).filter(pk=office.pk).exists(),
        "summary": today,
        "agenda_text": "\n".join(agenda_lines(result)),
    }
    return render(request, "daily/agenda.html", context)
