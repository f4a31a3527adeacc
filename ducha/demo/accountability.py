"""Accountability records (问责) and commendations (表扬) in the demo, through the real
actions (docs/accountability.md, "In the demo").

- 成都高新区: its discipline body's 快查快结 — people criticised by bulletin, one ordered to
  examine themselves, one suspended, cases filed for review; all decided.
- 秦皇岛市: six joint teams of the city office with the city's discipline body; the talks
  (约谈, and 约谈 with a warning) they held with the people responsible, all carried out.
- 承德市: the city's discipline body holds people accountable, and the city office commends
  advanced collectives (units) and advanced individuals.

Every figure the dashboards and bulletins show is a count of the records below; how many
there are follows from these lists. Dates count back from the load, inside the weeks the
scenes' problems span: each record is proposed two days before its decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from ducha.accountability import actions
from ducha.accountability.choices import BuiltinKind, CommendationKind, SubjectKind
from ducha.accountability.models import AccountabilityKind
from ducha.accounts.choices import Role
from ducha.demo.cast import Cast
from ducha.demo.clock import ReplayClock
from ducha.orgs.choices import OrgKind, TeamKind
from ducha.problems.choices import State
from ducha.problems.models import Problem
from ducha.referrals.choices import ReferralState
from ducha.referrals.models import Referral

DEPT = OrgKind.DEPARTMENT

# Units the records name, beyond those the scenes have already.
UNITS = [
    ("qinhuangdao.health", "秦皇岛市卫生健康委员会", "qinhuangdao"),
    ("qinhuangdao.transport", "秦皇岛市交通运输局", "qinhuangdao"),
    ("qinhuangdao.market", "秦皇岛市市场监督管理局", "qinhuangdao"),
    ("qinhuangdao.commerce", "秦皇岛市商务局", "qinhuangdao"),
    ("qinhuangdao.port", "秦皇岛港口岸疫情防控工作专班", "qinhuangdao"),
    ("chengde.transport", "承德市交通运输局", "chengde"),
    ("chengde.market", "承德市市场监督管理局", "chengde"),
    ("chengde.commerce", "承德市商务局", "chengde"),
    ("chengde.emergency", "承德市应急管理局", "chengde"),
    ("chengde.housing", "承德市住房和城乡建设局", "chengde"),
    ("chengde.culture", "承德市文化广电和旅游局", "chengde"),
    ("shuangqiao.health", "双桥区卫生健康局", "shuangqiao"),
    ("shuangqiao.market", "双桥区市场监督管理局", "shuangqiao"),
]

# The leaders of Qinhuangdao's joint teams (联合督查组) of the office and the discipline body.
JOINT_LEADERS = ["聂文涛", "柴玉霞", "甘立伟", "岳春梅", "卜志坚", "佟晓光"]

# Fresh names for the people the records are about; none is a user.
SURNAMES = "方石秦尚易常温严邱侯毛童葛柏施卢祁戚康黎齐廉孔滕殷安舒左"
GIVEN = [
    "立新",
    "秀云",
    "建设",
    "红梅",
    "国良",
    "桂芳",
    "振华",
    "晓东",
    "春燕",
    "德明",
    "海霞",
    "永军",
    "雪松",
    "玉兰",
    "志远",
    "晓峰",
    "文静",
    "长青",
    "美华",
    "宏伟",
    "丽萍",
    "学军",
    "金凤",
    "树林",
    "爱民",
    "冬梅",
    "宝山",
    "亚楠",
    "庆丰",
    "素琴",
]
POSTS = [
    "卡口值守负责人",
    "社区党委书记",
    "科室负责人",
    "副局长",
    "站长",
    "村党支部书记",
    "集中隔离点负责人",
    "执法大队队长",
    "主任科员",
    "街道办事处副主任",
]


@dataclass(frozen=True)
class Measure:
    kind: str  # a BuiltinKind
    reason: str


def _names() -> list[str]:
    """Every surname with every given name, in a fixed order that mixes both."""
    pairs = [surname + given for surname in SURNAMES for given in GIVEN]
    # A step coprime to the number of pairs visits each pair once.
    step = 37
    return [pairs[(index * step) % len(pairs)] for index in range(len(pairs))]


# 成都高新区: what its discipline body decided.
CHENGDU: list[Measure] = [
    *(
        Measure(BuiltinKind.PUBLIC_CRITICISM, reason)
        for reason in (
            "小区出入口测温登记连续两日无人值守，群众反映后仍未补岗。",
            "居家观察人员台账未及时更新，督查组抽查发现三人信息缺失。",
            "药店退热药品购买登记流于形式，督促后仍未落实实名登记。",
            "复工企业员工健康码查验走过场，未按要求逐人核验。",
            "隔离点物资保障清单与实际不符，整改期限届满仍未完成。",
            "网格员入户排查记录前后矛盾，存在补填应付检查情况。",
        )
    ),
    Measure(
        BuiltinKind.ORDERED_SELF_EXAMINATION,
        "分管领域防控措施落实不力，问题交办后推诿拖延，责令作出书面检查。",
    ),
    Measure(
        BuiltinKind.SUSPENSION,
        "值守期间擅离岗位且瞒报脱岗情况，造成卡口管控出现空档。",
    ),
    Measure(BuiltinKind.CASE_FILED, "防疫物资采购环节涉嫌违规操作，线索经初核属实。"),
    Measure(BuiltinKind.CASE_FILED, "虚报核酸检测覆盖人数，涉嫌弄虚作假，移送立案审查。"),
]

# 秦皇岛市: the joint teams' talks. The split is the demo's own: the seed counts both kinds
# together (约谈 and 约谈 with a warning, 23 people).
QINHUANGDAO_TALKS = 15
QINHUANGDAO_WARNINGS = 8
QINHUANGDAO_REASONS = [
    "暗访发现岗位人员不在岗，交办问题未按时限整改。",
    "进口冷链食品查验登记缺项，督促后整改仍不到位。",
    "港口作业人员闭环管理台账不全，存在漏登漏报。",
    "农贸市场测温扫码形同虚设，多次提醒未见改进。",
    "公共交通场站消杀记录缺失，现场检查与台账不符。",
]

# 承德市: measures decided by the city's discipline body (16 people in all).
CHENGDE_KINDS = [
    *[BuiltinKind.INTERVIEW] * 5,
    *[BuiltinKind.PUBLIC_CRITICISM] * 4,
    *[BuiltinKind.ORDERED_SELF_EXAMINATION] * 3,
    *[BuiltinKind.ADMONISHMENT] * 2,
    BuiltinKind.SUSPENSION,
    BuiltinKind.DISMISSAL,
]
CHENGDE_REASONS = [
    "督查发现的问题整改敷衍，复查时同类问题再次出现。",
    "对上级交办事项落实迟缓，未在时限内报送整改情况。",
    "防控责任落实不到位，辖区卡口管控出现明显漏洞。",
    "工作作风漂浮，对督查组反馈意见不重视、不回应。",
]
# 承德市: the city office's commendations.
CHENGDE_COLLECTIVES = [
    "chengde.health",
    "chengde.transport",
    "chengde.market",
    "chengde.commerce",
    "chengde.emergency",
    "chengde.housing",
    "chengde.culture",
    "shuangqiao.health",
    "shuangqiao.market",
]
CHENGDE_INDIVIDUALS = 15
COLLECTIVE_REASON = "防控措施落实有力，督查交办问题全部按期整改销号。"
INDIVIDUAL_REASONS = [
    "坚守卡口一线，登记查验细致，连续值守无差错。",
    "主动排查风险隐患，推动问题立行立改。",
    "带领网格员入户排查，重点人员底数清、情况明。",
]


def build(cast: Cast) -> None:
    """The discipline bodies, joint teams and units the records need."""
    cast.org("qinhuangdao.discipline", OrgKind.DISCIPLINE, "秦皇岛市纪委监委", "qinhuangdao")
    cast.person("qinhuangdao.discipline", "穆振江", "qinhuangdao.discipline", Role.DISCIPLINE)
    cast.org("chengde.discipline", OrgKind.DISCIPLINE, "承德市纪委监委", "chengde")
    cast.person("chengde.discipline", "樊丽君", "chengde.discipline", Role.DISCIPLINE)
    cast.person("chengde.leader", "贺云鹏", "chengde.office", Role.LEADER)
    for key, name, parent in UNITS:
        cast.org(key, DEPT, name, parent)
    for number, leader in enumerate(JOINT_LEADERS, 1):
        team = cast.team(
            f"t.qinhuangdao.joint{number}",
            f"秦皇岛市第{number}联合督查组",
            TeamKind.JOINT,
            "qinhuangdao.office",
            ["qinhuangdao"],
            leader=(f"qinhuangdao.joint{number}", leader),
        )
        # Each joint team takes a member of the discipline body along.
        team.members.add(cast.users["qinhuangdao.discipline"])


class _Dates:
    """The moment of each step: one record after another, back from the load."""

    def __init__(self, clock: ReplayClock, now: datetime, first_days_ago: int) -> None:
        self.clock, self.now, self.days_ago = clock, now, first_days_ago

    def proposal(self) -> datetime:
        moment = timezone.localtime(self.now) - timedelta(days=self.days_ago + 2)
        self.clock.moment = moment.replace(hour=10, minute=0, second=0, microsecond=0)
        return self.clock.moment

    def decision(self) -> Any:
        moment = timezone.localtime(self.now) - timedelta(days=self.days_ago)
        self.clock.moment = moment.replace(hour=16, minute=30, second=0, microsecond=0)
        # Step back a day for the next record, staying inside the scene's weeks.
        self.days_ago = self.days_ago - 1 if self.days_ago > 3 else self.days_ago
        return self.clock.moment.date()


def _kind(code: str) -> AccountabilityKind:
    return AccountabilityKind.objects.get(code=code)


def _measure(
    cast: Cast,
    dates: _Dates,
    *,
    keeper: str,
    kind: str,
    org: str,
    name: str,
    post: str,
    reason: str,
    problems: list[int] = [],  # noqa: B006 (read only)
    referrals: list[int] = [],  # noqa: B006 (read only)
    carry_out: bool = False,
) -> None:
    user = cast.users[keeper]
    dates.proposal()
    record = actions.do_propose_accountability(
        acting_user=user,
        kind=_kind(kind),
        subject_kind=SubjectKind.PERSON,
        org=cast.orgs[org],
        person_name=name,
        person_post=post,
        reason=reason,
        problems=problems,
        referrals=referrals,
    )
    day = dates.decision()
    record = actions.do_decide(record, acting_user=user, decided_on=day)
    if carry_out:
        actions.do_carry_out(record, acting_user=user, carried_out_on=day)


def replay(cast: Cast, clock: ReplayClock, now: datetime) -> None:
    names = iter(_names())
    _chengdu(cast, _Dates(clock, now, 16), names)
    _qinhuangdao(cast, _Dates(clock, now, 26), names)
    _chengde(cast, _Dates(clock, now, 20), names)
    clock.moment = None


def _chengdu(cast: Cast, dates: _Dates, names: Any) -> None:
    discipline = cast.users["chengdu.discipline"]
    # Each measure arises from one of the zone's closed problems, where the zone has them.
    closed = list(
        Problem.objects.visible_to(discipline)
        .filter(state=State.CLOSED)
        .order_by("pk")
        .values_list("pk", flat=True)[: len(CHENGDU)]
    )
    # The cases filed for review are the discipline body's outcome of the zone's referrals.
    referred = [
        (referral.pk, referral.problem_id)
        for referral in Referral.objects.filter(
            receiver=cast.orgs["chengdu.discipline"], state=ReferralState.CONCLUDED
        ).order_by("pk")
    ]
    units = ["chengdu.market", "chengdu.community", "chengdu.social", "chengdu.emergency"]
    for index, measure in enumerate(CHENGDU):
        sources = closed[index : index + 1]
        referrals: list[int] = []
        if measure.kind == BuiltinKind.CASE_FILED and referred:
            referral, problem = referred.pop(0)
            referrals, sources = [referral], [problem] if problem else []
        _measure(
            cast,
            dates,
            keeper="chengdu.discipline",
            kind=measure.kind,
            org=units[index % len(units)],
            name=next(names),
            post=POSTS[index % len(POSTS)],
            reason=measure.reason,
            problems=sources,
            referrals=referrals,
        )


def _qinhuangdao(cast: Cast, dates: _Dates, names: Any) -> None:
    kinds = [BuiltinKind.INTERVIEW] * QINHUANGDAO_TALKS
    kinds += [BuiltinKind.INTERVIEW_WARNING] * QINHUANGDAO_WARNINGS
    units = [key for key, _name, parent in UNITS if parent == "qinhuangdao"]
    for index, kind in enumerate(kinds):
        _measure(
            cast,
            dates,
            keeper="qinhuangdao.discipline",
            kind=kind,
            org=units[index % len(units)],
            name=next(names),
            post=POSTS[(index + 3) % len(POSTS)],
            reason=QINHUANGDAO_REASONS[index % len(QINHUANGDAO_REASONS)],
            carry_out=True,
        )


def _chengde(cast: Cast, dates: _Dates, names: Any) -> None:
    for index, kind in enumerate(CHENGDE_KINDS):
        _measure(
            cast,
            dates,
            keeper="chengde.discipline",
            kind=kind,
            org=CHENGDE_COLLECTIVES[index % len(CHENGDE_COLLECTIVES)],
            name=next(names),
            post=POSTS[(index + 5) % len(POSTS)],
            reason=CHENGDE_REASONS[index % len(CHENGDE_REASONS)],
            carry_out=index % 2 == 0,
        )
    office = cast.users["chengde.office"]
    leader = cast.users["chengde.leader"]
    subjects = [(SubjectKind.UNIT, key, "", "", COLLECTIVE_REASON) for key in CHENGDE_COLLECTIVES]
    subjects += [
        (
            SubjectKind.PERSON,
            CHENGDE_COLLECTIVES[index % len(CHENGDE_COLLECTIVES)],
            next(names),
            POSTS[index % len(POSTS)],
            INDIVIDUAL_REASONS[index % len(INDIVIDUAL_REASONS)],
        )
        for index in range(CHENGDE_INDIVIDUALS)
    ]
    for subject_kind, org, name, post, reason in subjects:
        dates.proposal()
        record = actions.do_propose_commendation(
            acting_user=office,
            kind=CommendationKind.ADVANCED,
            subject_kind=subject_kind,
            org=cast.orgs[org],
            person_name=name,
            person_post=post,
            reason=reason,
        )
        actions.do_decide(record, acting_user=leader, decided_on=dates.decision())
