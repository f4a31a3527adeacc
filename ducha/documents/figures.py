"""The figures of a scope by responsible unit: found, rectified, open, overdue, closed late.

Today's figures are counted from the problems as they are, with the same definitions as the
problem list: found = every problem in scope, rectified = closed, overdue = clock running
with its deadline passed (a dispute awaiting the office is counted as disputed, never
overdue). Figures as of an earlier day are replayed from the event log (each event records
the state it left, and the unit and deadline it set), so a bulletin stating the end of
yesterday says what the list said at midnight, whenever it is issued.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from ducha.orgs.models import Org
from ducha.problems.choices import CLOCKED_STATES, OPEN_STATES, State
from ducha.problems.models import ProblemEvent
from ducha.problems.querysets import ProblemQuerySet, rate

CLOSED = State.CLOSED


@dataclass
class UnitFigures:
    unit_id: int | None
    name: str = ""
    found: int = 0
    rectified: int = 0
    open: int = 0
    overdue: int = 0
    disputed: int = 0  # open, its dispute awaiting the office: the clock is paused
    late: int = 0  # closed after the deadline

    @property
    def rate(self) -> str:
        return rate(self.rectified, self.found)

    @property
    def praised(self) -> bool:
        """Rectified everything, and everything by its deadline."""
        return (
            self.unit_id is not None
            and self.found > 0
            and self.rectified == self.found
            and (self.late == 0)
        )


@dataclass
class Figures:
    moment: datetime
    units: list[UnitFigures]
    # Open problems past their deadline at the moment: (problem id, unit id, deadline).
    overdue_problems: list[tuple[int, int | None, datetime]]

    def total(self, name: str) -> int:
        return sum(getattr(unit, name) for unit in self.units)

    def as_data(self) -> dict[str, Any]:
        return {
            "moment": self.moment.isoformat(),
            "found": self.total("found"),
            "rectified": self.total("rectified"),
            "open": self.total("open"),
            "overdue": self.total("overdue"),
            "disputed": self.total("disputed"),
            "units": [asdict(unit) for unit in self.units],
        }


def end_of(day: date) -> datetime:
    """Midnight after `day`, local time."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def figures(problems: ProblemQuerySet, as_of: date, now: datetime) -> Figures:
    """Today's figures from the rows; an earlier day's from the event log."""
    if as_of >= timezone.localdate(now):
        return figures_now(problems, now)
    return figures_from_events(problems, end_of(as_of))


def _named(units: dict[int | None, UnitFigures]) -> list[UnitFigures]:
    names = dict(Org.objects.filter(pk__in=[pk for pk in units if pk]).values_list("pk", "name"))
    for pk, unit in units.items():
        unit.name = names.get(pk, "") if pk else ""
    # Units with the most problems first; the row without a unit last.
    return sorted(units.values(), key=lambda u: (u.unit_id is None, -u.found, u.name))


def figures_now(problems: ProblemQuerySet, now: datetime) -> Figures:
    open_now = Q(state__in=OPEN_STATES)
    overdue_now = Q(state__in=CLOCKED_STATES, deadline__lte=now)
    rows = (
        problems.order_by()
        .values("responsible_org_id")
        .annotate(
            found=Count("*"),
            rectified=Count("pk", filter=Q(state=CLOSED)),
            open=Count("pk", filter=open_now),
            overdue=Count("pk", filter=overdue_now),
            disputed=Count("pk", filter=Q(state=State.DISPUTED)),
            late=Count("pk", filter=Q(state=CLOSED, closed_at__gt=F("deadline"))),
        )
    )
    units = {
        row["responsible_org_id"]: UnitFigures(
            row["responsible_org_id"],
            found=row["found"],
            rectified=row["rectified"],
            open=row["open"],
            overdue=row["overdue"],
            disputed=row["disputed"],
            late=row["late"],
        )
        for row in rows
    }
    overdue = problems.filter(overdue_now).order_by("deadline", "pk")
    return Figures(
        now,
        _named(units),
        list(overdue.values_list("pk", "responsible_org_id", "deadline")),
    )


@dataclass
class _Replayed:
    state: str = ""
    unit_id: int | None = None
    deadline: datetime | None = None
    closed_at: datetime | None = None


def replay_problems(problems: ProblemQuerySet, moment: datetime) -> dict[int, _Replayed]:
    """Each problem known at `moment` as its events left it then."""
    events = (
        ProblemEvent.objects.filter(problem__in=problems.order_by().values("pk"))
        .filter(created_at__lte=moment)
        .order_by("problem_id", "created_at", "pk")
        .values_list("problem_id", "to_state", "payload", "created_at")
    )
    replayed: dict[int, _Replayed] = {}
    for problem_id, to_state, payload, created_at in events.iterator(chunk_size=2000):
        row = replayed.setdefault(problem_id, _Replayed())
        if to_state == CLOSED and row.state != CLOSED:
            row.closed_at = created_at
        elif to_state != CLOSED:
            row.closed_at = None
        row.state = to_state
        if "responsible_org" in payload:
            row.unit_id = payload["responsible_org"]
        if payload.get("deadline"):
            row.deadline = datetime.fromisoformat(payload["deadline"])
    return replayed


def figures_from_events(problems: ProblemQuerySet, moment: datetime) -> Figures:
    units: dict[int | None, UnitFigures] = {}
    overdue: list[tuple[int, int | None, datetime]] = []
    for problem_id, row in replay_problems(problems, moment).items():
        unit = units.setdefault(row.unit_id, UnitFigures(row.unit_id))
        unit.found += 1
        deadline = row.deadline or moment
        if row.state == CLOSED:
            unit.rectified += 1
            unit.late += int(row.closed_at is not None and row.closed_at > deadline)
        elif row.state in OPEN_STATES:
            unit.open += 1
            if row.state == State.DISPUTED:
                unit.disputed += 1
            elif deadline <= moment:
                unit.overdue += 1
                overdue.append((problem_id, row.unit_id, deadline))
    overdue.sort(key=lambda item: (item[2], item[0]))
    return Figures(moment, _named(units), overdue)
