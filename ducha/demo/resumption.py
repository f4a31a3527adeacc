"""The 复工复产 ledger in the demo (docs/resumption.md): Chengdu Hi-tech Zone's enterprises and
construction projects in full, and Hebei's industrial enterprises above designated size and
key producers of epidemic-control supplies.

The totals below are the scenes' own figures, and each is only the size of a group of
records: every rate a page shows is counted from the enterprises, their events and spells.
Names, streets and days are drawn from a fixed seed, so every load writes the same ledger.
All the histories end by the scene's day (the zone's count, Hebei's "1 March"): a rate as of
that day or any later one reads the scene's figures.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ducha.demo import chengdu
from ducha.demo.cast import Cast
from ducha.demo.resumption_bulk import Entry, LedgerEntry, moment, write
from ducha.resumption.choices import Category, EnterpriseAction, EnterpriseKind

FILE, RESUME, STOP = EnterpriseAction.FILE, EnterpriseAction.RESUME, EnterpriseAction.STOP
ENTERPRISE, PROJECT = EnterpriseKind.ENTERPRISE, EnterpriseKind.PROJECT

SEED = 20200301
# The scenes' days, counted back from the load, and how many days before them the offices
# started recording (the scenes' weeks).
CHENGDU_DAYS_AGO = 1
HEBEI_DAYS_AGO = 3
WEEKS = 5
# Enterprises at the head of each group, working on the scene's day.
LEADING = 5


@dataclass(frozen=True)
class Counts:
    """How a group of enterprises stands on the scene's day."""

    total: int
    filed: int
    resumed: int  # working on the day (their spell open)
    stopped: int = 0  # resumed, and stopped again by the day
    again: int = 0  # of the resumed: stopped once and resumed again

    def __post_init__(self) -> None:
        if not (self.again <= self.resumed and self.resumed + self.stopped <= self.filed):
            raise ValueError(f"inconsistent counts {self}")
        if self.filed > self.total or self.resumed - self.again < LEADING:
            raise ValueError(f"inconsistent counts {self}")

    def profiles(self, rng: random.Random) -> list[tuple[str, ...]]:
        """Each enterprise's changes of status, in order, shuffled but for the first
        `LEADING`, plainly resumed: the ledgers and the scenes' named enterprises take them."""
        resumed: list[tuple[str, ...]] = [(FILE, RESUME)]
        plain = self.resumed - self.again
        stopped = (FILE, RESUME, STOP)
        rest = (
            resumed * (plain - LEADING)
            + [(FILE, RESUME, STOP, RESUME)] * self.again
            + [stopped] * self.stopped
            + [(FILE,)] * (self.filed - self.resumed - self.stopped)
            + [()] * (self.total - self.filed)
        )
        rng.shuffle(rest)
        return resumed * LEADING + rest


# Chengdu Hi-tech Zone ---------------------------------------------------------------------

SOUTH, WEST, EAST = "南区", "西区", "东区"
AREAS = {
    SOUTH: ["fangcao", "xiaojiahe", "shiyang", "guixi", "zhonghe"],
    WEST: ["xiyuan", "hezuo"],
    EAST: [
        "shibandeng",
        "danjing",
        "caochi",
        "shipan",
        "futian",
        "sancha",
        "yucheng",
        "lujia",
        "gaoming",
    ],
}
AREA_OF = {street: area for area, streets in AREAS.items() for street in streets}

