"""Problems as stories: what was found, when, and each step of its loop.

A story is plain data that names orgs, sites, teams and people by their keys in the
`Cast`. `replay()` turns it into a problem by calling the real `do_*` actions in order, each
at its own moment on the replay clock, so the event log is the one those actions write.
Step times are hours after discovery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from ducha.accounts.system import system_user
from ducha.demo.cast import Cast
from ducha.demo.clock import ReplayClock
from ducha.problems import actions, extensions, ladder, receipt
from ducha.problems.choices import Nature, Urgency
from ducha.problems.models import Problem

# A problem is recorded a little after it is found (written up on the phone at the site).
RECORDING_DELAY = timedelta(minutes=12)


class StoryError(ValueError):
    """The demo's data contradicts itself (a step in the future, steps out of order)."""


@dataclass(frozen=True)
class Ago:
    """Found this many hours before the load: used where the light must come out right."""

    hours: float


@dataclass(frozen=True)
class Day:
    """Found `days` calendar days before the load, at a local time of day."""

    days: int
    hour: int
    minute: int = 0


@dataclass(frozen=True)
class Step:
    verb: str
    after: float
    by: str | None = None
    text: str = ""
    unit: str | None = None
    decision: str = ""
    deadline: float | None = None


@dataclass
class Story:
    title: str
    focus: str
    found: Ago | Day
    by: str
    office: str
    description: str = ""
    region: str | None = None
    site: str | None = None
    team: str | None = None
    urgency: str = Urgency.NORMAL
    nature: str = Nature.INDIVIDUAL
    steps: list[Step] = field(default_factory=list)

    @property
    def is_closed(self) -> bool:
        closed = False
        for step in self.steps:
            if step.verb in ("accept", "spot"):
                closed = True
            elif step.verb == "reopen":
                closed = False
        return closed


# Step builders, one per verb, so that story files read like a ledger.


def assign(after: float, unit: str, comment: str = "", by=None, deadline=None) -> Step:
    return Step("assign", after, by, comment, unit=unit, deadline=deadline)


def report_up(after: float, to: str, comment: str, by=None) -> Step:
    return Step("report_up", after, by, comment, unit=to)


def instruct(after: float, text: str, by: str) -> Step:
    return Step("instruct", after, by, text)


def urge(after: float, comment: str = "", by=None) -> Step:
    return Step("urge", after, by, comment)


def submit(after: float, text: str, by=None) -> Step:
    return Step("submit", after, by, text)


def accept(after: float, comment: str = "", by=None) -> Step:
    return Step("accept", after, by, comment)


def reject(after: float, comment: str, by=None) -> Step:
    return Step("reject", after, by, comment)


def rule(after: float, text: str, by=None) -> Step:
    return Step("rule", after, by, text)


def spot(after: float, evidence: str, by=None) -> Step:
    return Step("spot", after, by, evidence)


def dispute(after: float, reason: str, by=None) -> Step:
    return Step("dispute", after, by, reason)


def decide(after: float, decision: str, comment: str, unit=None, by=None, deadline=None) -> Step:
    return Step("decide", after, by, comment, unit=unit, decision=decision, deadline=deadline)


def reopen(after: float, reason: str, by=None) -> Step:
    return Step("reopen", after, by, reason)


def escalate(after: float) -> Step:
    """The ladder's 升级, taken by the system account at that moment (the step must be due)."""
    return Step("escalate", after, None)


def sign(after: float, by=None) -> Step:
    return Step("sign", after, by)


def extend(after: float, deadline: float, reason: str, by=None) -> Step:
    """延期申请: the unit asks for `deadline` hours after discovery."""
    return Step("extend", after, by, reason, deadline=deadline)


def grant(after: float, comment: str = "", by=None, deadline=None) -> Step:
    return Step("grant", after, by, comment, deadline=deadline)


def refuse(after: float, comment: str, by=None) -> Step:
    return Step("refuse", after, by, comment)


def found_at(found: Ago | Day, now: datetime) -> datetime:
    if isinstance(found, Ago):
        return now - timedelta(hours=found.hours)
    local = timezone.localtime(now) - timedelta(days=found.days)
    return local.replace(hour=found.hour, minute=found.minute, second=0, microsecond=0)


def replay(cast: Cast, stories: list[Story], clock: ReplayClock, now: datetime) -> int:
    """Create every story's problem and run its steps; oldest discoveries first."""
    timed = sorted(((found_at(s.found, now), i, s) for i, s in enumerate(stories)))
    for found, _, story in timed:
        _replay_one(cast, story, found, clock, now)
    return len(timed)


def _moment(story: Story, found: datetime, hours: float, now: datetime) -> datetime:
    moment = found + timedelta(hours=hours)
    if moment >= now:
        raise StoryError(f"“{story.title}”: a step {hours} h after discovery lies in the future")
    return moment


