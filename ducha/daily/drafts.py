"""The words a draft starts with, written from the data in the offices' language.

Only facts that need no counting go into the text (times, places, titles); the numbers stay
in their own fields, computed, so that editing the text can never make them drift.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ducha.daily.agenda import Agenda
from ducha.daily.choices import AgendaReason, ReportState
from ducha.daily.figures import TeamDay
from ducha.daily.jurisdiction import day_bounds, local_time, region_problems
from ducha.fieldwork.models import Inspection
from ducha.orgs.models import Org
from ducha.problems.choices import Action, Nature, Urgency
from ducha.problems.models import Problem, ProblemEvent

# The summary's notable problems of the day: at most this many are named.
NOTABLE_LIMIT = 50


def _join(names: Iterable[str]) -> str:
    return pgettext("list separator", ", ").join(names)


def _tags(problem: Problem) -> list[str]:
    tags = []
    if problem.urgency == Urgency.URGENT:
        tags.append(str(Urgency.URGENT.label))
    if problem.nature == Nature.COMMON:
        tags.append(str(Nature.COMMON.label))
    if problem.recurring:
        tags.append(_("recurring"))
    if problem.on_the_spot:
        tags.append(_("rectified on the spot"))
    return tags


def _problem_line(problem: Problem, place: str) -> str:
    line = _("%(place)s: %(title)s") % {"place": place, "title": problem.title}
    tags = _tags(problem)
    if tags:
        line += _(" (%(tags)s)") % {"tags": _join(tags)}
    return line


def report_texts(one: TeamDay) -> dict[str, str]:
    """Work done: one line per visit; notable cases: one line per problem found."""
    with translation.override(settings.LANGUAGE_CODE):
        visits = (
            Inspection.objects.filter(pk__in=one.inspections)
            .prefetch_related("sites")
            .order_by("visited_at", "pk")
        )
        work = []
        for visit in visits:
            line = _("%(time)s %(method)s: %(sites)s") % {
                "time": local_time(visit.visited_at),
                "method": visit.get_method_display(),
                "sites": _join(site.name for site in visit.sites.all()),
            }
            if visit.notes:
                line += _(" — %(notes)s") % {"notes": visit.notes}
            work.append(line)
        problems = (
            Problem.objects.filter(pk__in=one.problems)
            .select_related("site", "region")
            .order_by("found_at", "pk")
        )
        cases = []
        for problem in problems:
            place = problem.site.name if problem.site else problem.region.name
            line = _problem_line(problem, place)
            if problem.description:
                line += _(" — %(text)s") % {"text": problem.description}
            cases.append(line)
    return {"work": "\n".join(work), "cases": "\n".join(cases), "difficulties": ""}


def notable_problems(region: Org, day: date) -> list[int]:
    """The day's urgent and common problems of the jurisdiction, and those found back."""
    start, end = day_bounds(day)
    problems = region_problems(region)
    reopened = ProblemEvent.objects.filter(
        action=Action.REOPEN, created_at__gte=start, created_at__lt=end
    ).values("problem_id")
    found = Q(found_at__gte=start, found_at__lt=end) & (
        Q(urgency=Urgency.URGENT) | Q(nature=Nature.COMMON)
    )
    rows = problems.filter(found | Q(pk__in=reopened)).order_by("found_at", "pk")
    return list(rows.values_list("pk", flat=True)[:NOTABLE_LIMIT])


def summary_texts(reports: Iterable[Any], problem_ids: list[int], agenda: Agenda) -> dict[str, str]:
    """Notable cases from the submitted reports and the day's data; the agenda's items as the
    items for decision."""
    with translation.override(settings.LANGUAGE_CODE):
        cases = []
        for report in reports:
            if report.state == ReportState.SUBMITTED and report.cases.strip():
                cases.append(
                    _("[%(team)s] %(cases)s") % {"team": report.team.name, "cases": report.cases}
                )
        problems = Problem.objects.filter(pk__in=problem_ids).select_related("region", "site")
        for problem in problems.order_by("found_at", "pk"):
            place = problem.region.name
            if problem.site:
                place = _("%(region)s %(site)s") % {"region": place, "site": problem.site.name}
            cases.append(_problem_line(problem, place))
        decisions = agenda_lines(agenda)
    return {"overview": "", "cases": "\n".join(cases), "decisions": "\n".join(decisions)}


def agenda_lines(agenda: Agenda) -> list[str]:
    """One line per agenda item, for the summary's items for decision or the minutes."""
    lines = []
    for section in agenda.sections:
        for item in section.items:
            line = _("%(reason)s: %(title)s (%(region)s)") % {
                "reason": AgendaReason(section.reason).label,
                "title": item.problem.title,
                "region": item.problem.region.name,
            }
            if item.note:
                line += _(" — %(text)s") % {"text": item.note}
            lines.append(line)
    return lines
