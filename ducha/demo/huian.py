"""Scene 3, Hui'an County: the county discipline body's 党风政风监督室 coordinates 6 joint
and 5 special teams (codes: GB/T 2260)."""

from __future__ import annotations

from ducha.accounts.choices import Role
from ducha.demo.cast import Cast
from ducha.orgs.choices import OrgKind, RegionLevel, SiteKind, TeamKind

COUNTY = "huian"

DEPARTMENTS = [
    ("huian.health", "惠安县卫健局"),
    ("huian.market", "惠安县市场监管局"),
    ("huian.transport", "惠安县交通运输局"),
    ("huian.police", "惠安县公安局"),
    ("huian.industry", "惠安县工信局"),
    ("huian.education", "惠安县教育局"),
    ("huian.testing", "惠安县核酸检测工作专班"),
    ("huian.isolation", "惠安县集中隔离场所工作专班"),
]

TOWNS = [
    ("huian.huangtang", "黄塘镇"),
    ("huian.luocheng", "螺城镇"),
    ("huian.luoyang", "螺阳镇"),
    ("huian.dongling", "东岭镇"),
    ("huian.chongwu", "崇武镇"),
    ("huian.tuzhai", "涂寨镇"),
    ("huian.zishan", "紫山镇"),
    ("huian.jingfeng", "净峰镇"),
]

VILLAGES = [
    ("huian.houxi", "后西村", "huian.huangtang"),
    ("huian.beiguan", "北关社区", "huian.luocheng"),
]

SITES = [
    ("s.huian.jinhua", "锦华酒店集中隔离点", SiteKind.ISOLATION_SITE, "huian.luocheng"),
    ("s.huian.chengnan", "城南集中隔离点", SiteKind.ISOLATION_SITE, "huian.luoyang"),
    ("s.huian.huidong", "惠东高速卡口", SiteKind.CHECKPOINT, COUNTY),
    ("s.huian.shenhai", "沈海高速惠安出口卡口", SiteKind.CHECKPOINT, "huian.luoyang"),
    ("s.huian.hospital", "惠安县医院", SiteKind.HOSPITAL, "huian.luocheng"),
    ("s.huian.huangtang.school", "黄塘镇中心小学核酸采样点", SiteKind.TEST_SITE, "huian.huangtang"),
    ("s.huian.transfer", "核酸样本集散中转站", SiteKind.TEST_SITE, "huian.luocheng"),
    ("s.huian.tuzhai.test", "涂寨镇前海村采样点", SiteKind.TEST_SITE, "huian.tuzhai"),
    ("s.huian.market", "螺城菜市场", SiteKind.MARKET, "huian.luocheng"),
    ("s.huian.pharmacy", "螺阳镇惠民药店", SiteKind.PHARMACY, "huian.luoyang"),
    ("s.huian.shoes", "东岭镇泰兴鞋业有限公司", SiteKind.ENTERPRISE, "huian.dongling"),
    ("s.huian.stone", "崇武镇永安石材厂", SiteKind.ENTERPRISE, "huian.chongwu"),
    ("s.huian.school", "螺城实验小学", SiteKind.SCHOOL, "huian.beiguan"),
]

NUMBERS = ["一", "二", "三", "四", "五", "六"]
JOINT_LEADERS = ["王志成", "陈美玲", "林志强", "蔡文斌", "黄一鸣", "郑丽华"]
SPECIAL_TEAMS = [
    ("集中隔离场所专项督查组", "庄伟"),
    ("核酸检测专项督查组", "刘晓东"),
    ("交通卡口专项督查组", "何建新"),
    ("医疗救治专项督查组", "苏雅玲"),
    ("复工复产专项督查组", "骆永福"),
]


def joint(number: int) -> str:
    return f"t.huian.joint{number}"


def special(number: int) -> str:
    return f"t.huian.special{number}"


def build(cast: Cast) -> None:
    cast.region("fujian", "福建省", RegionLevel.PROVINCE, None, "350000")
    cast.region("quanzhou", "泉州市", RegionLevel.CITY, "fujian", "350500")
    cast.region(COUNTY, "惠安县", RegionLevel.COUNTY, "quanzhou", "350521")
    cast.org("huian.discipline", OrgKind.DISCIPLINE, "惠安县纪委监委", COUNTY)
    cast.person("huian.discipline", "曾秀英", "huian.discipline", Role.DISCIPLINE)
    cast.office("huian.office", "惠安县纪委监委党风政风监督室", "huian.discipline", staff="黄丽娟")
    cast.org("huian.command", OrgKind.COMMAND, "惠安县疫情防控指挥部", COUNTY)
    cast.person("huian.command", "陈建华", "huian.command", Role.COMMAND)
    # The county's leading cadres direct the command HQ; their instructions are given there.
    cast.person("huian.leader", "郭振兴", "huian.command", Role.LEADER)
    for key, name in TOWNS:
        cast.region(key, name, RegionLevel.TOWN, COUNTY)
    for key, name, parent in VILLAGES:
        cast.region(key, name, RegionLevel.VILLAGE, parent)
    for key, name in DEPARTMENTS:
        cast.org(key, OrgKind.DEPARTMENT, name, COUNTY)
    cast.handles("huian.health", "huian.handler", "庄雅琴")
    for key, name, kind, region in SITES:
        cast.site(key, name, kind, region)


def build_teams(cast: Cast) -> None:
    for number, (word, leader) in enumerate(zip(NUMBERS, JOINT_LEADERS, strict=True), 1):
        cast.team(
            joint(number),
            f"疫情防控联合督查组第{word}组",
            TeamKind.JOINT,
            "huian.discipline",
            [COUNTY],
            leader=(f"huian.joint{number}", leader),
        )
    for number, (name, leader) in enumerate(SPECIAL_TEAMS, 1):
        cast.team(
            special(number),
            name,
            TeamKind.SPECIAL,
            "huian.discipline",
            [COUNTY],
            leader=(f"huian.special{number}", leader),
        )
