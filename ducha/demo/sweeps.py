"""举一反三 in the demo: two sweeps launched from a problem and answered by the units asked,
through the real actions on the replay clock (docs/sweeps.md).

Chengdu Hi-tech Zone: after the crowd at a pharmacy in 三岔街道, the street's discipline
office circulates the case to every community of the street; some find nothing, others find
crowds and missing one-metre lines of their own, which they fix. The sweep is four weeks old
and every problem it brought is closed: they are part of the zone's line in the problem list.

Hui'an County: from the dialysis patient of 后西村 who could not reach hospital, the county's
office asks the health bureau and every town about the patient groups with special needs;
the answers bring linked problems, some fixed and verified, some still with their units, and
one town has not answered yet.

What the progress pages show (units answered, problems found and fixed) is counted from
these records, never written down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ducha.accounts.models import User
from ducha.demo.cast import Cast
from ducha.demo.clock import ReplayClock
from ducha.orgs.choices import OrgKind, RegionLevel
from ducha.orgs.models import Org
from ducha.problems import actions as loop
from ducha.problems.models import Problem
from ducha.sweeps import actions
from ducha.sweeps.choices import CheckState
from ducha.sweeps.models import SelfCheck, Sweep, SweepProblem
from ducha.sweeps.selection import Choice

STREET = "chengdu.sancha"
STREET_OFFICE = "sancha.office"
COUNTY_OFFICE = "huian.office"

# The street's communities besides 湖滨社区 (chengdu.py), so that "every community" is several.
COMMUNITIES = [
    ("chengdu.sancha.lianhua", "莲花社区"),
    ("chengdu.sancha.longtan", "龙潭社区"),
    ("chengdu.sancha.xinmin", "新民社区"),
    ("chengdu.sancha.shiqiao", "石桥村"),
    ("chengdu.sancha.yuxin", "渔新村"),
]


@dataclass(frozen=True)
class Fix:
    """What became of a problem found: hours after the answer that brought it."""

    assign: float
    comment: str = ""
    # Days from the answer the unit is given; None for the loop's default.
    deadline_days: float | None = None
    submit: float | None = None
    report: str = ""
    accept: float | None = None
    verdict: str = ""


@dataclass(frozen=True)
class Found:
    title: str
    description: str
    fix: Fix

    @property
    def closed(self) -> bool:
        return self.fix.accept is not None


@dataclass(frozen=True)
class Answer:
    unit: str
    # Hours after the launch.
    after: float
    note: str
    found: tuple[Found, ...] = ()


@dataclass(frozen=True)
class SweepStory:
    office: str
    county: str
    origin: str
    # Hours after the original problem was found.
    launched: float
    title: str
    check_text: str
    units: tuple[str, ...] = ()
    region: str | None = None
    answers: tuple[Answer, ...] = field(default_factory=tuple)


CHENGDU = SweepStory(
    office=STREET_OFFICE,
    county="chengdu.zone",
    origin="新开药店扫码送口罩引发人群聚集",
    launched=2.5,
    title="举一反三排查促销引发聚集和一米线落实情况",
    check_text="对照新开药店扫码送口罩引来人群聚集一事，排查本社区药店、超市、农贸市场、快递点等"
    "人员容易聚集的地方：有没有以促销、赠送物品等方式招揽群众；排队处是否划了一米线、有没有人"
    "维持秩序；排队群众是否佩戴口罩。发现问题立即整改，并在系统中反馈自查结果。",
    region=STREET,
    answers=(
        Answer(
            "chengdu.sancha.hubin",
            20,
            "小区快递驿站取件排队未设一米线，已整改。",
            (
                Found(
                    "湖滨小区快递驿站取件群众扎堆，未设一米线",
                    "自查发现小区快递驿站傍晚取件的人多，门口没有划一米线，也没有人维持秩序。",
                    Fix(
                        2,
                        "请湖滨社区当天整改，划设一米线并安排志愿者值守。",
                        submit=20,
                        report="驿站门口已划一米线，傍晚高峰安排志愿者值守，按楼栋错峰取件。",
                        accept=30,
                        verdict="街道复查，取件群众间隔排队，同意销号。",
                    ),
                ),
            ),
        ),
        Answer(
            "chengdu.sancha.lianhua",
            22,
            "排查辖区药店、超市和农贸市场，均未开展促销送物活动，收银台和摊位前已设一米线。",
        ),
        Answer(
            "chengdu.sancha.longtan",
            26,
            "农贸市场和便民超市各有一处问题，已当天整改。",
            (
                Found(
                    "农贸市场门口特价促销引来群众排长队",
                    "市场门口一家商户特价卖鸡蛋，排队的人前后挤在一起，个别老人没戴口罩。",
                    Fix(
                        1,
                        "请龙潭社区劝停促销，落实排队间距。",
                        submit=6,
                        report="已劝停特价促销；市场管理方在门口设一米线和测温点，专人巡查。",
                        accept=12,
                        verdict="街道复查，市场门口秩序正常，同意销号。",
                    ),
                ),
                Found(
                    "便民超市收银台前未设一米线",
                    "超市两个收银台前没有地面标识，结账时顾客前后紧挨着。",
                    Fix(
                        1,
                        "请龙潭社区督促超市整改。",
                        submit=4,
                        report="超市已在收银台前贴一米线标识，并用广播提醒顾客间隔排队。",
                        accept=12,
                        verdict="现场查看，标识清楚，顾客间隔排队，同意销号。",
                    ),
                ),
            ),
        ),
        Answer(
            "chengdu.sancha.xinmin",
            24,
            "逐一走访辖区门店和小区出入口，未发现促销聚集；已提醒商户开业、促销活动提前向社区报备。",
        ),
        Answer(
            "chengdu.sancha.shiqiao",
            30,
            "村口小卖部代售口罩引起村民聚集，已整改。",
            (
                Found(
                    "村口小卖部代售口罩，村民聚集抢购",
                    "村口小卖部进了一批口罩，消息传开后村民聚在店门口，没有排队秩序。",
                    Fix(
                        2,
                        "请石桥村组织有序发售，疏散聚集人员。",
                        submit=8,
                        report="村委会安排专人分时段登记发售，店门口划线排队，已无聚集。",
                        accept=20,
                        verdict="街道回访，发售有序，同意销号。",
                    ),
                ),
            ),
        ),
        Answer("chengdu.sancha.yuxin", 28, "村内没有药店，两家小卖部已张贴提示，未发现人员聚集。"),
    ),
)

HUIAN = SweepStory(
    office=COUNTY_OFFICE,
    county="huian",
    origin="后西村尿毒症患者无法按时血液透析，可能危及生命",
    launched=15.5,
    title="由点及面摸排特殊群体就医需求",
    check_text="由后西村血透患者不能按时透析一事举一反三：摸清本辖区原在县外就医的病人，以及需要"
    "血液透析、放疗的病人和孕产妇等特殊群体的人数、所在村（社区）和就医需求；逐人落实就医渠道和"
    "转运车辆；缺药的报县卫健局统一帮调。发现问题即报即改，并在系统中反馈。",
    units=("huian.health",),
    region="huian",
    answers=(
        Answer(
            "huian.huangtang",
            10,
            "摸排发现另有血透患者需要转运。",
            (
                Found(
                    "黄塘镇另有原在泉州透析的患者需要接送",
                    "全镇摸排，另有几名血透患者原在泉州治疗，家中没有车，管控期间每周要送到县医院。",
                    Fix(
                        1,
                        "请黄塘镇落实转运车辆和通行证。",
                        deadline_days=21,
                        submit=60,
                        report="镇里安排两辆车按透析时间接送，已为患者办好通行证。",
                    ),
                ),
            ),
        ),
        Answer(
            "huian.chongwu",
            16,
            "全镇逐村摸排，原在县外就医的病人均已转到县内医院或线上复诊续方，暂无未解决的需求。",
        ),
        Answer(
            "huian.luoyang",
            18,
            "部分慢性病患者常用药断货。",
            (
                Found(
                    "螺阳镇慢性病患者常用药在镇上药店断货",
                    "部分高血压、糖尿病患者的常用药，镇上药店和卫生院都已断货，县内调不到。",
                    Fix(1, "请螺阳镇汇总缺药清单，报县卫健局帮调。", deadline_days=21),
                ),
            ),
        ),
        Answer(
            "huian.luocheng",
            20,
            "北关社区孕产妇就医需要安排。",
            (
                Found(
                    "北关社区临产孕产妇的产检和分娩医院需重新安排",
                    "北关社区有孕产妇临近预产期，原定的产检医院在市区，管控期间去不了。",
                    Fix(1, "请螺城镇对接县医院产科，逐人落实。", deadline_days=21),
                ),
            ),
        ),
        Answer("huian.tuzhai", 22, "逐村登记特殊群体，需求均已对接到县医院和镇卫生院。"),
        Answer("huian.zishan", 24, "全镇特殊群体已建台账，就医渠道畅通，未发现问题。"),
        Answer(
            "huian.dongling",
            26,
            "一名放疗患者疗程中断。",
            (
                Found(
                    "东岭镇放疗患者疗程中断",
                    "镇里一名肿瘤患者在泉州做放疗，疗程做到一半，管控后没能再去。",
                    Fix(
                        1,
                        "请东岭镇会同县卫健局尽快恢复治疗。",
                        submit=48,
                        report="县卫健局联系泉州的医院，办好通行证后由镇里派车接送，已恢复放疗。",
                        accept=60,
                        verdict="电话回访患者家属，放疗已按疗程进行，同意销号。",
                    ),
                ),
            ),
        ),
        Answer(
            "huian.health",
            30,
            "县医院血透机位不足。",
            (
                Found(
                    "县医院血透机位不足，转回县内的血透患者排不上班次",
                    "原在县外透析的患者陆续转回，县医院按原来的班次排不下，部分患者透析间隔被拉长。",
                    Fix(
                        1,
                        "请县卫健局协调两家县级医院加开班次、增加机位。",
                        submit=120,
                        report="两家县级医院增加人员班次和器械，收治血透患者300多人；特殊病患走"
                        "就医绿色通道。",
                        accept=140,
                        verdict="核对两家医院的排班表和收治台账，同意销号。",
                    ),
                ),
            ),
        ),
        # 净峰镇 has not answered.
    ),
)

SWEEPS = (CHENGDU, HUIAN)


def found(story: SweepStory) -> list[Found]:
    return [item for answer in story.answers for item in answer.found]


def zone_found() -> int:
    """Problems the zone's sweep brings: they count in the zone's line, all of them closed."""
    brought = found(CHENGDU)
    if not all(item.closed for item in brought):
        raise ValueError("every problem of the zone's sweep is closed: the zone's line counts them")
    return len(brought)


def build(cast: Cast) -> None:
    """The street's other communities and its discipline office, which launches the sweep."""
    for key, name in COMMUNITIES:
        cast.region(key, name, RegionLevel.VILLAGE, STREET)
    cast.org("chengdu.sancha.discipline", OrgKind.DISCIPLINE, "三岔街道纪工委", STREET)
    cast.office(STREET_OFFICE, "三岔街道纪工委督查室", "chengdu.sancha.discipline", staff="钟晓敏")