# How the zone's enterprises lie over its streets (relative weights): industry in the west
# and the new eastern parks, services in the south's business districts.
INDUSTRY_STREETS = {
    "xiyuan": 30,
    "hezuo": 26,
    "shiyang": 6,
    "zhonghe": 5,
    "guixi": 3,
    "fangcao": 1,
    "xiaojiahe": 1,
    "shibandeng": 4,
    "lujia": 4,
    "gaoming": 2,
    "futian": 2,
    "danjing": 1,
    "caochi": 1,
    "shipan": 1,
    "sancha": 1,
    "yucheng": 1,
}
SERVICE_STREETS = {
    "guixi": 30,
    "shiyang": 16,
    "fangcao": 14,
    "zhonghe": 14,
    "xiaojiahe": 8,
    "xiyuan": 6,
    "hezuo": 5,
    "shibandeng": 1,
    "danjing": 1,
    "caochi": 1,
    "shipan": 1,
    "futian": 1,
    "sancha": 1,
    "yucheng": 1,
    "lujia": 1,
    "gaoming": 1,
}
PROJECT_STREETS = {
    "south_west": {
        "zhonghe": 8,
        "shiyang": 6,
        "guixi": 5,
        "fangcao": 2,
        "xiaojiahe": 2,
        "xiyuan": 5,
        "hezuo": 4,
    },
    "east": {street: 1 for street in AREAS[EAST]},
}

CHENGDU_ABOVE_SCALE = Counts(354, 303, resumed=276, stopped=9, again=12)
CHENGDU_OTHER_INDUSTRY = Counts(880, 434, resumed=352, stopped=21, again=8)
CHENGDU_SERVICES = Counts(37_687, 16_948, resumed=13_874, stopped=215, again=60)
CHENGDU_REAL_ESTATE = Counts(236, 141, resumed=118, stopped=3)
CHENGDU_PROJECTS_SOUTH_WEST = Counts(417, 301, resumed=258, stopped=11, again=4)
CHENGDU_PROJECTS_EAST = Counts(73, 61, resumed=53, stopped=2)

# Trades, and the department that supervises enterprises of each.
INDUSTRY_TRADES = [
    ("电子科技", "chengdu.electronics"),
    ("微电子", "chengdu.electronics"),
    ("光电科技", "chengdu.electronics"),
    ("通信设备", "chengdu.electronics"),
    ("生物医药", "chengdu.bio"),
    ("医疗器械", "chengdu.bio"),
    ("生物技术", "chengdu.bio"),
    ("精密机械", "chengdu.economy"),
    ("智能装备", "chengdu.economy"),
    ("新材料", "chengdu.economy"),
    ("汽车零部件", "chengdu.economy"),
    ("食品", "chengdu.economy"),
    ("包装材料", "chengdu.economy"),
    ("环保设备", "chengdu.economy"),
]
SERVICE_TRADES = [
    ("软件", "chengdu.neweco"),
    ("信息技术", "chengdu.neweco"),
    ("网络科技", "chengdu.neweco"),
    ("数据服务", "chengdu.neweco"),
    ("检测技术", "chengdu.tech"),
    ("商贸", "chengdu.market"),
    ("餐饮管理", "chengdu.market"),
    ("供应链管理", "chengdu.market"),
    ("物流", "chengdu.market"),
    ("文化传媒", "chengdu.market"),
    ("教育咨询", "chengdu.market"),
    ("人力资源服务", "chengdu.market"),
    ("企业管理咨询", "chengdu.market"),
    ("酒店管理", "chengdu.market"),
    ("健康管理", "chengdu.market"),
    ("广告", "chengdu.market"),
    ("建筑设计", "chengdu.market"),
]
REAL_ESTATE_TRADES = [("置业", "chengdu.parks"), ("房地产开发", "chengdu.parks")]
PROJECT_SUPERVISOR = "chengdu.parks"

BRAND = "天华锦蓉川鑫泰恒瑞博通达宏远新创智汇云星辰海嘉德盛安康明宇航睿诚信和丰佳美光晟禾源峰"
CHENGDU_PREFIXES = ["成都", "成都", "成都高新", "四川"]
SUFFIXES = ["有限公司"] * 6 + ["有限责任公司"] * 2 + ["股份有限公司"]

