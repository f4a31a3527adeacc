"""1+N: visits of the same site by different teams close together, and each site's burden.

A site should not be inspected twice by accident. Before a visit is planned, the other
teams' planned tasks and recorded inspections of its sites within the window are listed;
the planner either joins one of them or confirms the extra visit on purpose.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.errors import TransitionRefused
from ducha.fieldwork.choices import TaskState
from ducha.fieldwork.models import Inspection, Task


@dataclass(frozen=True)
class Overlap:
    """Another visit of a site: a planned task or a recorded inspection."""

    kind: str  # "task" | "inspection"
    id: int
    day: date
    team: str
    office: str
    site: str
    site_id: int = 0
    team_id: int = 0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        return data


class VisitOverlap(TransitionRefused):
    """The planned visit meets another team's visit of the same site within the window."""

    def __init__(self, visits: list[Overlap]) -> None:
        super().__init__(
            _(
                "Another team visits these sites within %(days)s days. Join that visit, "
                "or confirm that a second visit is intended."
            )
            % {"days": settings.DUCHA_VISIT_WINDOW_DAYS},
            "sites",
        )
        self.visits = visits


def _visible_task_ids(viewer: Any) -> Any:
    return Task.objects.visible_to(viewer).values("pk")


def _planned_tasks(sites: Iterable[Any], start: date, end: date, viewer: Any) -> Any:
    tasks = Task.objects.filter(
        sites__in=list(sites), day__gte=start, day__lte=end, state=TaskState.PLANNED
    )
    if viewer is None:
        # Without a viewer nobody's secret visit may leak into the answer.
        tasks = tasks.exclude(method="unannounced")
    else:
        tasks = tasks.filter(pk__in=_visible_task_ids(viewer))
    return tasks


def _local_day(moment: Any) -> date:
    return timezone.localtime(moment).date()


def _visits(sites: Iterable[Any], start: date, end: date, viewer: Any) -> list[Overlap]:
    """Planned tasks and recorded inspections of these sites between two days, inclusive."""
    site_ids = [getattr(s, "pk", s) for s in sites]
    found: list[Overlap] = []
    through = Task.sites.through
    planned = _planned_tasks(site_ids, start, end, viewer).values_list("pk", flat=True)
    rows = through.objects.filter(task_id__in=list(planned), site_id__in=site_ids).select_related(
        "task__team", "task__office", "site"
    )
    for row in rows:
        task = row.task
        found.append(
            Overlap(
                "task",
                task.pk,
                task.day,
                task.team.name,
                task.office.name,
                row.site.name,
                row.site_id,
                task.team_id,
            )
        )
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(start, time.min), tz)
    until = timezone.make_aware(datetime.combine(end, time.max), tz)
    inspected_through = Inspection.sites.through
    inspected = inspected_through.objects.filter(
        site_id__in=site_ids,
        inspection__visited_at__gte=since,
        inspection__visited_at__lte=until,
    ).select_related("inspection__team__dispatched_by", "site")
    for visit in inspected:
        inspection = visit.inspection
        found.append(
            Overlap(
                "inspection",
                inspection.pk,
                _local_day(inspection.visited_at),
                inspection.team.name,
                inspection.team.dispatched_by.name,
                visit.site.name,
                visit.site_id,
                inspection.team_id,
            )
        )
    found.sort(key=lambda o: (o.day, o.site, o.kind, o.id))
    return found


def _shift(day: date, days: int) -> date:
    """`day` moved by `days`, stopping at the ends of the calendar instead of overflowing."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def find_overlaps(
    sites: Iterable[Any],
    day: date,
    exclude_team: Any = None,
    viewer: Any = None,
    exclude_task: Any = None,
) -> list[Overlap]:
    """Other teams' visits of these sites within ±DUCHA_VISIT_WINDOW_DAYS of `day`.

    With a `viewer`, secret visits are counted only when the viewer may see them; without
    one, planned unannounced visits are left out.
    """
    window = settings.DUCHA_VISIT_WINDOW_DAYS
    team_id = getattr(exclude_team, "pk", exclude_team)
    task_id = getattr(exclude_task, "pk", exclude_task)
    return [
        visit
        for visit in _visits(sites, _shift(day, -window), _shift(day, window), viewer)
        if visit.team_id != team_id and not (visit.kind == "task" and visit.id == task_id)
    ]


@dataclass
class WeekBurden:
    year: int
    week: int
    monday: date
    visits: list[Overlap] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def count(self) -> int:
        return len({(v.kind, v.id) for v in self.visits})


@dataclass
class SiteBurden:
    site: Any
    weeks: list[WeekBurden]

    @property
    def total(self) -> int:
        return sum(week.count for week in self.weeks)


def week_mondays(weeks: int, today: date | None = None) -> list[date]:
    """The Mondays of the last `weeks` ISO weeks, the current week last."""
    today = today or timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def site_burden(
    sites_qs: Any, weeks: int, viewer: Any = None, today: date | None = None
) -> list[SiteBurden]:
    """Visits per site per ISO week (planned tasks and recorded inspections), with who came.

    Covers the last `weeks` weeks up to the end of the current one. Pass a scoped queryset;
    secret visits follow the same rule as `find_overlaps`.
    """
    weeks = max(1, min(int(weeks), 53))
    mondays = week_mondays(weeks, today)
    sites = list(sites_qs)
    visits = _visits(sites, mondays[0], mondays[-1] + timedelta(days=6), viewer)
    by_site: dict[int, dict[date, list[Overlap]]] = defaultdict(lambda: defaultdict(list))
    for visit in visits:
        monday = visit.day - timedelta(days=visit.day.weekday())
        by_site[visit.site_id][monday].append(visit)
    result = []
    for site in sites:
        rows = []
        for monday in mondays:
            iso = monday.isocalendar()
            rows.append(WeekBurden(iso[0], iso[1], monday, by_site[site.pk][monday]))
        result.append(SiteBurden(site, rows))
    return result
