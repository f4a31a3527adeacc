"""A day of field work for the daily-cycle tests, built through the real actions.

Everything happens yesterday (a whole day lies behind it, whatever the hour the tests run)
on the demo's replay clock, so that events carry the moments they describe.

The county team's day (双桥区督查组):
- 10:00 open visit of the checkpoint: one question passed, one failed (a problem), one n/a;
- 15:00 unannounced visit of the checkpoint and the market: three questions failed: one
  urgent problem, one common problem, one fixed on the spot;
- 16:00 a revisit of a problem closed ten days ago finds it back (recorded without a visit);
- a problem it found three days earlier passes its 72-hour deadline at 11:00, still open.
The county office records a problem of its own that day (no team), and the sibling team
works in its own district.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from ducha.demo.clock import ReplayClock, replay_clock
from ducha.demo.fieldwork import field_clock
from ducha.fieldwork import actions as fieldwork
from ducha.fieldwork.models import Inspection
from ducha.orgs.models import Site
from ducha.problems import actions as loop
from ducha.problems.models import FocusArea, Problem
from tests.fieldwork.domain.factory import fail, passed
from tests.world import World


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@contextmanager
def clock() -> Iterator[ReplayClock]:
    with replay_clock() as replay, field_clock(replay):
        yield replay


@dataclass
class Scene:
    world: World
    day: date
    problems: dict[str, Problem] = field(default_factory=dict)
    inspections: dict[str, Inspection] = field(default_factory=dict)

    @property
    def team(self) -> Any:
        return self.world.teams["county_team"]


def _screening() -> FocusArea:
    return FocusArea.objects.get(code="screening")


def busy_day(world: World, day: date | None = None) -> Scene:
    day = day or yesterday()
    scene = Scene(world, day)
    member = world.users["county_team_member"]
    team = world.teams["county_team"]
    market = Site.objects.create(name="双桥区农贸市场", kind="market", region=world.orgs["county"])
    world.sites["market"] = market
    with clock() as replay:
        replay.moment = at(day, 8, 0) - timedelta(days=10)
        old = world.assigned(found_at=replay.moment - timedelta(hours=1), title="旧问题")
        loop.do_submit_rectification(old, acting_user=world.users["county_handler"], text="已整改")
        old = loop.do_verify(
            Problem.objects.get(pk=old.pk), acting_user=world.users["county_office"], accept=True
        )
        scene.problems["revisited"] = old
        replay.moment = at(day, 11, 0) - timedelta(days=3, minutes=5)
        scene.problems["late"] = world.problem(
            by="county_team_member",
            team=team,
            title="隔离点消杀记录缺失",
            found_at=at(day, 11, 0) - timedelta(days=3),
        )
        replay.moment = at(day, 8, 30)
        questions = [
            fieldwork.do_add_checklist_item(
                acting_user=world.users["county_office"],
                focus_area=_screening(),
                office=world.orgs["county_office"],
                text=text,
            )
            for text in ("卡口是否逐车登记", "值守人员是否在岗", "扫码测温是否落实")
        ]
        replay.moment = at(day, 10, 30)
        scene.inspections["morning"] = fieldwork.do_record_inspection(
            acting_user=member,
            team=team,
            method="open",
            visited_at=at(day, 10, 0),
            sites=[world.sites["checkpoint"]],
            answers=[
                passed(questions[0]),
                fail(questions[1], "值守人员离岗"),
                fieldwork.AnswerInput(item=questions[2], result="na"),
            ],
        )
        replay.moment = at(day, 15, 40)
        scene.inspections["afternoon"] = fieldwork.do_record_inspection(
            acting_user=member,
            team=team,
            method="unannounced",
            visited_at=at(day, 15, 0),
            sites=[world.sites["checkpoint"], market],
            notes="不打招呼直奔现场",
            answers=[
                fail(questions[0], "夜间车辆未登记", urgency="urgent"),
                fail(questions[1], "各卡口普遍缺人", nature="common"),
                fail(
                    questions[2],
                    "测温枪没电",
                    fixed_on_spot=True,
                    evidence_text="当场更换电池并补测",
                ),
            ],
        )
        replay.moment = at(day, 16, 0)
        fieldwork.do_record_revisit(
            old.revisits.get(), acting_user=member, passed=False, note="问题反弹"
        )
        replay.moment = at(day, 17, 0)
        scene.problems["office_own"] = world.problem(
            title="办公室自查问题", found_at=at(day, 16, 50)
        )
        replay.moment = at(day, 12, 0)
        fieldwork.do_record_inspection(
            acting_user=world.users["sibling_team_member"],
            team=world.teams["sibling_team"],
            method="open",
            visited_at=at(day, 11, 0),
            sites=[world.sites["sibling_market"]],
            answers=[],
        )
    found = Problem.objects.filter(inspection__in=scene.inspections.values())
    for problem in found.order_by("pk"):
        scene.problems[problem.description] = problem
    return scene


# What the county team's day adds up to, counted by hand from the story above.
COUNTY_TEAM_DAY = {
    "inspections": 2,
    "sites_visited": 2,
    "open_visits": 1,
    "unannounced_visits": 1,
    "revisit_visits": 0,
    "stationed_visits": 0,
    "questions_checked": 5,
    "questions_failed": 4,
    "problems_found": 4,
    "urgent_problems": 1,
    "common_problems": 1,
    "fixed_on_spot": 1,
    "revisits_done": 1,
    "revisits_failed": 1,
    "turned_red": 1,
}