PROJECT_PLACES = {
    "south_west": [
        "天府大道南段",
        "益州大道",
        "剑南大道",
        "天府五街",
        "交子大道",
        "锦城大道",
        "府城大道",
        "中和大道",
        "新川科技园",
        "大源片区",
        "世纪城片区",
        "西芯大道",
        "合作路",
        "百叶路",
        "新航路",
        "天宇路",
        "西源大道",
        "尚锦路",
    ],
    "east": [
        "空港新城",
        "三岔湖",
        "芦葭",
        "高明",
        "石板凳",
        "丹景山",
        "草池",
        "石盘",
        "福田",
        "玉成",
    ],
}
PROJECT_WORKS = [
    "安置房",
    "人才公寓",
    "小学",
    "幼儿园",
    "道路工程",
    "综合管廊",
    "标准厂房",
    "研发楼",
    "商业综合体",
    "社区综合体",
    "污水处理厂",
    "绿道",
    "医院",
    "产业园",
]
PROJECT_PHASES = ["", "一期", "二期", "三期", "（A地块）", "（B地块）"]

# Projects in the zone that others supervise: listed, never counted in its rates.
AIRPORT = "民航机场工程，由机场建设指挥部监管"
AIR_TRAFFIC = "民航空管工程，由民航空管部门监管"
EXPRESSWAY = "高速公路项目，由省交通运输部门监管"
METRO = "轨道交通项目，由市轨道交通部门监管"
RAIL = "国家铁路项目，由铁路建设单位监管"
EXCLUDED_PROJECTS = [
    ("天府国际机场航站区工程", AIRPORT),
    ("天府国际机场飞行区场道工程", AIRPORT),
    ("天府国际机场货运区工程", AIRPORT),
    ("天府国际机场空管工程", AIR_TRAFFIC),
    ("成都区域管制中心工程", AIR_TRAFFIC),
    ("天府国际机场高速公路", EXPRESSWAY),
    ("天府国际机场北线高速公路", EXPRESSWAY),
    ("成宜高速公路", EXPRESSWAY),
    ("成资渝高速公路", EXPRESSWAY),
    ("地铁18号线", METRO),
    ("地铁13号线一期", METRO),
    ("地铁19号线二期", METRO),
    ("成自高铁", RAIL),
    ("成达万高铁", RAIL),
    ("成渝中线高铁", RAIL),
]

# Hebei ------------------------------------------------------------------------------------

HEBEI_ABOVE_SCALE = Counts(13_182, 12_768, resumed=12_193, stopped=94, again=37)
HEBEI_KEY_SUPPLIES = Counts(65, 65, resumed=63, stopped=1, again=2)

# Where the province's industry lies (relative weights): the cities, and the demo's
# counties within them.
HEBEI_REGIONS = {
    "shijiazhuang": 2650,
    "tangshan": 1900,
    "kaiping": 260,
    "zunhua": 240,
    "qinhuangdao": 560,
    "xingtai": 1240,
    "neiqiu": 110,
    "baoding": 1650,
    "zhuozhou": 150,
    "chengde": 420,
    "shuangqiao": 60,
    "cangzhou": 1700,
    "langfang": 1100,
    "sanhe": 200,
    "hengshui": 900,
}
KEY_SUPPLY_REGIONS = {
    "baoding": 14,
    "shijiazhuang": 12,
    "tangshan": 6,
    "kaiping": 2,
    "cangzhou": 8,
    "hengshui": 8,
    "xingtai": 6,
    "langfang": 4,
    "chengde": 2,
    "qinhuangdao": 3,
}
HEBEI_TRADES = [
    "钢铁",
    "机械制造",
    "化工",
    "建材",
    "纺织",
    "食品",
    "汽车零部件",
    "玻璃",
    "医药",
    "装备制造",
    "电线电缆",
    "管道",
    "铸造",
    "塑料制品",
    "陶瓷",
    "新能源",
    "电子",
]
KEY_SUPPLY_TRADES = ["防护用品", "医用卫材", "医用口罩", "消毒用品", "医疗器械", "熔喷材料"]
# The province's industry and information technology department follows the key producers.
KEY_SUPPLY_SUPERVISOR = "hebei.industry"
# Where a city or county has its own industry department in the demo, it supervises.
HEBEI_SUPERVISORS = {
    "shijiazhuang": "shijiazhuang.industry",
    "baoding": "baoding.industry",
    "kaiping": "kaiping.industry",
    "neiqiu": "neiqiu.industry",
}
# The scene's enterprises that teams visit: (name, site key, region key), working on the day.
HEBEI_KNOWN_ABOVE_SCALE = [
    ("石家庄恒通汽车配件有限公司", "s.shijiazhuang.parts", "shijiazhuang"),
    ("保定恒瑞汽车零部件有限公司", "s.baoding.parts", "baoding"),
    ("开平区泰和机械厂", "s.kaiping.machinery", "kaiping"),
    ("内丘县康源食品有限公司", "s.neiqiu.food", "neiqiu.zhen"),
]
HEBEI_KNOWN_KEY_SUPPLIES = [("唐山卓安防护用品有限公司", "s.kaiping.ppe", "kaiping")]


