"""Scene 4, Tianjin Hebei District (天津市河北区): the district's supervision office, its
command HQ, the functional units it supervises and two teams (codes: GB/T 2260).

The office's teams found a handful of problems in the district; what they saw behind them
became the work suggestions (工作建议) the office sent to the functional units
(ducha/demo/suggestions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ducha.accounts.choices import Role
from ducha.demo.cast import Cast
from ducha.demo.clock import ReplayClock
from ducha.orgs.choices import OrgKind, RegionLevel, TeamKind
from ducha.problems import actions as loop
from ducha.problems.choices import Nature

# The regions' codes (GB/T 2260), which the loader checks are free before it starts.
CODES = ("120000", "120105")
CITY = "tianjin"
DISTRICT = "tianjin.hebei"
OFFICE = "tianjin.hebei.office"
COMMAND = "tianjin.hebei.command"

UNITS = [
    ("tianjin.hebei.health", "河北区卫生健康委员会"),
    ("tianjin.hebei.market", "河北区市场监督管理局"),
    ("tianjin.hebei.commerce", "河北区商务局"),
    ("tianjin.hebei.housing", "河北区住房和建设委员会"),
    ("tianjin.hebei.urban", "河北区城市管理委员会"),
    ("tianjin.hebei.education", "河北区教育局"),
]

STREETS = [
    ("tianjin.hebei.wanghailou", "望海楼街道"),
    ("tianjin.hebei.hongshunli", "鸿顺里街道"),
    ("tianjin.hebei.jianchang", "建昌道街道"),
]

TEAMS = [
    ("t.tianjin.hebei.1", "河北区疫情防控督查第一组", "tianjin.hebei.team1", "邵立新"),
    ("t.tianjin.hebei.2", "河北区疫情防控督查第二组", "tianjin.hebei.team2", "韩雪芳"),
]


def build(cast: Cast) -> None:
    cast.region(CITY, "天津市", RegionLevel.PROVINCE, None, CODES[0])
    cast.region(DISTRICT, "河北区", RegionLevel.COUNTY, CITY, CODES[1])
    cast.office(OFFICE, "河北区疫情防控督查办", DISTRICT, staff="周文静")
    cast.person("tianjin.hebei.leader", "梁国栋", OFFICE, Role.LEADER)
    cast.org(COMMAND, OrgKind.COMMAND, "河北区疫情防控指挥部", DISTRICT)
    cast.person(COMMAND, "蒋洪涛", COMMAND, Role.COMMAND)
    for key, name in STREETS:
        cast.region(key, name, RegionLevel.TOWN, DISTRICT)
    for key, name in UNITS:
        cast.org(key, OrgKind.DEPARTMENT, name, DISTRICT)
    cast.handles("tianjin.hebei.health", "tianjin.hebei.handler", "沈佳慧")


def build_teams(cast: Cast) -> None:
    for key, name, username, leader in TEAMS:
        cast.team(key, name, TeamKind.JOINT, OFFICE, [DISTRICT], leader=(username, leader))


@dataclass(frozen=True)
class Finding:
    key: str
    title: str
    street: str
    unit: str
    focus_area: str
    days_ago: int
    nature: str = Nature.INDIVIDUAL
    rule: str = ""


FINDINGS = [
    Finding(
        "fever_clinic",
        "社区卫生服务中心发热哨点预检分诊登记不全",
        "tianjin.hebei.wanghailou",
        "tianjin.hebei.health",
        "medical_institutions",
        18,
    ),
    Finding(
        "cold_chain",
        "农贸市场进口冷链食品追溯码查验流于形式",
        "tianjin.hebei.hongshunli",
        "tianjin.hebei.market",
        "supplies",
        16,
        Nature.COMMON,
        "区市场监管局建立冷链食品“一品一码”日抽查制度，抽查结果每周报区指挥部。",
    ),
    Finding(
        "mall_scan",
        "商场出入口扫码测温无专人值守",
        "tianjin.hebei.jianchang",
        "tianjin.hebei.commerce",
        "screening",
        12,
    ),
    Finding(
        "site_workers",
        "在建工地外来务工人员健康台账未及时更新",
        "tianjin.hebei.hongshunli",
        "tianjin.hebei.housing",
        "work_resumption",
        9,
    ),
    Finding(
        "vaccination_queue",
        "接种点留观区座椅间距不足",
        "tianjin.hebei.wanghailou",
        "tianjin.hebei.health",
        "medical_institutions",
        6,
    ),
]


def replay(cast: Cast, clock: ReplayClock, now: datetime) -> dict[str, int]:
    """The teams' findings, recorded and handed to the units by the office; returns the
    problems' ids by their keys, for the suggestions made of them."""
    office = cast.users[OFFICE]
    found: dict[str, int] = {}
    for number, finding in enumerate(FINDINGS):
        moment = now - timedelta(days=finding.days_ago, hours=3)
        clock.moment = moment
        team_key, _name, username, _leader = TEAMS[number % len(TEAMS)]
        problem = loop.do_create_problem(
            acting_user=cast.users[username],
            title=finding.title,
            region=cast.orgs[finding.street],
            focus_area=cast.focus[finding.focus_area],
            team=cast.teams[team_key],
            found_at=moment - timedelta(hours=2),
            nature=finding.nature,
        )
        problem = loop.do_assign(
            problem, acting_user=office, responsible_org=cast.orgs[finding.unit]
        )
        if finding.rule:
            clock.moment = moment + timedelta(days=2)
            problem = loop.do_institutionalize(problem, acting_user=office, rule=finding.rule)
        found[finding.key] = problem.pk
    clock.moment = None
    return found
