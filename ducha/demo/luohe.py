"""Scene 5, 漯河市: common problems answered by a policy measure (政策措施).

The city's command HQ sends its supervision teams out; what a team finds in one place alone
is put right on the spot (个性问题), while what it finds again and again across the districts
and counties is marked common (共性问题) and goes to the HQ, which works out one measure for
the whole kind. Here the HQ has answered the kind its teams kept finding about ride-hailing
and taxi drivers and passengers with one notice, whose Word file is attached to it: every
problem of that kind took the notice as its lasting rule (建), one found after the notice was
issued among them. Another kind, about
pharmacies and supermarkets, still waits in the HQ's queue (docs/policies.md).

Codes: GB/T 2260. How many problems each kind holds is counted from these records.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from ducha.accounts.choices import Role
from ducha.demo.cast import Cast
from ducha.demo.clock import ReplayClock
from ducha.orgs.choices import OrgKind, RegionLevel, TeamKind
from ducha.policies import actions as policies
from ducha.policies.models import Policy, PolicyDocument, PolicyEvent
from ducha.problems import actions as loop
from ducha.problems.choices import Nature

# The regions' codes, which the loader checks are free before it starts.
CODES = ("410000", "411100", "411102", "411103", "411104", "411121", "411122")
PROVINCE = "henan"
CITY = "luohe"
OFFICE = "luohe.office"
COMMAND = "luohe.command"

COUNTIES = [
    ("luohe.yuanhui", "源汇区", CODES[2]),
    ("luohe.yancheng", "郾城区", CODES[3]),
    ("luohe.shaoling", "召陵区", CODES[4]),
    ("luohe.wuyang", "舞阳县", CODES[5]),
    ("luohe.linying", "临颍县", CODES[6]),
]

UNITS = [
    ("luohe.transport", "漯河市交通运输局"),
    ("luohe.market", "漯河市市场监督管理局"),
    ("luohe.health", "漯河市卫生健康委员会"),
]

TEAMS = [
    ("t.luohe.1", "市疫情防控指挥部督查一组", "luohe.team1", "王振宇"),
    ("t.luohe.2", "市疫情防控指挥部督查二组", "luohe.team2", "李晓静"),
]


def build(cast: Cast) -> None:
    cast.region(PROVINCE, "河南省", RegionLevel.PROVINCE, None, CODES[0])
    cast.region(CITY, "漯河市", RegionLevel.CITY, PROVINCE, CODES[1])
    for key, name, code in COUNTIES:
        cast.region(key, name, RegionLevel.COUNTY, CITY, code)
    cast.office(OFFICE, "漯河市疫情防控指挥部督查办", CITY, staff="孙明杰")
    cast.org(COMMAND, OrgKind.COMMAND, "漯河市疫情防控指挥部", CITY)
    cast.person(COMMAND, "赵建国", COMMAND, Role.COMMAND)
    for key, name in UNITS:
        cast.org(key, OrgKind.DEPARTMENT, name, CITY)
    cast.handles("luohe.transport", "luohe.handler", "刘慧敏")


def build_teams(cast: Cast) -> None:
    for key, name, username, leader in TEAMS:
        cast.team(key, name, TeamKind.COMPREHENSIVE, OFFICE, [CITY], leader=(username, leader))


@dataclass(frozen=True)
class Finding:
    title: str
    county: str
    unit: str
    focus_area: str
    days_ago: int
    nature: str = Nature.COMMON


# The kind the HQ answered: drivers and passengers of ride-hailing cars and taxis.
DRIVERS = "screening"
# The kind still waiting for a measure: what pharmacies and supermarkets sell.
SHOPS = "supplies"

FINDINGS = [
    Finding(
        "网约车司机从外地返回后未被所在社区纳入排查名单",
        "luohe.yuanhui",
        "luohe.transport",
        DRIVERS,
        21,
    ),
    Finding(
        "出租车未登记乘客信息，出现疑似病例后无法追查同乘人员",
        "luohe.yancheng",
        "luohe.transport",
        DRIVERS,
        19,
    ),
    Finding(
        "交通卡点夜间对外地牌照营运车辆只测温不登记",
        "luohe.shaoling",
        "luohe.transport",
        DRIVERS,
        17,
    ),
    Finding(
        "小区封闭管理值守人员午间脱岗",
        "luohe.yancheng",
        "luohe.health",
        "closed_management",
        15,
        Nature.INDIVIDUAL,
    ),
    Finding(
        "药店销售退热止咳药品未登记购药人姓名和联系方式",
        "luohe.yuanhui",
        "luohe.market",
        SHOPS,
        9,
    ),
    Finding(
        "超市防护口罩未明码标价，同一品种价格一日数变",
        "luohe.wuyang",
        "luohe.market",
        SHOPS,
        6,
    ),
]

# Found after the notice was issued: the HQ links it to the notice rather than write anew.
LATE_FINDING = Finding(
    "县城出租车公司未掌握司机外出往返情况",
    "luohe.linying",
    "luohe.transport",
    DRIVERS,
    5,
)

POLICY_TITLE = "关于加强网约车和出租车司机乘客排查管理的通知"
POLICY_REFERENCE = "漯防指〔2020〕9号"
POLICY_TEXT = (
    "一、网约车平台和出租车公司每日向所在县区指挥部报送在岗司机名单及外出往返情况。\n"
    "二、司机从外地返回的，由所在社区（村）纳入排查，居家观察期满前不得营运。\n"
    "三、网约车、出租车实行乘客扫码或实名登记乘车，登记记录保存十四日备查。\n"
    "四、交通卡点对营运车辆逐车查验、逐人登记，夜间不减岗、不减项。"
)
# The notice as printed: its addressees, the paragraph before the measures, and its foot.
NOTICE_TO = "各县区疫情防控指挥部，市直有关单位："
NOTICE_PREFACE = (
    "近期各督查组在多个县区发现网约车、出租车司机和乘客排查登记不到位的问题，"
    "暴露出营运车辆流动性大、底数不清的薄弱环节。为堵住这一漏洞，经市指挥部研究，"
    "现就有关事项通知如下："
)
NOTICE_CLOSING = "各县区、各单位要明确专人负责，落实情况纳入督查范围，对落实不力的严肃追责。"
NOTICE_FILE_NAME = f"{POLICY_REFERENCE}{POLICY_TITLE}.docx"
ISSUED_DAYS_AGO = 12
LINKED_DAYS_AGO = 3


def _record(cast: Cast, clock: ReplayClock, now: datetime, number: int, finding: Finding) -> int:
    moment = now - timedelta(days=finding.days_ago, hours=4)
    clock.moment = moment
    team_key, _name, username, _leader = TEAMS[number % len(TEAMS)]
    problem = loop.do_create_problem(
        acting_user=cast.users[username],
        title=finding.title,
        region=cast.orgs[finding.county],
        focus_area=cast.focus[finding.focus_area],
        team=cast.teams[team_key],
        found_at=moment - timedelta(hours=3),
        nature=finding.nature,
    )
    clock.moment = moment + timedelta(hours=2)
    problem = loop.do_assign(
        problem, acting_user=cast.users[OFFICE], responsible_org=cast.orgs[finding.unit]
    )
    return problem.pk


def notice_file(issued_on: date) -> SimpleUploadedFile:
    """The notice as the HQ printed it, a small Word file made here: masthead, reference,
    title, addressees, the measures and the seal's line."""
    document = new_docx()

    def line(text: str, align: Any = None, bold: bool = False) -> None:
        paragraph = document.add_paragraph()
        paragraph.add_run(text).bold = bold
        if align is not None:
            paragraph.alignment = align

    line("漯河市新冠肺炎疫情防控指挥部", WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    line(POLICY_REFERENCE, WD_ALIGN_PARAGRAPH.CENTER)
    line(POLICY_TITLE, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    line(NOTICE_TO)
    for text in (NOTICE_PREFACE, *POLICY_TEXT.split("\n"), NOTICE_CLOSING):
        line(text)
    line("漯河市新冠肺炎疫情防控指挥部", WD_ALIGN_PARAGRAPH.RIGHT)
    line(f"{issued_on.year}年{issued_on.month}月{issued_on.day}日", WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile(NOTICE_FILE_NAME, out.getvalue())


@contextmanager
def policy_clock(clock: ReplayClock) -> Iterator[None]:
    """The policy's rows carry the replayed moment: their time defaults captured the real
    clock when the models were built (see clock.py)."""
    fields: list[Any] = [
        Policy._meta.get_field("adopted_at"),
        PolicyEvent._meta.get_field("created_at"),
        PolicyDocument._meta.get_field("created_at"),
    ]
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


def replay(cast: Cast, clock: ReplayClock, now: datetime) -> Policy:
    """The teams' findings, the HQ's notice for the drivers' kind, and the problem of that
    kind found later linked to it; returns the notice."""
    with policy_clock(clock):
        return _replay(cast, clock, now)


def _replay(cast: Cast, clock: ReplayClock, now: datetime) -> Policy:
    found = [_record(cast, clock, now, n, finding) for n, finding in enumerate(FINDINGS)]
    drivers = [pk for pk, f in zip(found, FINDINGS, strict=True) if f.focus_area == DRIVERS]
    command = cast.users[COMMAND]
    issued = now - timedelta(days=ISSUED_DAYS_AGO, hours=-2)
    clock.moment = issued
    policy = policies.do_adopt_policy(
        acting_user=command,
        title=POLICY_TITLE,
        text=POLICY_TEXT,
        issuing_body=cast.orgs[COMMAND],
        issued_on=timezone.localdate(issued),
        reference=POLICY_REFERENCE,
        problem_ids=drivers,
        document=notice_file(timezone.localdate(issued)),
    )
    late = _record(cast, clock, now, len(FINDINGS), LATE_FINDING)
    clock.moment = now - timedelta(days=LINKED_DAYS_AGO)
    policy = policies.do_link_problems(policy, acting_user=command, problem_ids=[late])
    clock.moment = None
    return policy