# Epidemic-management ledgers ------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRecord:
    """An entry of a resumed Chengdu enterprise's ledger; `update` a later one."""

    staff_total: int
    staff_screened: int
    supplies: tuple[tuple[str, int, str, int], ...]  # name, quantity, unit, days of stock
    plan: str
    responsible_person: str
    responsible_phone: str
    staff_isolated: int = 0
    update: tuple[int, int, tuple[tuple[str, int, str, int], ...]] | None = None


LEDGERS = {
    Category.INDUSTRY_ABOVE_SCALE: [
        LedgerRecord(
            420,
            386,
            (("医用口罩", 6000, "只", 7), ("消毒液", 300, "升", 12), ("手套", 2000, "双", 10)),
            "返岗员工持健康码分批进厂，厂区每日两次消杀，食堂错峰分餐，设临时隔离观察室一间。",
            "邓建国",
            "028-85001234",
            staff_isolated=3,
            # A week on: everyone screened, and the masks restocked.
            update=(436, 436, (("医用口罩", 12000, "只", 14), ("消毒液", 420, "升", 15))),
        ),
        LedgerRecord(
            180,
            180,
            (("医用口罩", 2500, "只", 9), ("消毒液", 120, "升", 10)),
            "生产线间隔一米排班，外地返岗人员先居家观察十四天再上岗。",
            "蒋丽",
            "028-87654321",
        ),
    ],
    Category.SERVICES: [
        LedgerRecord(
            65,
            61,
            (("医用口罩", 800, "只", 6), ("免洗洗手液", 40, "瓶", 20)),
            "实行弹性办公，到岗人数不超过一半，会议室停用，访客一律线上预约。",
            "杨帆",
            "13808001122",
        ),
        LedgerRecord(
            28,
            28,
            (("医用口罩", 300, "只", 5), ("消毒液", 20, "升", 8)),
            "门店限流，每次进店不超过十人，收银台设一米线，每日营业前后各消杀一次。",
            "胡晓梅",
            "13908002233",
        ),
    ],
}


# Building -----------------------------------------------------------------------------------


def scene_days(today: date) -> tuple[date, date]:
    """The zone's day of count and Hebei's "1 March", for a load on `today`."""
    return today - timedelta(days=CHENGDU_DAYS_AGO), today - timedelta(days=HEBEI_DAYS_AGO)


class Names:
    """Plausible, distinct names, drawn from the scene's random sequence."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def company(self, prefixes: Sequence[str], trade: str) -> str:
        while True:
            brand = "".join(self.rng.sample(BRAND, 2))
            name = f"{self.rng.choice(prefixes)}{brand}{trade}{self.rng.choice(SUFFIXES)}"
            if name not in self.used:
                self.used.add(name)
                return name

    def project(self, places: Sequence[str]) -> str:
        while True:
            place, work = self.rng.choice(places), self.rng.choice(PROJECT_WORKS)
            name = f"{place}{work}{self.rng.choice(PROJECT_PHASES)}项目"
            if name not in self.used:
                self.used.add(name)
                return name

    def keep(self, name: str) -> str:
        self.used.add(name)
        return name


class Dates:
    """Days of the scene's weeks: the register before them, the changes of status within."""

    def __init__(self, rng: random.Random, day: date) -> None:
        self.rng, self.day = rng, day
        self.start = day - timedelta(weeks=WEEKS)
        self.span = (day - self.start).days

    def registered(self) -> date:
        return self.start - timedelta(days=self.rng.randint(1, 10))

    def history(self, profile: tuple[str, ...]) -> list[tuple[str, date]]:
        offsets = sorted(self.rng.sample(range(self.span + 1), len(profile)))
        return [
            (action, self.start + timedelta(days=offset))
            for action, offset in zip(profile, offsets, strict=True)
        ]


