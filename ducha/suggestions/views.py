"""Pages of suggestions: the list with its figures, one suggestion with its history, the
form to make one, the receiver's response, and citing one in a lasting rule.

Lists start from `visible_to`; single rows come through `access`; changes only through the
`do_*` actions.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.dates import in_range
from ducha.core.forms import put_error, run_action
from ducha.core.scoping import access
from ducha.problems.models import Problem
from ducha.suggestions import actions, choosers, figures
from ducha.suggestions.choices import SuggestionAction, SuggestionState
from ducha.suggestions.forms import CiteForm, RespondForm, SuggestForm
from ducha.suggestions.models import Suggestion


class Filters(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("All")), *SuggestionState.choices],
    )
    since = forms.DateField(
        label=gettext_lazy("Made from"),
        required=False,
        validators=[in_range],
        widget=forms.DateInput({"type": "date"}),
    )
    until = forms.DateField(
        label=gettext_lazy("Made until"),
        required=False,
        validators=[in_range],
        widget=forms.DateInput({"type": "date"}),
    )
    receiver = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    sender = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


def _day_start(day: Any) -> datetime | None:
    return None if day is None else timezone.make_aware(datetime.combine(day, time.min))


def may_suggest(user: Any) -> bool:
    return choosers.sending_offices(user).exists() or choosers.sending_teams(user).exists()


@login_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    filters = Filters(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    until = data.get("until")
    rows = figures.suggestions(
        request.user,
        since=_day_start(data.get("since")),
        until=_day_start(until + timedelta(days=1)) if until else None,
    )
    for field in ("receiver", "sender"):
        if data.get(field):
            rows = rows.filter(**{f"{field}_id": data[field]})
    tally = figures.tally(rows)
    if data.get("state"):
        rows = rows.filter(state=data["state"])
    rows = rows.select_related("sender", "team", "receiver").order_by("-made_at", "-pk")
    page = Paginator(rows, settings.DUCHA_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/list.html",
        {
            "page": page,
            "filters": filters,
            "tally": tally,
            "may_suggest": may_suggest(request.user),
        },
        status=400 if filters.is_bound and not filters.is_valid() else 200,
    )


@login_required
def suggestion_create(request: HttpRequest) -> HttpResponse:
    if not may_suggest(request.user):
        raise PermissionDenied(_("Only an office's staff or a team's members make suggestions."))
    form = SuggestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, _dash, sender_id = data["sender"].partition("-")
        office = team = None
        if kind == "team":
            team = choosers.sending_teams(request.user).get(pk=int(sender_id))
        else:
            office = choosers.sending_offices(request.user).get(pk=int(sender_id))
        problems = list(Problem.objects.filter(pk__in=data["problems"]))
        if len(problems) != len(data["problems"]):
            put_error(form, choosers.PROBLEMS.refusal())
        else:
            outcome = run_action(
                request,
                form,
                actions.do_suggest,
                acting_user=request.user,
                office=office,
                team=team,
                receiver=data["receiver"],
                title=data["title"],
                text=data["text"],
                problems=problems,
                aliases={"office": "sender", "team": "sender"},
            )
            if outcome.ok:
                messages.success(request, _("The suggestion was sent."))
                return redirect("suggestions:detail", pk=outcome.result.pk)
    status = 400 if form.is_bound else 200
    return render(request, "suggestions/create.html", {"form": form}, status=status)


def _page(request: HttpRequest, suggestion: Suggestion, **forms_: Any) -> dict[str, Any]:
    user = request.user
    may_respond = (
        suggestion.state == SuggestionState.MADE
        and Suggestion.objects.visible_to(user, SuggestionAction.RESPOND)
        .filter(pk=suggestion.pk)
        .exists()
    )
    may_cite = (
        suggestion.state in (SuggestionState.ADOPTED, SuggestionState.PARTLY_ADOPTED)
        and choosers.rule_problems(user).exists()
    )
    visible = Problem.objects.visible_to(user)
    return {
        "suggestion": suggestion,
        # Problems the reader may not see stay out of sight; the count says they exist.
        "problems": suggestion.problems.filter(pk__in=visible.values("pk")),
        "problems_total": suggestion.problems.count(),
        "rules": suggestion.rules.filter(problem__in=visible.values("pk")).select_related(
            "problem", "cited_by"
        ),
        "events": suggestion.events.select_related("actor").order_by("created_at", "pk"),
        "respond_form": forms_.get("respond_form")
        or (RespondForm(initial={"version": suggestion.version}) if may_respond else None),
        "cite_form": forms_.get("cite_form")
        or (CiteForm(initial={"suggestion": suggestion.pk}) if may_cite else None),
    }


@login_required
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = access(Suggestion, request.user, pk).obj
    return render(request, "suggestions/detail.html", _page(request, suggestion))


@login_required
def suggestion_respond(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = access(Suggestion, request.user, pk, SuggestionAction.RESPOND).obj
    if request.method != "POST":
        return redirect("suggestions:detail", pk=pk)
    form = RespondForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        outcome = run_action(
            request,
            form,
            actions.do_respond,
            suggestion,
            acting_user=request.user,
            state=data["state"],
            response=data["response"],
            expected_version=data.get("version"),
        )
        if outcome.ok or outcome.refused_state:
            if outcome.ok:
                messages.success(request, _("Your response was recorded."))
            return redirect("suggestions:detail", pk=pk)
    context = _page(request, suggestion, respond_form=form)
    return render(request, "suggestions/detail.html", context, status=400)


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@login_required
def suggestion_cite(request: HttpRequest) -> HttpResponse:
    """建: a lasting rule cites a suggestion, from the suggestion's page or the problem's."""
    if request.method != "POST":
        raise Http404
    form = CiteForm(request.POST)
    suggestion_id = request.POST.get("suggestion")
    suggestion = access(Suggestion, request.user, suggestion_id).obj
    if form.is_valid():
        problem = Problem.objects.filter(pk=form.cleaned_data["problem"]).first()
        if problem is None:
            put_error(form, choosers.RULE_PROBLEM.refusal())
        else:
            outcome = run_action(
                request,
                form,
                actions.do_cite_suggestion,
                suggestion,
                acting_user=request.user,
                problem=problem,
            )
            if outcome.ok:
                messages.success(request, _("The lasting rule now cites the suggestion."))
                fallback = redirect("suggestions:detail", pk=suggestion.pk).url
                return redirect(_back(request, fallback))
    context = _page(request, suggestion, cite_form=form)
    return render(request, "suggestions/detail.html", context, status=400)
