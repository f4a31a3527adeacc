"""The agenda of an office's daily meeting (会商议程), computed from the data each time.

It is never stored: an item leaves the agenda as soon as it is dealt with (the instruction
acted on, the dispute decided, the problem closed), so the list is always the work left.
The meeting's record is the meeting itself (`fieldwork.Meeting`) and the finalised summary's
items for decision.

Sections, in the order a meeting takes them: leaders' instructions not yet acted on,
disputes awaiting a decision, escalated problems (reported up, or urged repeatedly), open
common problems (those without a lasting rule first), overdue problems. A problem is listed
once, under its first section, with its other reasons beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ducha.accountability.figures import Period, Results, results, results_sentence
from ducha.daily.choices import AgendaReason
from ducha.daily.jurisdiction import office_region, region_problems
from ducha.orgs.models import Org
from ducha.problems.choices import Action, Nature, State
from ducha.problems.instructions import ANSWERS
from ducha.problems.models import Problem, ProblemEvent

# Each section shows at most this many problems; its count says how many there are.
AGENDA_LIMIT = 50
# The meeting hears the accountability and commendations of this many days up to today.
RESULT_DAYS = 7
# Urged this many times or more, a problem is escalated even if nobody reported it up.
URGED_TIMES = 2
RELATED = ("region", "site", "responsible_org", "reported_to")


@dataclass
class AgendaItem:
    problem: Problem
    reason: str
    note: str = ""
    also: list[str] = field(default_factory=list)


@dataclass
class AgendaSection:
    reason: str
    label: str
    total: int
    items: list[AgendaItem]
    # Problems of this section already listed under an earlier one.
    elsewhere: int = 0


@dataclass
class Agenda:
    office: Org
    day: date
    as_of: datetime
    sections: list[AgendaSection]
    # The jurisdiction's accountability and commendations of the last days, counted.
    results: Results | None = None
    results_from: date | None = None

    @property
    def results_sentence(self) -> str:
        return "" if self.results is None else results_sentence(self.results)

    @property
    def count(self) -> int:
        return sum(len(section.items) for section in self.sections)

    def counts(self) -> dict[str, int]:
        return {section.reason: section.total for section in self.sections}


def _latest(action: str, value: str) -> Subquery:
    events = ProblemEvent.objects.filter(problem=OuterRef("pk"), action=action)
    return Subquery(events.order_by("-created_at", "-pk").values(value)[:1])


def _instructions(problems: QuerySet[Problem]) -> QuerySet[Problem]:
    """Problems whose latest instruction has no answer from the unit or the office since."""
    instructed = ProblemEvent.objects.filter(
        action=Action.INSTRUCT, problem__in=problems.values("pk")
    ).values("problem_id")
    answers = ProblemEvent.objects.filter(problem=OuterRef("pk"), action__in=ANSWERS)
    return (
        Problem.objects.filter(pk__in=instructed)
        .annotate(
            instructed_at=_latest(Action.INSTRUCT, "created_at"),
            note=_latest(Action.INSTRUCT, "comment"),
            answered_at=Subquery(answers.order_by("-created_at").values("created_at")[:1]),
        )
        .filter(Q(answered_at__isnull=True) | Q(answered_at__lt=F("instructed_at")))
        .order_by("instructed_at", "pk")
    )


def _escalated_ids(open_problems: QuerySet[Problem]) -> Any:
    urged = (
        ProblemEvent.objects.filter(action=Action.URGE, problem__in=open_problems.values("pk"))
        .values("problem_id")
        .annotate(times=Count("pk"))
        .filter(times__gte=URGED_TIMES)
        .values("problem_id")
    )
    return open_problems.filter(Q(reported_to__isnull=False) | Q(pk__in=urged)).values("pk")


def _urge_count() -> Subquery:
    return Subquery(
        ProblemEvent.objects.filter(problem=OuterRef("pk"), action=Action.URGE)
        .order_by()
        .values("problem")
        .annotate(times=Count("pk"))
        .values("times")[:1]
    )


def _sections(region: Org, now: datetime) -> list[tuple[str, QuerySet[Any]]]:
    problems = region_problems(region)
    open_problems = problems.open()
    return [
        (AgendaReason.INSTRUCTION, _instructions(problems)),
        (
            AgendaReason.DISPUTE,
            open_problems.filter(state=State.DISPUTED)
            .annotate(note=_latest(Action.DISPUTE, "comment"))
            .order_by("deadline", "pk"),
        ),
        (
            AgendaReason.ESCALATED,
            Problem.objects.filter(pk__in=_escalated_ids(open_problems))
            .annotate(urged=_urge_count())
            .order_by("deadline", "pk"),
        ),
        (
            AgendaReason.COMMON,
            open_problems.filter(nature=Nature.COMMON)
            # Those still without their lasting rule (建) come first.
            .order_by(F("rule").asc(), "deadline", "pk"),
        ),
        (AgendaReason.OVERDUE, open_problems.overdue(now).order_by("deadline", "pk")),
    ]


def _reasons(problem: Problem, now: datetime, listed: dict[str, set[int]]) -> list[str]:
    reasons: list[str] = []
    if problem.pk in listed[AgendaReason.INSTRUCTION]:
        reasons.append(AgendaReason.INSTRUCTION)
    if problem.state == State.DISPUTED:
        reasons.append(AgendaReason.DISPUTE)
    if problem.pk in listed[AgendaReason.ESCALATED]:
        reasons.append(AgendaReason.ESCALATED)
    if problem.is_open and problem.nature == Nature.COMMON:
        reasons.append(AgendaReason.COMMON)
    # A dispute's time is the office's: it is on the agenda as a dispute, not as overdue.
    if problem.is_clocked and problem.deadline <= now:
        reasons.append(AgendaReason.OVERDUE)
    return reasons


def agenda_for(office: Org, now: datetime | None = None, limit: int = AGENDA_LIMIT) -> Agenda:
    now = now or timezone.now()
    region = office_region(office)
    if region is None:
        return Agenda(office, timezone.localdate(now), now, [])
    fetched: list[tuple[str, int, list[Problem]]] = []
    for reason, query in _sections(region, now):
        fetched.append((reason, query.count(), list(query.select_related(*RELATED)[:limit])))
    listed = {reason: {p.pk for p in shown} for reason, _, shown in fetched}
    seen: set[int] = set()
    sections = []
    for reason, count, shown in fetched:
        items = []
        elsewhere = 0
        for problem in shown:
            if problem.pk in seen:
                elsewhere += 1
                continue
            seen.add(problem.pk)
            reasons = _reasons(problem, now, listed)
            items.append(
                AgendaItem(
                    problem=problem,
                    reason=reason,
                    note=_note(problem, reason, now),
                    also=[other for other in reasons if other != reason],
                )
            )
        label = str(AgendaReason(reason).label)
        sections.append(AgendaSection(reason, label, count, items, elsewhere))
    day = timezone.localdate(now)
    period = Period(day - timedelta(days=RESULT_DAYS - 1), day)
    return Agenda(office, day, now, sections, results(region, period), period.first)


def _note(problem: Problem, reason: str, now: datetime) -> str:
    """What the meeting needs to know beside the title, in the reader's language."""
    if reason in (AgendaReason.INSTRUCTION, AgendaReason.DISPUTE):
        return str(getattr(problem, "note", "") or "")
    if reason == AgendaReason.ESCALATED:
        parts = []
        if problem.reported_to is not None:
            parts.append(_("Reported to %(org)s") % {"org": problem.reported_to.name})
        urged = getattr(problem, "urged", None) or 0
        if urged:
            parts.append(
                ngettext("Urged %(times)s time", "Urged %(times)s times", urged) % {"times": urged}
            )
        return _("; ").join(parts)
    if reason == AgendaReason.COMMON:
        return "" if problem.rule else _("No lasting rule yet")
    return _("%(time)s overdue") % {"time": timesince(problem.deadline, now, depth=2)}
