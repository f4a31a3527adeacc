"""Scene 2, Chengdu Hi-tech Zone: 9 teams over 16 streets and towns, 22 departments and
3 state-owned enterprises.

成都高新区 is a functional zone without a code of its own in GB/T 2260; the demo gives it
510109, an assumed code (see docs/demo.md). The eastern streets and towns (the former
简阳 townships) carry names close to, not necessarily equal to, the current ones.
"""

from __future__ import annotations

from ducha.accounts.choices import Role
from ducha.demo.cast import Cast
from ducha.orgs.choices import OrgKind, RegionLevel, SiteKind, TeamKind

ZONE = "chengdu.zone"
ZONE_CODE = "510109"

# key, name, team number (1–8) that covers it
STREETS = [
    ("chengdu.fangcao", "芳草街街道", 1),
    ("chengdu.xiaojiahe", "肖家河街道", 1),
    ("chengdu.shiyang", "石羊街道", 2),
    ("chengdu.guixi", "桂溪街道", 2),
    ("chengdu.xiyuan", "西园街道", 3),
    ("chengdu.hezuo", "合作街道", 3),
    ("chengdu.zhonghe", "中和街道", 4),
    ("chengdu.shibandeng", "石板凳街道", 4),
    ("chengdu.danjing", "丹景街道", 5),
    ("chengdu.caochi", "草池街道", 5),
    ("chengdu.shipan", "石盘街道", 6),
    ("chengdu.futian", "福田街道", 6),
    ("chengdu.sancha", "三岔街道", 7),
    ("chengdu.yucheng", "玉成街道", 7),
    ("chengdu.lujia", "芦葭镇", 8),
    ("chengdu.gaoming", "高明镇", 8),
]

COMMUNITIES = [
    ("chengdu.sancha.hubin", "湖滨社区", "chengdu.sancha"),
    ("chengdu.yucheng.jielin", "街邻村", "chengdu.yucheng"),
    ("chengdu.fangcao.fanghua", "芳华社区", "chengdu.fangcao"),
    ("chengdu.guixi.jiaozi", "交子社区", "chengdu.guixi"),
    ("chengdu.shiyang.tianfu", "天府社区", "chengdu.shiyang"),
    ("chengdu.hezuo.xinxi", "新西社区", "chengdu.hezuo"),
]

DEPARTMENTS = [
    ("chengdu.airport", "空港新城管委会"),
    ("chengdu.social", "高新区社会事业局"),
    ("chengdu.finance", "高新区财政金融局"),
    ("chengdu.market", "高新区市场监管局"),
    ("chengdu.parks", "高新区公园城市局"),
    ("chengdu.economy", "高新区经济运行局"),
    ("chengdu.party", "高新区党群工作部"),
    ("chengdu.personnel", "高新区组织人事部"),
    ("chengdu.publicity", "高新区宣传统战部"),
    ("chengdu.reform", "高新区发展改革局"),
    ("chengdu.tech", "高新区科技创新局"),
    ("chengdu.electronics", "高新区电子信息产业局"),
    ("chengdu.bio", "高新区生物产业局"),
    ("chengdu.neweco", "高新区新经济发展局"),
    ("chengdu.community", "高新区社区发展治理和社会保障局"),
    ("chengdu.ecology", "高新区生态环境和城市管理局"),
    ("chengdu.emergency", "高新区应急管理局"),
    ("chengdu.enforcement", "高新区综合执法局"),
    ("chengdu.investment", "高新区投资服务局"),
    ("chengdu.approval", "高新区行政审批局"),
    ("chengdu.statistics", "高新区统计局"),
    ("chengdu.police", "成都市公安局高新区分局"),
]

ENTERPRISES = [
    ("chengdu.gaotou", "成都高新投资集团有限公司"),
    ("chengdu.futurecity", "成都高新未来科技城发展集团有限公司"),
    ("chengdu.cityops", "成都高新城市运营服务有限公司"),
]

TEAM_NAMES = ["第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九"]
TEAM_LEADERS = ["赵磊", "钱芳", "孙浩", "李敏", "吴刚", "郑洁", "唐明", "冯涛", "陈雪"]
# The ninth team is the special team for work resumption; it covers the whole zone.
SPECIAL_TEAM = 9

