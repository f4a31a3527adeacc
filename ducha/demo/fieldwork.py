"""Field work in Hui'an: checklists, the evening 会商会 and the next day's tasks, the visits
of the last days, and revisits.

All of it goes through `ducha/fieldwork/actions.py` on the replay clock, after the problems'
history. Dates are relative to the load: the meeting sat yesterday evening and planned
tomorrow's round (the county's next mass testing), so a team member who logs in finds
tomorrow's tasks on /field/tasks/. Problems found on these visits lie in Hui'an only, which
leaves the Chengdu zone's figures alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Model
from django.utils import timezone

from ducha.demo import checklists
from ducha.demo.cast import Cast
from ducha.demo.clock import ReplayClock
from ducha.demo.huian import joint, special
from ducha.fieldwork import actions
from ducha.fieldwork.actions import AnswerInput
from ducha.fieldwork.choices import AnswerResult, Method
from ducha.fieldwork.models import (
    ChecklistItem,
    Evidence,
    FieldEvent,
    Inspection,
    Meeting,
    Revisit,
    Task,
)
from ducha.orgs.choices import SiteKind
from ducha.problems.choices import Action
from ducha.problems.models import Problem

PASS, FAIL, NA = AnswerResult.PASS, AnswerResult.FAIL, AnswerResult.NOT_APPLICABLE
OFFICE = "huian.office"
# The town whose isolation site gets tomorrow's unannounced visit, and its own office.
TOWN_OFFICE = "luoyang.office"
SAMPLE_SEED = 20220330

# Field-work rows take their time from field defaults that captured the real clock.
TIMED: list[tuple[type[Model], str]] = [
    (ChecklistItem, "created_at"),
    (Meeting, "created_at"),
    (Task, "created_at"),
    (Inspection, "created_at"),
    (Revisit, "created_at"),
    (Evidence, "uploaded_at"),
    (FieldEvent, "created_at"),
]


@contextmanager
def field_clock(clock: ReplayClock) -> Iterator[None]:
    """Field-work rows written during the replay carry the replayed moment (see clock.py)."""
    fields: list[Any] = [model._meta.get_field(name) for model, name in TIMED]
    saved = [field.default for field in fields]
    for field in fields:
        field.default = clock.now
        field.__dict__.pop("_get_default", None)
    try:
        yield
    finally:
        for field, default in zip(fields, saved, strict=True):
            field.default = default
            field.__dict__.pop("_get_default", None)


class Scene:
    def __init__(self, cast: Cast, clock: ReplayClock, now: datetime) -> None:
        self.cast, self.clock, self.now = cast, clock, now
        self.local = timezone.localtime(now)
        self.today = self.local.date()

    def at(self, days: int, hour: int, minute: int = 0) -> datetime:
        """`days` calendar days before the load, at a local time of day."""
        moment = self.local - timedelta(days=days)
        return moment.replace(hour=hour, minute=minute, second=0, microsecond=0)

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)


def build(cast: Cast) -> None:
    """Places and the town office the field work needs; part of the scene's tree."""
    cast.site("s.huian.beiguan.gate", "北关社区封控小区卡口", SiteKind.CHECKPOINT, "huian.beiguan")
    cast.site(
        "s.huian.chongwu.test", "崇武镇古城社区核酸采样点", SiteKind.TEST_SITE, "huian.chongwu"
    )
    cast.office(TOWN_OFFICE, "螺阳镇纪委监察组", "huian.luoyang", staff="吴淑贞")


def replay(cast: Cast, clock: ReplayClock, now: datetime) -> None:
    scene = Scene(cast, clock, now)
    items = checklists.build(cast, clock, scene.at)
    _chongwu_follow_up(scene, items)
    checklists.revise(cast, clock, scene.at, items)
    _revisit_of_the_corridor(scene)
    _day_before_yesterday(scene, items)
    _this_morning(scene, items)
    _last_evening(scene)
    _sample(scene)
    clock.moment = None


