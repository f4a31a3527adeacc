"""报表精简 in the demo: the statistics forms Chengdu Hi-tech Zone's departments demanded
from its streets, villages and communities, registered by the zone's office, and the
office's decisions after meeting the departments ("数据共享、事项精简") (docs/reportforms.md).

Many forms asked for the same figures (辖区人口, 返岗人数, 隔离人数, 企业复工数 …): those
alike were merged into one kept form each, forms of no use were dropped (the count of
public-service advertisements among them), and forms whose every item the platform holds
are served from shared data. How many forms there were, how many are left and the
reduction rate follow from these records and are counted, never written down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ducha.demo.cast import Cast
from ducha.demo.chengdu import DEPARTMENTS, ZONE
from ducha.demo.clock import ReplayClock
from ducha.orgs.choices import OrgKind, RegionLevel
from ducha.reportforms import actions
from ducha.reportforms.choices import Decision, Frequency, ItemKind
from ducha.reportforms.models import ReportForm

OFFICE = "chengdu.office"
DAILY, WEEKLY = Frequency.DAILY, Frequency.WEEKLY
KEEP, DROP, MERGE, SHARED = Decision.KEEP, Decision.DROP, Decision.MERGE, Decision.SHARED

PEOPLE = {"unit": "人", "min_value": 0}
HOUSEHOLDS = {"unit": "户", "min_value": 0}
PLACES = {"unit": "个", "min_value": 0}
FIRMS = {"unit": "家", "min_value": 0}
TIMES = {"unit": "次", "min_value": 0}


def _decimal(unit: str) -> dict[str, Any]:
    return {"kind": ItemKind.DECIMAL, "unit": unit, "min_value": 0}


# Every item the forms ask for, said once: the same label is the same figure in every form.
ITEMS: dict[str, dict[str, Any]] = {
    "辖区人口": PEOPLE,
    "返岗人数": PEOPLE,
    "外地返岗人数": PEOPLE,
    "隔离人数": PEOPLE,
    "居家观察人数": PEOPLE,
    "发热人数": PEOPLE,
    "企业复工数": FIRMS,
    "复工企业员工数": PEOPLE,
    "防疫物资缺口": {"kind": ItemKind.TEXT, "max_length": 200, "required": False},
    "困难群众人数": PEOPLE,
    "走访困难群众户数": HOUSEHOLDS,
    "发放生活物资份数": {"unit": "份", "min_value": 0},
    "开放农贸市场数": PLACES,
    "蔬菜日供应量": _decimal("吨"),
    "价格异常情况": {"kind": ItemKind.TEXT, "max_length": 200, "required": False},
    "开放公园数": PLACES,
    "入园人次": {"unit": "人次", "min_value": 0},
    "限流措施落实": {"kind": ItemKind.YES_NO},
    "防疫资金支出": _decimal("万元"),
    "防疫物资采购金额": _decimal("万元"),
    "检查企业数": FIRMS,
    "发现隐患数": {"unit": "处", "min_value": 0},
    "整改隐患数": {"unit": "处", "min_value": 0},
    "消杀面积": _decimal("平方米"),
    "消杀次数": TIMES,
    "垃圾清运量": _decimal("吨"),
    "防控等级": {"kind": ItemKind.CHOICE, "choices": ["低风险", "中风险", "高风险"]},
    # Held by the platform: the enterprise ledger, the problems and the inspections.
    "企业总数": {**FIRMS, "shared_figure": "enterprises"},
    "已备案企业数": {**FIRMS, "shared_figure": "enterprises_filed"},
    "已复工企业数": {**FIRMS, "shared_figure": "enterprises_resumed"},
    "员工筛查人数": {**PEOPLE, "shared_figure": "staff_screened"},
    "督查发现问题数": {"unit": "个", "min_value": 0, "shared_figure": "problems_found"},
    "问题已整改数": {"unit": "个", "min_value": 0, "shared_figure": "problems_rectified"},
    "问题未整改数": {"unit": "个", "min_value": 0, "shared_figure": "problems_open"},
    "督查检查次数": {**TIMES, "shared_figure": "inspections"},
    # Asked by one form each.
    "公益广告块数": {"unit": "块", "min_value": 0},
    "宣传横幅条数": {"unit": "条", "min_value": 0},
    "发放宣传资料份数": {"unit": "份", "min_value": 0},
    "微信推送条数": {"unit": "条", "min_value": 0},
    "党员志愿者人数": PEOPLE,
    "志愿服务时长": _decimal("小时"),
    "下沉干部人数": PEOPLE,
    "捐赠金额": _decimal("万元"),
    "捐赠物资件数": {"unit": "件", "min_value": 0},
    "在研防疫产品数": {"unit": "个", "min_value": 0},
    "宣传活动场次": {"unit": "场", "min_value": 0},
    "网上办件数": {"unit": "件", "min_value": 0},
    "劝导次数": TIMES,
    "报送信息条数": {"unit": "条", "min_value": 0},
    "慰问户数": HOUSEHOLDS,
}


@dataclass(frozen=True)
class Form:
    number: int
    department: str
    name: str
    items: tuple[str, ...]
    decision: str
    # The number of the kept form a merged form is filled with.
    into: int | None = None
    reason: str = ""
    frequency: str = DAILY
    minutes: int = 20


FORMS = [
    # Kept: the forms the villages and communities still fill, each with those merged into it.
    Form(1, "chengdu.social", "辖区人口及返岗人员日报表",
         ("辖区人口", "返岗人数", "外地返岗人数", "隔离人数", "居家观察人数", "发热人数",
          "防控等级"),
         KEEP, reason="人员底数为各部门共用，保留并作为一表通基础表", minutes=30),
    Form(2, "chengdu.economy", "企业复工复产情况日报表",
         ("企业复工数", "复工企业员工数", "返岗人数", "防疫物资缺口"),
         KEEP, reason="复工复产调度需要", minutes=25),
    Form(3, "chengdu.community", "困难群众生活保障日报表",
         ("困难群众人数", "走访困难群众户数", "发放生活物资份数"), KEEP, minutes=15),
    Form(4, "chengdu.market", "农贸市场运行情况日报表",
         ("开放农贸市场数", "蔬菜日供应量", "价格异常情况"), KEEP, minutes=15),
    Form(5, "chengdu.parks", "公园绿地开放管理日报表",
         ("开放公园数", "入园人次", "限流措施落实"), KEEP, minutes=10),
    Form(6, "chengdu.finance", "防疫资金使用情况周报表",
         ("防疫资金支出", "防疫物资采购金额"), KEEP, frequency=WEEKLY, minutes=20),
    Form(7, "chengdu.emergency", "安全生产检查日报表",
         ("检查企业数", "发现隐患数", "整改隐患数"), KEEP, minutes=15),
    Form(8, "chengdu.ecology", "环境卫生消杀日报表",
         ("消杀面积", "消杀次数", "垃圾清运量"), KEEP, minutes=10),
    # Merged: their items are those of a kept form, give or take one.
    Form(9, "chengdu.statistics", "人口流动情况日报表",
         ("辖区人口", "外地返岗人数", "返岗人数", "隔离人数"), MERGE, 1, "与1号表指标重复"),
    Form(10, "chengdu.police", "外来人员登记日报表",
         ("外地返岗人数", "返岗人数", "居家观察人数"), MERGE, 1, "与1号表指标重复"),
    Form(11, "chengdu.social", "居家隔离人员健康监测日报表",
         ("隔离人数", "居家观察人数", "发热人数"), MERGE, 1, "与1号表指标重复"),
    Form(12, "chengdu.party", "社区人员排查情况日报表",
         ("辖区人口", "返岗人数", "隔离人数"), MERGE, 1, "与1号表指标重复"),
    Form(13, "chengdu.investment", "企业复工情况日报表",
         ("企业复工数", "复工企业员工数", "返岗人数"), MERGE, 2, "与2号表指标重复"),
    Form(14, "chengdu.neweco", "新经济企业复工统计表",
         ("企业复工数", "复工企业员工数"), MERGE, 2, "与2号表指标重复"),
    Form(15, "chengdu.electronics", "电子信息企业复工日报表",
         ("企业复工数", "复工企业员工数", "防疫物资缺口"), MERGE, 2, "与2号表指标重复"),
    Form(16, "chengdu.finance", "企业用工情况统计表",
         ("复工企业员工数", "返岗人数", "企业复工数"), MERGE, 2, "与2号表指标重复"),
    Form(17, "chengdu.social", "特殊群体关爱情况日报表",
         ("困难群众人数", "走访困难群众户数"), MERGE, 3, "与3号表指标重复"),
    Form(18, "chengdu.publicity", "生活物资发放统计表",
         ("发放生活物资份数", "困难群众人数"), MERGE, 3, "与3号表指标重复"),
    Form(19, "chengdu.economy", "生活必需品保供日报表",
         ("开放农贸市场数", "蔬菜日供应量"), MERGE, 4, "与4号表指标重复"),
    Form(20, "chengdu.market", "商超价格监测日报表",
         ("蔬菜日供应量", "价格异常情况"), MERGE, 4, "与4号表指标重复"),
    Form(21, "chengdu.parks", "公共区域消杀情况日报表",
         ("消杀面积", "消杀次数"), MERGE, 8, "与8号表指标重复"),
    # Served from shared data: the platform holds every item.
    Form(22, "chengdu.economy", "企业备案复工数据日报表",
         ("企业总数", "已备案企业数", "已复工企业数"), SHARED, reason="由复工复产台账直接生成"),
    Form(23, "chengdu.emergency", "督查问题整改情况日报表",
         ("督查发现问题数", "问题已整改数", "问题未整改数"), SHARED,
         reason="由督查问题台账直接生成"),
    Form(24, "chengdu.social", "复工企业员工筛查日报表",
         ("员工筛查人数", "督查检查次数"), SHARED, reason="由企业防控台账和督查记录生成"),
    # Dropped: of no use to any decision.
    Form(25, "chengdu.publicity", "公益广告投放数量统计表",
         ("公益广告块数", "宣传横幅条数"), DROP, reason="不再统计公益广告数量"),
    Form(26, "chengdu.publicity", "防疫宣传资料发放统计表",
         ("发放宣传资料份数", "微信推送条数"), DROP, reason="宣传工作不以数量考核"),
    Form(27, "chengdu.party", "党员志愿者参与情况日报表",
         ("党员志愿者人数", "志愿服务时长"), DROP, reason="改为按月总结，不再日报"),
    Form(28, "chengdu.personnel", "干部下沉社区情况日报表", ("下沉干部人数",), DROP,
         reason="人员名单已掌握，无需每日填报"),
    Form(29, "chengdu.tech", "科技企业防疫捐赠统计表", ("捐赠金额", "捐赠物资件数"), DROP,
         reason="由部门向企业直接了解", frequency=WEEKLY),
    Form(30, "chengdu.bio", "防疫产品研发进展统计表", ("在研防疫产品数",), DROP,
         reason="由部门向企业直接了解", frequency=WEEKLY),
    Form(31, "chengdu.reform", "重点项目防疫宣传统计表", ("宣传活动场次",), DROP,
         reason="与基层工作无关"),
    Form(32, "chengdu.approval", "防疫期间网上办件统计表", ("网上办件数",), DROP,
         reason="审批系统已有数据，无需基层填报"),
    Form(33, "chengdu.enforcement", "占道经营劝导情况统计表", ("劝导次数",), DROP,
         reason="不以劝导次数考核"),
    Form(34, "chengdu.statistics", "防疫工作信息报送情况表", ("报送信息条数",), DROP,
         reason="报送情况不再另表统计"),
    Form(35, "chengdu.airport", "返乡过节人员慰问统计表", ("慰问户数",), DROP,
         reason="阶段性工作已结束"),
]  # fmt: skip

# Registered over three days, decided at the office's meeting with the departments.
REGISTERED_DAYS_AGO = 24
DECIDED_DAYS_AGO = 10


def build(cast: Cast) -> None:
    """The departments the forms name that the zone's scene has not made."""
    names = dict(DEPARTMENTS)
    for form in FORMS:
        if form.department not in cast.orgs:
            cast.org(form.department, OrgKind.DEPARTMENT, names[form.department], ZONE)