def _replay_one(
    cast: Cast, story: Story, found: datetime, clock: ReplayClock, now: datetime
) -> Problem:
    site = cast.sites[story.site] if story.site else None
    if story.region:
        region = cast.orgs[story.region]
    elif site is not None:
        region = site.region
    else:
        raise StoryError(f"“{story.title}” has neither a region nor a site")
    clock.moment = _moment(story, found, RECORDING_DELAY.total_seconds() / 3600, now)
    problem = actions.do_create_problem(
        acting_user=cast.users[story.by],
        title=story.title,
        description=story.description,
        region=region,
        site=site,
        focus_area=cast.focus[story.focus],
        team=cast.teams[story.team] if story.team else None,
        found_at=found,
        urgency=story.urgency,
        nature=story.nature,
    )
    last = clock.moment
    for step in story.steps:
        moment = _moment(story, found, step.after, now)
        if moment <= last:
            raise StoryError(f"“{story.title}”: step {step.verb} is out of order")
        clock.moment = last = moment
        problem = _run(cast, story, problem, step, found)
    clock.moment = None
    return problem


def _handler(cast: Cast, problem: Problem):
    assert problem.responsible_org_id is not None
    return cast.handler(cast.org_keys[problem.responsible_org_id])


def _deadline(found: datetime, hours: float | None) -> datetime | None:
    return None if hours is None else found + timedelta(hours=hours)


def _run(cast: Cast, story: Story, problem: Problem, step: Step, found: datetime) -> Problem:
    users = cast.users
    recorder = users[step.by or story.by]
    office = users[step.by or story.office]
    verb = step.verb
    if verb == "assign":
        assert step.unit is not None
        # Every unit that receives a problem has an account to answer it with.
        cast.handler(step.unit)
        return actions.do_assign(
            problem,
            acting_user=office,
            responsible_org=cast.orgs[step.unit],
            deadline=_deadline(found, step.deadline),
            comment=step.text,
        )
    if verb == "report_up":
        assert step.unit is not None
        return actions.do_report_up(
            problem, acting_user=recorder, to_org=cast.orgs[step.unit], comment=step.text
        )
    if verb == "instruct":
        return actions.do_instruct(problem, acting_user=recorder, text=step.text)
    if verb == "urge":
        return actions.do_urge(problem, acting_user=office, comment=step.text)
    if verb == "submit":
        unit = users[step.by] if step.by else _handler(cast, problem)
        return actions.do_submit_rectification(problem, acting_user=unit, text=step.text)
    if verb in ("accept", "reject"):
        return actions.do_verify(
            problem, acting_user=recorder, accept=verb == "accept", comment=step.text
        )
    if verb == "rule":
        author = users[step.by] if step.by else _handler(cast, problem)
        return actions.do_institutionalize(problem, acting_user=author, rule=step.text)
    if verb == "spot":
        return actions.do_close_on_spot(problem, acting_user=recorder, evidence=step.text)
    if verb == "dispute":
        unit = users[step.by] if step.by else _handler(cast, problem)
        return actions.do_dispute(problem, acting_user=unit, reason=step.text)
    if verb == "decide":
        if step.unit:
            cast.handler(step.unit)
        return actions.do_decide_dispute(
            problem,
            acting_user=office,
            decision=step.decision,
            comment=step.text,
            responsible_org=cast.orgs[step.unit] if step.unit else None,
            deadline=_deadline(found, step.deadline),
        )
    if verb == "reopen":
        return actions.do_reopen(problem, acting_user=recorder, reason=step.text)
    return _receipt_and_extension(cast, problem, step, found, office)


def _receipt_and_extension(
    cast: Cast, problem: Problem, step: Step, found: datetime, office: Any
) -> Problem:
    verb = step.verb
    if verb == "escalate":
        event = ladder.do_escalate(
            problem, acting_user=system_user(), deadline=problem.deadline, now=timezone.now()
        )
        if event is None:
            raise StoryError(f"“{problem.title}”: escalation is not due at that step")
        return Problem.objects.get(pk=problem.pk)
    unit = cast.users[step.by] if step.by else _handler(cast, problem)
    if verb == "sign":
        return receipt.do_sign(problem, acting_user=unit)
    if verb == "extend":
        return extensions.do_request_extension(
            problem, acting_user=unit, deadline=_deadline(found, step.deadline), reason=step.text
        )
    if verb in ("grant", "refuse"):
        return extensions.do_decide_extension(
            problem,
            acting_user=office,
            approve=verb == "grant",
            comment=step.text,
            deadline=_deadline(found, step.deadline),
        )
    raise StoryError(f"unknown step {verb}")