def _answers(items: dict[str, ChecklistItem], *rows: tuple[str, ...]) -> list[AnswerInput]:
    """Rows of (question key, result[, note[, how it was fixed on the spot]])."""
    answers = []
    for row in rows:
        key, result, *rest = row
        note = rest[0] if rest else ""
        fixed = rest[1] if len(rest) > 1 else ""
        answers.append(
            AnswerInput(
                item=items[key],
                result=result,
                note=note,
                fixed_on_spot=bool(fixed),
                evidence_text=fixed,
            )
        )
    return answers


def _inspect(
    scene: Scene, number: str, visited: datetime, task: Task | None = None, **kwargs: Any
) -> Inspection:
    cast = scene.cast
    user = cast.users[f"huian.{number}"]
    team = cast.teams[f"t.huian.{number}"]
    # Written up on the phone a little after the visit.
    scene.clock.moment = visited + timedelta(minutes=35)
    return actions.do_record_inspection(
        acting_user=user,
        team=team,
        visited_at=visited,
        task=task,
        members_present=[user],
        **kwargs,
    )


def _chongwu_follow_up(scene: Scene, items: dict[str, ChecklistItem]) -> None:
    """Nine days ago, the day after the late cadres: answered with the first wording."""
    _inspect(
        scene,
        "joint6",
        scene.at(9, 8, 10),
        method=Method.UNANNOUNCED,
        sites=[scene.cast.sites["s.huian.chongwu.test"]],
        notes="前一天通报下沉干部迟到后，不打招呼再到采样点看到岗情况。",
        answers=_answers(
            items,
            ("six_cadres_v1", PASS, "排班的三名下沉干部七点四十前全部到岗。"),
            ("six_testing", PASS),
            ("queue", PASS),
        ),
    )


def _revisit_of_the_corridor(scene: Scene) -> None:
    """The 锦华酒店 corridor problem was reopened by a 回头看; its revisit is written up.

    The problem went back to its unit when the visit found it (the story's reopen); the
    revisit scheduled at its closing is recorded as failed right after, so the list of due
    revisits does not keep asking for a visit that already took place.
    """
    problem = Problem.objects.get(recurring=True, site=scene.cast.sites["s.huian.jinhua"])
    reopened = problem.events.get(action=Action.REOPEN).created_at
    revisit = problem.revisits.get(state="due", sampled=False)
    scene.clock.moment = reopened + timedelta(minutes=20)
    actions.do_record_revisit(
        revisit,
        acting_user=scene.cast.users["huian.special1"],
        passed=False,
        note="回头看当晚，监控室又一次无人盯看，四楼隔离人员开门取餐后在门口聊天，整改没有巩固住。",
    )