def _weighted(rng: random.Random, weights: dict[str, int], count: int) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=count)


def chengdu_entries(cast: Cast, rng: random.Random, day: date) -> list[Entry]:
    names, dates = Names(rng), Dates(rng, day)
    actor = cast.users["chengdu.office"]
    entries: list[Entry] = []

    def enterprises(category: str, counts: Counts, trades: list[tuple[str, str]], streets):
        group = []
        profiles = counts.profiles(rng)
        for profile, street in zip(profiles, _weighted(rng, streets, counts.total), strict=True):
            trade, supervisor = rng.choice(trades)
            group.append(
                Entry(
                    kind=ENTERPRISE,
                    name=names.company(CHENGDU_PREFIXES, trade),
                    category=category,
                    region=cast.orgs[f"chengdu.{street}"],
                    area=AREA_OF[street],
                    supervisor=cast.orgs[supervisor],
                    registered_on=dates.registered(),
                    changes=dates.history(profile),
                    actor=actor,
                    minute=rng.randrange(60),
                )
            )
        return group

    def projects(counts: Counts, part: str) -> list[Entry]:
        group = []
        streets = _weighted(rng, PROJECT_STREETS[part], counts.total)
        for profile, street in zip(counts.profiles(rng), streets, strict=True):
            group.append(
                Entry(
                    kind=PROJECT,
                    name=names.project(PROJECT_PLACES[part]),
                    category=Category.CONSTRUCTION,
                    region=cast.orgs[f"chengdu.{street}"],
                    area=AREA_OF[street],
                    supervisor=cast.orgs[PROJECT_SUPERVISOR],
                    registered_on=dates.registered(),
                    changes=dates.history(profile),
                    actor=actor,
                    minute=rng.randrange(60),
                )
            )
        return group

    above = enterprises(
        Category.INDUSTRY_ABOVE_SCALE, CHENGDU_ABOVE_SCALE, INDUSTRY_TRADES, INDUSTRY_STREETS
    )
    services = enterprises(Category.SERVICES, CHENGDU_SERVICES, SERVICE_TRADES, SERVICE_STREETS)
    # The ledgers belong to the leading enterprises, working since they resumed.
    for group, category in ((above, Category.INDUSTRY_ABOVE_SCALE), (services, Category.SERVICES)):
        for entry, record in zip(group, LEDGERS[category], strict=False):
            entry.ledger = list(_ledger(cast, entry, record, day))
    entries += above + services
    entries += enterprises(
        Category.INDUSTRY_OTHER, CHENGDU_OTHER_INDUSTRY, INDUSTRY_TRADES, INDUSTRY_STREETS
    )
    entries += enterprises(
        Category.REAL_ESTATE, CHENGDU_REAL_ESTATE, REAL_ESTATE_TRADES, SERVICE_STREETS
    )
    entries += projects(CHENGDU_PROJECTS_SOUTH_WEST, "south_west")
    entries += projects(CHENGDU_PROJECTS_EAST, "east")
    entries += [
        Entry(
            kind=PROJECT,
            name=names.keep(name),
            category=Category.CONSTRUCTION,
            region=cast.orgs[chengdu.ZONE],
            supervised=False,
            excluded_reason=reason,
            registered_on=dates.start,
            actor=actor,
        )
        for name, reason in EXCLUDED_PROJECTS
    ]
    return entries