def replay(cast: Cast, clock: ReplayClock, now: datetime) -> None:
    for story in SWEEPS:
        _replay(cast, story, clock, now)
    clock.moment = None


def _at(clock: ReplayClock, moment: datetime, now: datetime) -> None:
    if moment >= now:
        raise ValueError(f"a step of the sweep at {moment} lies in the future")
    clock.moment = moment


def _replay(cast: Cast, story: SweepStory, clock: ReplayClock, now: datetime) -> Sweep:
    origin = Problem.objects.get(title=story.origin, county=cast.orgs[story.county])
    launched = origin.found_at + timedelta(hours=story.launched)
    _at(clock, launched, now)
    office = cast.users[story.office]
    sweep = actions.do_launch_sweep(
        acting_user=office,
        origin=origin,
        title=story.title,
        check_text=story.check_text,
        choice=Choice(
            unit_ids=[cast.orgs[key].pk for key in story.units],
            region_id=cast.orgs[story.region].pk if story.region else None,
        ),
    )
    for answer in sorted(story.answers, key=lambda a: a.after):
        answered = launched + timedelta(hours=answer.after)
        _at(clock, answered, now)
        unit = cast.orgs[answer.unit]
        check = SelfCheck.objects.get(sweep=sweep, unit=unit, site=None)
        handler = cast.handler(answer.unit)
        actions.do_answer_self_check(
            check,
            acting_user=handler,
            outcome=CheckState.FOUND if answer.found else CheckState.NONE_FOUND,
            note=answer.note,
            problems=[actions.FoundProblem(f.title, f.description) for f in answer.found],
        )
        linked = SweepProblem.objects.filter(self_check=check).order_by("pk")
        for found, link in zip(answer.found, linked, strict=True):
            _fix(clock, now, link.problem, found.fix, answered, office, handler, unit)
    return sweep


def _fix(
    clock: ReplayClock,
    now: datetime,
    problem: Problem,
    fix: Fix,
    answered: datetime,
    office: User,
    handler: User,
    unit: Org,
) -> None:
    """The office hands the problem to the unit that found it, which fixes it."""
    _at(clock, answered + timedelta(hours=fix.assign), now)
    deadline = None if fix.deadline_days is None else answered + timedelta(days=fix.deadline_days)
    problem = loop.do_assign(
        problem, acting_user=office, responsible_org=unit, deadline=deadline, comment=fix.comment
    )
    if fix.submit is None:
        return
    _at(clock, answered + timedelta(hours=fix.submit), now)
    problem = loop.do_submit_rectification(problem, acting_user=handler, text=fix.report)
    if fix.accept is None:
        return
    _at(clock, answered + timedelta(hours=fix.accept), now)
    loop.do_verify(problem, acting_user=office, accept=True, comment=fix.verdict)