# Sites by street: key suffix, name, kind. Keys are "s.<street key>.<suffix>".
SITES: dict[str, list[tuple[str, str, str]]] = {
    "chengdu.fangcao": [
        ("gate", "芳华社区东门卡点", SiteKind.CHECKPOINT),
        ("market", "芳草东街农贸市场", SiteKind.MARKET),
        ("pharmacy", "倪家桥路益康药房", SiteKind.PHARMACY),
        ("school", "芳草街小学", SiteKind.SCHOOL),
    ],
    "chengdu.xiaojiahe": [
        ("gate", "肖家河正街小区卡点", SiteKind.CHECKPOINT),
        ("market", "肖家河农贸市场", SiteKind.MARKET),
        ("clinic", "肖家河社区卫生服务中心", SiteKind.HOSPITAL),
    ],
    "chengdu.shiyang": [
        ("office", "天府三街写字楼群", SiteKind.ENTERPRISE),
        ("site", "益州大道安置房项目工地", SiteKind.CONSTRUCTION_SITE),
        ("pharmacy", "石羊场康和大药房", SiteKind.PHARMACY),
        ("gate", "天府社区北门卡点", SiteKind.CHECKPOINT),
    ],
    "chengdu.guixi": [
        ("park", "天府软件园C区", SiteKind.ENTERPRISE),
        ("market", "吉泰路生鲜超市", SiteKind.MARKET),
        ("site", "交子大道商业综合体项目工地", SiteKind.CONSTRUCTION_SITE),
        ("gate", "交子社区南门卡点", SiteKind.CHECKPOINT),
    ],
    "chengdu.xiyuan": [
        ("chips", "西芯大道电子元件厂", SiteKind.ENTERPRISE),
        ("parts", "百叶路精密制造公司", SiteKind.ENTERPRISE),
        ("gate", "西源大道小区卡点", SiteKind.CHECKPOINT),
    ],
    "chengdu.hezuo": [
        ("factory", "合作路电子装配厂", SiteKind.ENTERPRISE),
        ("dorm", "新西社区员工公寓", SiteKind.COMMUNITY),
        ("market", "合作场农贸市场", SiteKind.MARKET),
        ("hospital", "合作街道卫生院", SiteKind.HOSPITAL),
    ],
    "chengdu.zhonghe": [
        ("site", "中和大道地铁配套项目工地", SiteKind.CONSTRUCTION_SITE),
        ("market", "中和场农贸市场", SiteKind.MARKET),
        ("school", "中和中学", SiteKind.SCHOOL),
        ("gate", "新川片区小区卡点", SiteKind.CHECKPOINT),
    ],
    "chengdu.shibandeng": [
        ("gate", "石板凳场镇卡点", SiteKind.CHECKPOINT),
        ("site", "空港大道道路工程工地", SiteKind.CONSTRUCTION_SITE),
        ("market", "石板凳农贸市场", SiteKind.MARKET),
    ],
    "chengdu.danjing": [
        ("gate", "丹景山路卡点", SiteKind.CHECKPOINT),
        ("market", "丹景场镇农贸市场", SiteKind.MARKET),
        ("clinic", "丹景街道卫生院", SiteKind.HOSPITAL),
    ],
    "chengdu.caochi": [
        ("gate", "草池场镇卡点", SiteKind.CHECKPOINT),
        ("farm", "草池蔬菜种植基地", SiteKind.ENTERPRISE),
        ("school", "草池小学", SiteKind.SCHOOL),
    ],
    "chengdu.shipan": [
        ("gate", "石盘场镇卡点", SiteKind.CHECKPOINT),
        ("market", "石盘农贸市场", SiteKind.MARKET),
        ("site", "石盘安置小区项目工地", SiteKind.CONSTRUCTION_SITE),
    ],
    "chengdu.futian": [
        ("gate", "福田场镇卡点", SiteKind.CHECKPOINT),
        ("clinic", "福田街道卫生院", SiteKind.HOSPITAL),
        ("market", "福田农贸市场", SiteKind.MARKET),
    ],
    "chengdu.sancha": [
        ("pharmacy", "湖滨小区新开药店", SiteKind.PHARMACY),
        ("gate", "三岔湖景区卡点", SiteKind.CHECKPOINT),
        ("market", "三岔场镇农贸市场", SiteKind.MARKET),
        ("clinic", "三岔街道卫生院", SiteKind.HOSPITAL),
    ],
    "chengdu.yucheng": [
        ("gate", "街邻村村口卡点", SiteKind.CHECKPOINT),
        ("market", "玉成场镇农贸市场", SiteKind.MARKET),
        ("school", "玉成小学", SiteKind.SCHOOL),
    ],
    "chengdu.lujia": [
        ("gate", "芦葭场镇卡点", SiteKind.CHECKPOINT),
        ("site", "芦葭产业园项目工地", SiteKind.CONSTRUCTION_SITE),
        ("market", "芦葭农贸市场", SiteKind.MARKET),
    ],
    "chengdu.gaoming": [
        ("gate", "高明场镇卡点", SiteKind.CHECKPOINT),
        ("clinic", "高明镇卫生院", SiteKind.HOSPITAL),
        ("market", "高明农贸市场", SiteKind.MARKET),
    ],
}