def _register(cast: Cast, form: Form) -> ReportForm:
    return actions.do_register_form(
        acting_user=cast.users[OFFICE],
        region=cast.orgs[ZONE],
        number=form.number,
        name=form.name,
        department=cast.orgs[form.department],
        frequency=form.frequency,
        filled_by=RegionLevel.VILLAGE,
        minutes=form.minutes,
        items=[{"label": label, **ITEMS[label]} for label in form.items],
    )


def replay(cast: Cast, clock: ReplayClock, now: datetime) -> None:
    registered: dict[int, ReportForm] = {}
    start = now - timedelta(days=REGISTERED_DAYS_AGO)
    for index, form in enumerate(FORMS):
        clock.moment = start + timedelta(days=index % 3, hours=9, minutes=index)
        registered[form.number] = _register(cast, form)
    decided = now - timedelta(days=DECIDED_DAYS_AGO, hours=-15)
    # Kept forms first: a merge names a form already kept.
    for index, form in enumerate(sorted(FORMS, key=lambda f: f.decision != KEEP)):
        clock.moment = decided + timedelta(minutes=index)
        actions.do_decide_form(
            registered[form.number],
            acting_user=cast.users[OFFICE],
            decision=form.decision,
            merged_into=registered[form.into] if form.into is not None else None,
            reason=form.reason,
        )
    clock.moment = None
