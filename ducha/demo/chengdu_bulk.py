"""Scene 2, Chengdu Hi-tech Zone: the everyday findings that make up most of the ledger.

Each pattern is a kind of problem teams met again and again; the generator places patterns
at different sites, streets, departments and enterprises, and gives each a loop that ended
in 销号 (on the spot, or assigned, rectified and verified, sometimes after a reminder or a
rejected first fix). A fixed seed makes every load tell the same history.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from ducha.demo.chengdu import (
    COMMUNITIES,
    DEPARTMENTS,
    ENTERPRISES,
    SITES,
    SPECIAL_TEAM,
    STREETS,
    ZONE,
    street_team,
    team_key,
    team_username,
)
from ducha.demo.story import Day, Step, Story, accept, assign, reject, spot, submit, urge
from ducha.orgs.choices import SiteKind

STREET = "street"  # the unit is the street or town where the problem lies
COMMUNITY = "community"  # placed in a street or one of its communities, no site
OWN = "own"  # placed at the zone; the unit is the department or enterprise named


@dataclass(frozen=True)
class Pattern:
    focus: str
    where: str  # a SiteKind, COMMUNITY, or OWN
    unit: str  # STREET, OWN, or a department key
    title: str
    description: str
    fix: str
    evidence: str = ""  # set when the problem can be fixed during the visit
    units: tuple[str, ...] = ()  # for OWN: which departments or enterprises
    n: tuple[int, int] = (2, 9)  # the range of the number in the texts
    not_at: tuple[str, ...] = ()  # site keys (suffixes) where the pattern makes no sense


CHECKPOINT, MARKET, PHARMACY = SiteKind.CHECKPOINT, SiteKind.MARKET, SiteKind.PHARMACY
ENTERPRISE, BUILDING = SiteKind.ENTERPRISE, SiteKind.CONSTRUCTION_SITE
SCHOOL, HOSPITAL = SiteKind.SCHOOL, SiteKind.HOSPITAL

PATTERNS = [
    Pattern(
        "closed_management",
        CHECKPOINT,
        STREET,
        "{place}进出车辆未查验通行证",
        "暗访半小时内有{n}辆车没出示通行证就被放行，值守人员只量了体温。",
        "对值守人员重新培训，落实“一车一证一登记”，街道干部每天巡查两次。",
        "现场要求逐车查验，督查组离开前已为放行车辆补登记。",
    ),
    Pattern(
        "closed_management",
        CHECKPOINT,
        STREET,
        "{place}午间值守人员脱岗",
        "中午时段卡点只剩一名志愿者，登记台没人，进出人员自行通过。",
        "卡点改为两班轮换、每班不少于3人，社区书记每天到岗抽查两次。",
    ),
    Pattern(
        "screening",
        CHECKPOINT,
        STREET,
        "{place}额温枪没电后改为目测放行",
        "额温枪电量耗尽，没有备用电池，值守人员看一眼就放行。",
        "配齐2把备用额温枪和电池，建立物资每日点检表。",
        "街道当场送来备用额温枪，恢复逐人测温。",
    ),
    Pattern(
        "screening",
        CHECKPOINT,
        STREET,
        "{place}外来人员登记信息不全",
        "登记本上有{n}条记录缺少来源地和联系电话，出了问题无法追溯。",
        "统一使用新版登记表，缺项记录已逐一电话补录。",
        n=(3, 15),
    ),
    Pattern(
        "closed_management",
        CHECKPOINT,
        STREET,
        "{place}夜间照明不足，登记靠手机电筒",
        "晚上卡点只有一盏小灯，值守人员打着手机电筒登记，字迹难以辨认。",
        "新增两组移动照明灯，夜班登记移到岗亭内进行。",
    ),
    Pattern(
        "closed_management",
        COMMUNITY,
        STREET,
        "{place}居家隔离户未安装门磁",
        "{n}户居家隔离人员门口没装门磁，只靠电话询问掌握情况。",
        "全部居家隔离户已装门磁，网格员每天两次上门测温并记录。",
    ),
    Pattern(
        "closed_management",
        COMMUNITY,
        STREET,
        "{place}居家隔离户生活垃圾未单独收运",
        "隔离户的生活垃圾与其他住户混放在楼下垃圾桶里，没有专人收运消杀。",
        "设置专用垃圾桶，指定专人每天定时上门收取并消杀。",
    ),
    Pattern(
        "publicity",
        COMMUNITY,
        STREET,
        "{place}宣传栏仍贴着过期通告",
        "宣传栏里的防控通告是半个月前的版本，与现行要求不一致。",
        "撤下过期通告，换贴指挥部最新通告，指定专人每周更新。",
        "现场撤下过期通告，换贴了最新通告。",
    ),
    Pattern(
        "closed_management",
        COMMUNITY,
        STREET,
        "{place}楼栋消杀记录中断",
        "消杀记录停在{n}天前，物业说一直在消杀，但拿不出台账。",
        "物业恢复公共区域每天两次消杀，记录张贴在单元门口。",
    ),
    Pattern(
        "screening",
        COMMUNITY,
        STREET,
        "{place}网格员对重点人员底数不清",
        "网格员说不清楼栋里近14天返蓉的人数，花名册与实际不符。",
        "逐户重新摸排，更新花名册，并与派出所数据比对一致。",
    ),
    Pattern(
        "closed_management",
        COMMUNITY,
        STREET,
        "{place}居民在广场聚集打牌",
        "{n}名居民在小区广场围坐打牌，未戴口罩，无人劝导。",
        "社区在广场设劝导员，高峰时段巡查，楼栋长每天提醒。",
        "现场劝散了打牌居民，社区当即安排劝导员值守。",
        n=(4, 12),
    ),
    Pattern(
        "public_requests",
        COMMUNITY,
        STREET,
        "{place}独居老人买菜难无人代购",
        "{n}位独居老人反映买菜困难，社区没有建立代购名单。",
        "建立独居老人代购台账，志愿者每两天上门配送一次。",
        n=(3, 15),
    ),
    Pattern(
        "supplies",
        MARKET,
        "chengdu.market",
        "{place}摊主未佩戴口罩",
        "市场内有{n}名摊主没戴口罩，市场管理方没有巡查。",
        "市场管理方增设两名巡查员，对不戴口罩的摊主暂停经营一天。",
        "现场督促摊主全部戴好口罩，管理方当场增派巡查员。",
    ),
    Pattern(
        "supplies",
        MARKET,
        "chengdu.market",
        "{place}入口未设测温点",
        "市场四个出入口全部敞开，没有测温和扫码。",
        "市场只保留一个入口，设测温点并安排专人值守。",
    ),
    Pattern(
        "supplies",
        MARKET,
        "chengdu.market",
        "{place}蔬菜涨价且部分摊位无价签",
        "部分叶菜价格比上周涨了约{n}成，好几个摊位没有价签。",
        "约谈市场开办方，全部摊位补齐价签，每天公示主要蔬菜价格。",
        n=(2, 5),
    ),
    Pattern(
        "supplies",
        MARKET,
        "chengdu.market",
        "{place}活禽区仍在交易",
        "市场活禽区照常宰杀销售，没有按要求关闭。",
        "活禽交易区已封闭，张贴禁售公告，执法人员每天巡查。",
    ),
    Pattern(
        "supplies",
        MARKET,
        "chengdu.market",
        "{place}高峰时段排队过密",
        "早上买菜高峰排队间距不到半米，没有限流。",
        "地面加贴一米线，高峰时段限流，管理人员现场引导。",
        "现场引导排队人员拉开间距，管理方当即限流。",
    ),
    Pattern(
        "supplies",
        PHARMACY,
        "chengdu.market",
        "{place}退烧药销售未实名登记",
        "店员没有登记购药人身份和体温，发热病人购药情况无法追踪。",
        "落实购药实名登记，每天向社区卫生服务中心报送购药清单。",
    ),
    Pattern(
        "supplies",
        PHARMACY,
        "chengdu.market",
        "{place}口罩加价销售",
        "同款一次性口罩售价明显高于进价，拿不出进货凭证。",
        "市场监管局立案调查，责令按规定价格销售并公示进货价。",
    ),
    Pattern(
        "publicity",
        PHARMACY,
        "chengdu.market",
        "{place}店内未张贴防控提示",
        "店内没有购药登记须知和防控提示。",
        "张贴防控提示和购药登记须知。",
        "现场张贴了防控提示和购药登记须知。",
    ),
    Pattern(
        "work_resumption",
        ENTERPRISE,
        "chengdu.economy",
        "{place}未备案先复工",
        "复工方案还没备案，已有{n}名员工到岗作业。",
        "企业暂停生产，补交复工方案，经备案后有序复工。",
        n=(12, 80),
    ),
    Pattern(
        "work_resumption",
        ENTERPRISE,
        STREET,
        "{place}员工返岗前未做健康摸排",
        "返岗员工的行程和健康状况没有登记，企业说“都是本地人”。",
        "建立员工健康台账，返岗员工逐一核实行程后上岗。",
    ),
    Pattern(
        "work_resumption",
        ENTERPRISE,
        STREET,
        "{place}员工食堂未分餐",
        "午餐时员工面对面围坐，没有错峰。",
        "改为错峰分批就餐，餐桌加装隔板，同向就座。",
        not_at=("farm",),
    ),
    Pattern(
        "supplies",
        ENTERPRISE,
        "chengdu.economy",
        "{place}防疫物资储备不足",
        "企业口罩只够用{n}天，消毒液已经用完。",
        "经济运行局协调调配口罩和消毒液，企业与供应商签订保供协议。",
        n=(1, 3),
    ),
    Pattern(
        "work_resumption",
        ENTERPRISE,
        STREET,
        "{place}员工宿舍住宿过密",
        "宿舍每间住了{n}人，没有设观察房间。",
        "调整宿舍，每间不超过4人，腾出两间作为临时观察室。",
        n=(6, 12),
        not_at=("office", "park", "farm"),
    ),
    Pattern(
        "work_resumption",
        BUILDING,
        "chengdu.parks",
        "{place}工人实名制登记不全",
        "工地现有工人中约三分之一没有录入实名制系统。",
        "补录全部工人信息，门禁改为刷脸进出。",
    ),
    Pattern(
        "work_resumption",
        BUILDING,
        "chengdu.parks",
        "{place}工人宿舍未设隔离观察房",
        "工人宿舍住满，没有预留观察房。",
        "腾出两间宿舍作为观察房，配齐体温计和消毒用品。",
    ),
    Pattern(
        "work_resumption",
        BUILDING,
        "chengdu.parks",
        "{place}外地返岗工人未满观察期即上岗",
        "{n}名外地工人到岗第二天就进场作业。",
        "相关工人安排集中观察，期满且健康状况正常后再上岗。",
        n=(5, 30),
    ),
    Pattern(
        "school_opening",
        SCHOOL,
        "chengdu.social",
        "{place}未制定师生健康监测方案",
        "学校没有晨午检制度和因病缺勤追踪流程。",
        "制定晨午检和缺勤追踪制度，报社会事业局备案。",
    ),
    Pattern(
        "school_opening",
        SCHOOL,
        "chengdu.social",
        "{place}未设置临时留观室",
        "开学在即，学校还没有指定发热师生的临时留观场所。",
        "腾出一间通风良好的教室作为临时留观室，配备防护用品。",
    ),
    Pattern(
        "medical_institutions",
        HOSPITAL,
        "chengdu.social",
        "{place}预检分诊与普通门诊共用通道",
        "发热病人和普通病人走同一个入口，没有分流。",
        "设置独立预检分诊通道和发热病人专用路线。",
    ),
    Pattern(
        "medical_institutions",
        HOSPITAL,
        "chengdu.social",
        "{place}发热病人未在2小时内报告",
        "登记本上有{n}名发热病人，上报时间都晚于规定。",
        "落实发热病人2小时内上报，指定专人每天核对。",
        n=(2, 5),
    ),
    Pattern(
        "medical_institutions",
        HOSPITAL,
        "chengdu.social",
        "{place}防护用品领用无台账",
        "医护人员防护用品随用随拿，没有出入库记录。",
        "建立防护物资出入库台账，按岗位定量发放。",
    ),
    Pattern(
        "cadre_performance",
        COMMUNITY,
        STREET,
        "{place}值班表与在岗人员对不上",
        "电话抽查值班表上的{n}名干部，有2人不在岗。",
        "重新排班，带班领导每天点名，不在岗人员已批评教育。",
        n=(4, 8),
    ),
    Pattern(
        "screening",
        COMMUNITY,
        STREET,
        "{place}重点人员信息未及时推送社区",
        "街道收到的重点人员信息隔了一天才转到社区。",
        "建立街道与社区信息推送台账，推送后两小时内反馈。",
    ),
    Pattern(
        "supplies",
        COMMUNITY,
        STREET,
        "{place}防疫物资发放无签收记录",
        "社区发放给志愿者的口罩和消毒液没有签收单。",
        "补建签收台账，今后物资凭签收单发放。",
    ),
    Pattern(
        "work_style",
        OWN,
        OWN,
        "{place}要求基层重复报送防疫数据",
        "街道反映{place}单独下发统计表，内容与指挥部报表重复。",
        "停止单独下发报表，所需数据改从指挥部共享平台提取。",
        units=(
            "chengdu.social",
            "chengdu.finance",
            "chengdu.parks",
            "chengdu.economy",
            "chengdu.statistics",
            "chengdu.community",
        ),
    ),
    Pattern(
        "policy_implementation",
        OWN,
        OWN,
        "{place}惠企政策申报指引未公开",
        "企业反映不知道惠企政策怎么申报，{place}官网没有申报指引。",
        "在官网和公众号发布申报指引，开通咨询电话，专人答复。",
        units=(
            "chengdu.finance",
            "chengdu.tech",
            "chengdu.neweco",
            "chengdu.electronics",
            "chengdu.bio",
            "chengdu.investment",
        ),
    ),
    Pattern(
        "closed_management",
        OWN,
        OWN,
        "{place}办事大厅未落实测温和一米线",
        "大厅入口无人测温，办事群众排队间距过近。",
        "入口设测温点，地面贴一米线，推行网上预约分时办理。",
        units=("chengdu.approval", "chengdu.community", "chengdu.enforcement"),
    ),
    Pattern(
        "closed_management",
        OWN,
        OWN,
        "{place}下属物业项目出入登记不严",
        "{place}管理的小区门岗只测温不登记，外卖骑手可以直接进楼。",
        "门岗落实测温、登记、扫码，设置无接触投递点。",
        units=("chengdu.futurecity", "chengdu.cityops"),
    ),
    Pattern(
        "work_resumption",
        OWN,
        OWN,
        "{place}在建项目复工前未完成工人健康摸排",
        "{place}的在建项目已通知工人返岗，但工人健康信息尚未摸排。",
        "完成全部工人健康摸排和实名登记后再组织复工。",
        units=("chengdu.gaotou", "chengdu.futurecity"),
    ),
]

ASSIGN_NOTES = [
    "",
    "",
    "请按时限整改并反馈。",
    "请举一反三，同步排查同类问题。",
    "请承办单位主要负责人亲自过问。",
]
URGE_NOTES = [
    "整改时限过半，尚未收到进展。",
    "请抓紧整改，按时反馈。",
    "时限将到，请当天报送整改情况。",
]
ACCEPT_NOTES = [
    "回访核实，整改到位，同意销号。",
    "现场复查已落实，予以销号。",
    "核对整改材料和现场情况，同意销号。",
    "抽查落实情况良好，同意销号。",
    "整改到位，同意销号，纳入“回头看”名单。",
]
REJECT_NOTES = [
    "回访发现问题仍然存在，整改流于表面，请重新整改。",
    "整改材料与现场不符，请如实整改后再报。",
]


def _names(rows) -> dict[str, str]:
    return {row[0]: row[1] for row in rows}


def _candidates() -> list[tuple[Pattern, str, str | None, str]]:
    """Every (pattern, region key, site key, place name) that makes sense."""
    sites_by_kind: dict[str, list[tuple[str, str, str]]] = {}
    for street, sites in SITES.items():
        for suffix, name, kind in sites:
            sites_by_kind.setdefault(kind, []).append((street, f"s.{street}.{suffix}", name))
    streets = _names(STREETS)
    places = [(key, name) for key, name, _ in STREETS]
    places += [(key, streets[parent] + name) for key, name, parent in COMMUNITIES]
    owners = _names(DEPARTMENTS) | _names(ENTERPRISES)
    found: list[tuple[Pattern, str, str | None, str]] = []
    for pattern in PATTERNS:
        if pattern.where == OWN:
            found += [(pattern, unit, None, owners[unit]) for unit in pattern.units]
        elif pattern.where == COMMUNITY:
            found += [(pattern, key, None, name) for key, name in places]
        else:
            found += [
                (pattern, street, site, name)
                for street, site, name in sites_by_kind.get(pattern.where, [])
                if site.rsplit(".", 1)[1] not in pattern.not_at
            ]
    return found


def _street_of(region: str) -> str:
    parents = {key: parent for key, _, parent in COMMUNITIES}
    return parents.get(region, region)


def _in_office_hours(steps: list[Step], found_hour: float, rng: random.Random) -> list[Step]:
    """Move steps that would fall in the night to the next morning, keeping their order."""
    moved: list[Step] = []
    earliest = 0.0
    for step in steps:
        after = max(step.after, earliest)
        hour = (found_hour + after) % 24
        if hour >= 21 or hour < 8:
            after += (24 - hour if hour >= 21 else -hour) + 8 + rng.uniform(0, 1.5)
        moved.append(replace(step, after=round(after, 2)))
        earliest = after + 0.25
    return moved


def _loop(pattern: Pattern, unit: str, rng: random.Random, verifier: str | None) -> list[Step]:
    if pattern.evidence and rng.random() < 0.4:
        return [spot(round(rng.uniform(0.3, 1.5), 2), pattern.evidence)]
    assigned = rng.uniform(0.5, 5)
    fixed = rng.uniform(18, 56)
    steps = [assign(assigned, unit, rng.choice(ASSIGN_NOTES))]
    if rng.random() < 0.12:
        steps.append(urge(rng.uniform((assigned + fixed) / 2, fixed - 0.5), rng.choice(URGE_NOTES)))
    steps.append(submit(fixed, pattern.fix))
    if rng.random() < 0.07:
        fixed += rng.uniform(3, 10)
        steps.append(reject(fixed, rng.choice(REJECT_NOTES), by=verifier))
        fixed += rng.uniform(8, 20)
        steps.append(submit(fixed, "已按核查意见重新整改：" + pattern.fix))
    late = rng.random() < 0.05
    checked = fixed + (rng.uniform(20, 30) if late else rng.uniform(2, 14))
    steps.append(accept(checked, rng.choice(ACCEPT_NOTES), by=verifier))
    return steps


def stories(count: int, seed: int = 20200123) -> list[Story]:
    """`count` closed problems spread over the five weeks before the last few days."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable story, not a secret
    candidates = _candidates()
    if count > len(candidates):
        raise ValueError("not enough distinct places for the requested number of problems")
    rng.shuffle(candidates)
    teams = street_team()
    result = []
    for pattern, where, site, place in candidates[:count]:
        if pattern.where == OWN:
            region, unit, number = ZONE, where, SPECIAL_TEAM
            team = team_key(SPECIAL_TEAM)
        else:
            region = where
            street = _street_of(where)
            unit = street if pattern.unit == STREET else pattern.unit
            team = teams[street]
            if pattern.where == ENTERPRISE and rng.random() < 0.3:
                team = team_key(SPECIAL_TEAM)
            number = int(team.removeprefix("t.chengdu"))
        recorder = team_username(number)
        verifier = "chengdu.office" if rng.random() < 0.25 else None
        n = rng.randint(*pattern.n)
        found = Day(rng.randint(6, 38), rng.randint(9, 17), rng.randrange(0, 60, 5))
        steps = _loop(pattern, unit, rng, verifier)
        result.append(
            Story(
                pattern.title.format(place=place, n=n),
                pattern.focus,
                found,
                by=recorder,
                office="chengdu.office",
                description=pattern.description.format(place=place, n=n),
                region=region,
                site=site,
                team=team,
                steps=_in_office_hours(steps, found.hour + found.minute / 60, rng),
            )
        )
    return result
