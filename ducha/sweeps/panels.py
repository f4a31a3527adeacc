"""The sweep group on a problem's page (registered in `problems.hooks.PROBLEM_PANELS`):
the sweep that brought the problem and its original problem, or the sweeps launched from it,
each shown only to a reader who may see it."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from ducha.orgs.offices import nearest_office
from ducha.problems.models import Problem
from ducha.sweeps.models import Sweep, SweepProblem


def sweep_group(request: HttpRequest, problem: Problem) -> str:
    visible = Sweep.objects.visible_to(request.user)
    link = (
        SweepProblem.objects.filter(problem=problem, sweep__in=visible)
        .select_related("sweep", "origin", "self_check__unit")
        .first()
    )
    launched = list(visible.filter(origin=problem).order_by("-launched_at", "-pk")[:20])
    may_launch = nearest_office(request.user, problem.region) is not None
    if link is None and not launched and not may_launch:
        return ""
    origin_visible = link is not None and (
        Problem.objects.visible_to(request.user).filter(pk=link.origin_id).exists()
    )
    return render_to_string(
        "sweeps/_problem_group.html",
        {
            "problem": problem,
            "link": link,
            "origin_visible": origin_visible,
            "launched": launched,
            "may_launch": may_launch,
        },
        request=request,
    )
