"""The numbers of a day, counted from the data: a few grouped queries whatever the number
of teams, so the job drafting a whole country's day and a team's own report use one code.

A team's day:
- inspections visited that day (by method), the distinct sites visited, checklist answers;
- problems it found that day (urgent, common), and those of them closed on the spot;
- revisits (回头看) its members recorded that day, and how many found the problem back;
- its open problems whose deadline passed during the day (turned red).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from ducha.daily.jurisdiction import day_bounds, region_problems
from ducha.daily.models import FIGURE_FIELDS
from ducha.fieldwork.choices import AnswerResult, Method
from ducha.fieldwork.models import Answer, FieldEvent, Inspection
from ducha.orgs.models import Org, Team
from ducha.problems.choices import Action, Nature, State, Urgency
from ducha.problems.models import Problem, ProblemEvent

METHOD_FIELDS = {
    Method.OPEN: "open_visits",
    Method.UNANNOUNCED: "unannounced_visits",
    Method.REVISIT: "revisit_visits",
    Method.STATIONED: "stationed_visits",
}


@dataclass
class TeamDay:
    """One team's numbers of one day, with the ids behind them."""

    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURE_FIELDS, 0))
    inspections: list[int] = field(default_factory=list)
    problems: list[int] = field(default_factory=list)
    turned_red: list[int] = field(default_factory=list)
    revisits: list[int] = field(default_factory=list)
    sites: set[int] = field(default_factory=set)

    @property
    def active(self) -> bool:
        return any(self.figures.values())

    def details(self) -> dict[str, list[int]]:
        return {
            "inspections": sorted(self.inspections),
            "problems": sorted(self.problems),
            "turned_red": sorted(self.turned_red),
            "revisits": sorted(self.revisits),
            "sites": sorted(self.sites),
        }


def team_days(
    day: date, team_ids: Iterable[int] | None = None, now: datetime | None = None
) -> dict[int, TeamDay]:
    """Each team's day; all teams with activity when `team_ids` is None, else those teams
    (with zeros for a team that did nothing)."""
    start, end = day_bounds(day)
    now = now or timezone.now()
    wanted = None if team_ids is None else set(team_ids)
    days: dict[int, TeamDay] = defaultdict(TeamDay)

    def only(rows: Any, field_name: str) -> Any:
        return rows if wanted is None else rows.filter(**{f"{field_name}__in": wanted})

    visits = only(Inspection.objects.filter(visited_at__gte=start, visited_at__lt=end), "team_id")
    for pk, team_id, method in visits.values_list("pk", "team_id", "method"):
        one = days[team_id]
        one.inspections.append(pk)
        one.figures["inspections"] += 1
        one.figures[METHOD_FIELDS[Method(method)]] += 1
    visit_ids = visits.values("pk")
    sites = Inspection.sites.through.objects.filter(inspection_id__in=visit_ids)
    for team_id, site_id in sites.values_list("inspection__team_id", "site_id").distinct():
        days[team_id].sites.add(site_id)
    answers = (
        Answer.objects.filter(inspection_id__in=visit_ids)
        .values_list("inspection__team_id")
        .annotate(
            checked=Count("pk", filter=~Q(result=AnswerResult.NOT_APPLICABLE)),
            failed=Count("pk", filter=Q(result=AnswerResult.FAIL)),
        )
        .order_by()
    )
    for team_id, checked, failed in answers:
        days[team_id].figures["questions_checked"] += checked
        days[team_id].figures["questions_failed"] += failed

    found = only(Problem.objects.filter(found_at__gte=start, found_at__lt=end), "team_id")
    found = found.exclude(team_id=None)
    for pk, team_id, urgency, nature in found.values_list("pk", "team_id", "urgency", "nature"):
        one = days[team_id]
        one.problems.append(pk)
        one.figures["problems_found"] += 1
        one.figures["urgent_problems"] += urgency == Urgency.URGENT
        one.figures["common_problems"] += nature == Nature.COMMON
    # Fixed during the visit that found them, whenever the fix was written down.
    fixed = ProblemEvent.objects.filter(action=Action.CLOSE_ON_SPOT, problem__in=found.values("pk"))
    for team_id, count in (
        fixed.values_list("problem__team_id")
        .annotate(n=Count("problem_id", distinct=True))
        .order_by()
    ):
        days[team_id].figures["fixed_on_spot"] += count

    # Red during the day: the deadline fell between its start and now (or its end), the clock
    # running (a dispute awaiting the office turns nothing red).
    red = only(
        Problem.objects.clocked().filter(deadline__gte=start, deadline__lt=min(end, now)),
        "team_id",
    )
    for pk, team_id in red.exclude(team_id=None).values_list("pk", "team_id"):
        days[team_id].turned_red.append(pk)
        days[team_id].figures["turned_red"] += 1

    _count_revisits(days, start, end, wanted)
    for one in days.values():
        one.figures["sites_visited"] = len(one.sites)
    if wanted is not None:
        return {team_id: days[team_id] for team_id in sorted(wanted)}
    return {team_id: one for team_id, one in sorted(days.items()) if one.active}