def _day_before_yesterday(scene: Scene, items: dict[str, ChecklistItem]) -> None:
    """The meeting two evenings ago and yesterday's visits that carried it out."""
    cast, clock = scene.cast, scene.clock
    office, staff = cast.orgs[OFFICE], cast.users[OFFICE]
    clock.moment = scene.at(2, 21, 40)
    meeting = actions.do_record_meeting(
        acting_user=staff,
        office=office,
        held_on=scene.day(-2),
        title="督查组会商会（日例会）",
        attendees="党风政风监督室全体；联合督查组第五组、集中隔离场所专项督查组、核酸检测专项督查组组长",
        decisions="一、惠东高速卡口再查登记和核酸证明查验；\n"
        "二、锦华酒店隔离点夜间暗访，看值守和测温；\n"
        "三、涂寨镇前海村采样点看扫码录入是否还要排长队。",
    )
    plans = [
        ("joint5", Method.OPEN, ["screening"], "s.huian.huidong"),
        ("special1", Method.UNANNOUNCED, ["closed_management"], "s.huian.jinhua"),
        ("special2", Method.OPEN, ["screening"], "s.huian.tuzhai.test"),
    ]
    tasks = {}
    for number, method, areas, site in plans:
        clock.moment += timedelta(minutes=4)
        tasks[number] = actions.do_plan_task(
            acting_user=staff,
            office=office,
            team=cast.teams[f"t.huian.{number}"],
            day=scene.day(-1),
            method=method,
            focus_areas=[cast.focus[code] for code in areas],
            sites=[cast.sites[site]],
            meeting=meeting,
        )
    _inspect(
        scene,
        "special2",
        scene.at(1, 9, 5),
        task=tasks["special2"],
        method=Method.OPEN,
        sites=[cast.sites["s.huian.tuzhai.test"]],
        answers=_answers(
            items,
            ("queue", PASS),
            ("sample_chain", PASS, "转运箱已贴二维码，扫码交接。"),
            ("checkpoint_log", NA),
        ),
    )
    _inspect(
        scene,
        "joint5",
        scene.at(1, 10, 20),
        task=tasks["joint5"],
        method=Method.OPEN,
        sites=[cast.sites["s.huian.huidong"]],
        notes="查看值勤人员在岗、车辆信息登记和司机核酸证明查验。",
        answers=_answers(
            items,
            ("checkpoint_log", PASS, "统一登记表已用上，驾乘人员逐一登记。"),
            (
                "test_proof",
                FAIL,
                "抽看五辆货车，值勤人员对两名司机的报告只看了结果，没有看采样日期，"
                "其中一份已超过48小时。",
            ),
        ),
    )
    _inspect(
        scene,
        "special1",
        scene.at(1, 22, 15),
        task=tasks["special1"],
        method=Method.UNANNOUNCED,
        sites=[cast.sites["s.huian.jinhua"]],
        notes="夜间不打招呼进入隔离点，先看监控室，再逐层查看。",
        answers=_answers(
            items,
            ("single_room", PASS, "各层房门关闭，走廊无人。"),
            (
                "temperature",
                FAIL,
                "五楼当天下午的测温只登记了一半房间。",
                "医务人员当场补测五楼全部隔离人员体温并补齐登记，体温均正常。",
            ),
            ("six_measures", PASS, "监控室两人值守，交接班记录完整。"),
            ("guard", PASS),
        ),
    )


def _this_morning(scene: Scene, items: dict[str, ChecklistItem]) -> None:
    """A visit without a planned task, on the way to the sampling points of 螺城镇."""
    visited = scene.now - timedelta(hours=2)
    _inspect(
        scene,
        "joint1",
        visited,
        method=Method.UNANNOUNCED,
        sites=[scene.cast.sites["s.huian.beiguan.gate"]],
        answers=_answers(
            items,
            ("guard", FAIL, "卡口只有一名志愿者，应在岗的社区干部不在，外卖骑手可直接进入小区。"),
            ("delivery", PASS, "配送队上、下午各送一次，居民反映能按时收到。"),
        ),
    )