def _ledger(cast: Cast, entry: Entry, record: LedgerRecord, day: date) -> Iterator[LedgerEntry]:
    """The entry written by the enterprise's supervising unit the evening it resumed, and
    its update a week on (never after the scene's day)."""
    resumed_on = next(on for action, on in entry.changes if action == RESUME)
    assert entry.supervisor is not None
    unit = cast.handler(cast.org_keys[entry.supervisor.pk])
    first = LedgerEntry(
        recorded_at=moment(resumed_on, time(19, 0)),
        recorded_by=unit,
        staff_total=record.staff_total,
        staff_screened=record.staff_screened,
        staff_isolated=record.staff_isolated,
        supplies=[_supply(line) for line in record.supplies],
        plan=record.plan,
        responsible_person=record.responsible_person,
        responsible_phone=record.responsible_phone,
    )
    yield first
    if record.update:
        staff, screened, lines = record.update
        yield replace(
            first,
            recorded_at=moment(min(resumed_on + timedelta(days=7), day), time(20, 0)),
            staff_total=staff,
            staff_screened=screened,
            staff_isolated=0,
            supplies=[_supply(line) for line in lines],
        )


def _supply(line: tuple[str, int, str, int]) -> dict[str, object]:
    name, quantity, unit, days = line
    return {"name": name, "quantity": quantity, "unit": unit, "days": days}


def hebei_entries(cast: Cast, rng: random.Random, day: date) -> list[Entry]:
    names, dates = Names(rng), Dates(rng, day)
    entries: list[Entry] = []

    def office_of(region_key: str) -> str:
        # A town's enterprises are recorded by its county's office.
        return "neiqiu" if region_key.startswith("neiqiu.") else region_key

    def group(counts, category, known, regions, trades, supervisor_of) -> list[Entry]:
        made = []
        places = _weighted(rng, regions, counts.total - len(known))
        for index, profile in enumerate(counts.profiles(rng)):
            if index < len(known):
                name, site_key, region_key = known[index]
                name, site = names.keep(name), cast.sites[site_key]
            else:
                region_key, site = places[index - len(known)], None
                city = cast.orgs[region_key]
                short = city.name.removesuffix("市").removesuffix("县").removesuffix("区")
                name = names.company([short], rng.choice(trades))
            supervisor = supervisor_of(office_of(region_key))
            made.append(
                Entry(
                    kind=ENTERPRISE,
                    name=name,
                    category=category,
                    region=cast.orgs[region_key],
                    supervisor=cast.orgs[supervisor] if supervisor else None,
                    site=site,
                    registered_on=dates.registered(),
                    changes=dates.history(profile),
                    actor=cast.users[f"{office_of(region_key)}.office"],
                    minute=rng.randrange(60),
                )
            )
        return made

    entries += group(
        HEBEI_ABOVE_SCALE,
        Category.INDUSTRY_ABOVE_SCALE,
        HEBEI_KNOWN_ABOVE_SCALE,
        HEBEI_REGIONS,
        HEBEI_TRADES,
        HEBEI_SUPERVISORS.get,
    )
    entries += group(
        HEBEI_KEY_SUPPLIES,
        Category.KEY_SUPPLIES,
        HEBEI_KNOWN_KEY_SUPPLIES,
        KEY_SUPPLY_REGIONS,
        KEY_SUPPLY_TRADES,
        lambda _region: KEY_SUPPLY_SUPERVISOR,
    )
    return entries


def build(cast: Cast, now: datetime) -> None:
    """Write both scenes' ledgers (a few batches of inserts)."""
    today = timezone.localtime(now).date()
    chengdu_day, hebei_day = scene_days(today)
    rng = random.Random(SEED)  # noqa: S311 - a repeatable ledger, not a secret
    entries = chengdu_entries(cast, rng, chengdu_day) + hebei_entries(cast, rng, hebei_day)
    write(entries, today=today)