def _count_revisits(
    days: dict[int, TeamDay], start: datetime, end: datetime, wanted: set[int] | None
) -> None:
    """Revisit results recorded that day, credited to the visit's team, or else to the team
    of the member who recorded them (their first active team, so none is counted twice)."""
    events = FieldEvent.objects.filter(action="record_revisit", created_at__gte=start)
    rows = list(
        events.filter(created_at__lt=end).values_list(
            "revisit_id", "inspection__team_id", "actor_id", "payload"
        )
    )
    actors = {actor for _, team, actor, _ in rows if team is None}
    first_team: dict[int, int] = {}
    memberships = Team.members.through.objects.filter(user_id__in=actors, team__active=True)
    for user_id, member_of in memberships.order_by("team_id").values_list("user_id", "team_id"):
        first_team.setdefault(user_id, member_of)
    for revisit_id, visit_team, actor_id, payload in rows:
        team_id = visit_team or first_team.get(actor_id)
        if team_id is None or (wanted is not None and team_id not in wanted):
            continue
        one = days[team_id]
        one.revisits.append(revisit_id)
        one.figures["revisits_done"] += 1
        one.figures["revisits_failed"] += not (payload or {}).get("passed", True)


def total(days: Iterable[TeamDay]) -> TeamDay:
    """All teams of a jurisdiction together; sites are counted once."""
    result = TeamDay()
    for one in days:
        for name, value in one.figures.items():
            result.figures[name] += value
        result.inspections += one.inspections
        result.problems += one.problems
        result.turned_red += one.turned_red
        result.revisits += one.revisits
        result.sites |= one.sites
    result.figures["sites_visited"] = len(result.sites)
    return result


def region_figures(region: Org, day: date, now: datetime | None = None) -> dict[str, int]:
    """The jurisdiction's problems: found and closed that day, overdue now, and in all up to
    the end of the day (closed = rectified; see `rectification_stats`)."""
    start, end = day_bounds(day)
    now = now or timezone.now()
    closed = Q(state=State.CLOSED)
    today = Q(found_at__gte=start, found_at__lt=end)
    closed_today = closed & Q(closed_at__gte=start, closed_at__lt=end)
    until_end = Q(found_at__lt=end)
    counts = (
        region_problems(region)
        .order_by()
        .aggregate(
            found_in_region=Count("pk", filter=today),
            closed_in_region=Count("pk", filter=closed_today),
            cumulative_found=Count("pk", filter=until_end),
            cumulative_rectified=Count("pk", filter=until_end & closed & Q(closed_at__lt=end)),
        )
    )
    counts["overdue_in_region"] = region_problems(region).overdue(now).count()
    return counts