# Places directly under the zone (not in one street).
ZONE_SITES = [
    ("s.chengdu.airport.gate", "天府国际机场临时交通卡口", SiteKind.CHECKPOINT),
    ("s.chengdu.masks", "高新西区口罩生产线", SiteKind.ENTERPRISE),
]


def team_key(number: int) -> str:
    return f"t.chengdu{number}"


def team_username(number: int) -> str:
    return f"chengdu.team{number}"


def street_team() -> dict[str, str]:
    """Which team covers each street."""
    return {key: team_key(number) for key, _, number in STREETS}


def build(cast: Cast) -> None:
    cast.region("sichuan", "四川省", RegionLevel.PROVINCE, None, "510000")
    cast.region("chengdu", "成都市", RegionLevel.CITY, "sichuan", "510100")
    cast.region(ZONE, "成都高新区", RegionLevel.COUNTY, "chengdu", ZONE_CODE)
    cast.office("chengdu.office", "成都高新区督查办", ZONE, staff="罗佳")
    cast.person("chengdu.leader", "王建川", "chengdu.office", Role.LEADER)
    # 三员: three administrators of the zone, three accounts, none of them in the loop.
    cast.person("chengdu.admin", "周晨", "chengdu.office", Role.SYSTEM_ADMIN)
    cast.may_use_admin_site("chengdu.admin")
    cast.person("chengdu.security", "刘思远", "chengdu.office", Role.SECURITY_ADMIN)
    cast.person("chengdu.audit", "唐雨桐", "chengdu.office", Role.AUDIT_ADMIN)
    cast.org("chengdu.command", OrgKind.COMMAND, "成都高新区疫情防控指挥部", ZONE)
    cast.person("chengdu.command", "陈志远", "chengdu.command", Role.COMMAND)
    cast.org("chengdu.discipline", OrgKind.DISCIPLINE, "成都高新区纪工委监察工委", ZONE)
    cast.person("chengdu.discipline", "杨静", "chengdu.discipline", Role.DISCIPLINE)
    for key, name, _ in STREETS:
        cast.region(key, name, RegionLevel.TOWN, ZONE)
    for key, name, parent in COMMUNITIES:
        cast.region(key, name, RegionLevel.VILLAGE, parent)
    for key, name in DEPARTMENTS:
        cast.org(key, OrgKind.DEPARTMENT, name, ZONE)
    for key, name in ENTERPRISES:
        cast.org(key, OrgKind.ENTERPRISE, name, ZONE)
    cast.handles("chengdu.market", "chengdu.handler", "何晓峰")
    for street, sites in SITES.items():
        for suffix, name, kind in sites:
            cast.site(f"s.{street}.{suffix}", name, kind, street)
    for key, name, kind in ZONE_SITES:
        cast.site(key, name, kind, ZONE)


def build_teams(cast: Cast) -> None:
    for number, (prefix, leader) in enumerate(zip(TEAM_NAMES, TEAM_LEADERS, strict=True), 1):
        if number == SPECIAL_TEAM:
            regions, kind = [ZONE], TeamKind.SPECIAL
        else:
            regions = [key for key, _, team in STREETS if team == number]
            kind = TeamKind.COMPREHENSIVE
        cast.team(
            team_key(number),
            f"{prefix}督查组",
            kind,
            "chengdu.office",
            regions,
            leader=(team_username(number), leader),
        )