def _last_evening(scene: Scene) -> None:
    """Yesterday evening's 会商会 and the tasks it set for tomorrow's round of testing."""
    cast, clock = scene.cast, scene.clock
    office, staff = cast.orgs[OFFICE], cast.users[OFFICE]
    tomorrow = scene.day(1)
    clock.moment = scene.at(1, 21, 30)
    meeting = actions.do_record_meeting(
        acting_user=staff,
        office=office,
        held_on=scene.day(-1),
        title="督查组会商会：部署全员核酸检测督查",
        attendees="县纪委监委分管领导；党风政风监督室全体；6个联合督查组和5个专项督查组组长；"
        "县卫健局、核酸检测工作专班联络员",
        decisions="一、明天全县开展新一轮全员核酸检测，联合督查组按片区盯采样点秩序和下沉干部到岗；\n"
        "二、核酸检测专项督查组驻守样本集散中转站，盯采、送、检时限；\n"
        "三、交通卡口专项督查组到惠东高速卡口驻点，盯改司机核酸证明查验问题；\n"
        "四、城南隔离点安排一次暗访，事前不通知所在镇和隔离点；\n"
        "五、县市场监管局原定单独检查药店价格，并入第二组的明查，不再另行前往。",
    )
    focus = cast.focus
    # (team, method, focus areas, sites, regions, notes, confirm a second visit on purpose)
    plans: list[tuple[str, str, list[str], list[str], list[str], str, bool]] = [
        (joint(1), Method.OPEN, ["screening"], [], ["huian.luocheng"], "", False),
        (
            joint(2),
            Method.OPEN,
            ["supplies"],
            ["s.huian.market", "s.huian.pharmacy"],
            [],
            "看菜价公示和平价摊位，看药店轮值营业。",
            False,
        ),
        (
            joint(3),
            Method.OPEN,
            ["screening", "public_requests"],
            ["s.huian.huangtang.school"],
            ["huian.huangtang"],
            "顺访后西村，看特殊群体就医台账是否每周更新。",
            False,
        ),
        (
            joint(4),
            Method.REVISIT,
            ["school_opening"],
            ["s.huian.school"],
            [],
            "回头看复学准备：教职工核酸检测和留观室。",
            False,
        ),
        (
            joint(5),
            Method.OPEN,
            ["screening", "closed_management"],
            ["s.huian.shenhai"],
            [],
            "",
            False,
        ),
        (
            joint(6),
            Method.UNANNOUNCED,
            ["cadre_performance"],
            [],
            ["huian.chongwu", "huian.jingfeng"],
            "各采样点开检前半小时到，看下沉干部签到。",
            False,
        ),
        (
            special(1),
            Method.UNANNOUNCED,
            ["closed_management", "medical_institutions"],
            ["s.huian.chengnan"],
            [],
            "“四不两直”，事前不通知螺阳镇和隔离点。",
            False,
        ),
        (special(2), Method.STATIONED, ["screening"], ["s.huian.transfer"], [], "", False),
        (
            special(3),
            Method.STATIONED,
            ["screening"],
            ["s.huian.huidong"],
            [],
            "第五组昨天查出的核酸证明查验问题未改到位，驻点盯改，有意再去。",
            True,
        ),
        (special(4), Method.OPEN, ["medical_institutions"], ["s.huian.hospital"], [], "", False),
        (
            special(5),
            Method.OPEN,
            ["work_resumption"],
            ["s.huian.shoes"],
            ["huian.dongling"],
            "",
            False,
        ),
    ]
    tasks: dict[str, Task] = {}
    for team, method, areas, sites, regions, notes, confirm in plans:
        clock.moment += timedelta(minutes=3)
        tasks[team] = actions.do_plan_task(
            acting_user=staff,
            office=office,
            team=cast.teams[team],
            day=tomorrow,
            method=method,
            focus_areas=[focus[code] for code in areas],
            sites=[cast.sites[key] for key in sites],
            regions=[cast.orgs[key] for key in regions],
            meeting=meeting,
            notes=notes,
            confirm_overlap=confirm,
        )
    # 1+N: the market regulator had meant to check the same pharmacy itself.
    clock.moment += timedelta(minutes=50)
    actions.do_join_task(
        tasks[joint(2)],
        acting_user=cast.handler("huian.market"),
        org=cast.orgs["huian.market"],
        focus_areas=[focus["supplies"], focus["policy_implementation"]],
    )


def _sample(scene: Scene) -> None:
    """杀回马枪: this morning the office draws three recently closed problems at random."""
    # Today, even when the demo is loaded just after midnight: the draw is due the day it is made.
    midnight = timezone.localtime(scene.now).replace(hour=0, minute=0, second=0, microsecond=0)
    scene.clock.moment = max(scene.now - timedelta(minutes=40), midnight)
    actions.do_draw_revisit_sample(
        acting_user=scene.cast.users[OFFICE],
        office=scene.cast.orgs[OFFICE],
        size=3,
        closed_within_days=30,
        seed=SAMPLE_SEED,
    )
