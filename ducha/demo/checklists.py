"""The demo's checklists (检查清单): shared questions per focus area, and Hui'an's own
“六聚焦六看” list, one question of which was reworded after a week in use.

Items are added through the real actions, at moments on the replay clock, so that each
row and its event carry the day the list was drawn up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ducha.accounts.models import User
from ducha.demo.cast import Cast
from ducha.demo.clock import ReplayClock
from ducha.fieldwork import actions
from ducha.fieldwork.models import ChecklistItem

# Shared by every jurisdiction (office=None), keyed for the inspections that answer them.
SHARED: dict[str, list[tuple[str, str]]] = {
    "screening": [
        ("checkpoint_log", "卡口是否逐车逐人登记、测温，驾乘人员来源地和去向是否登记完整"),
        ("test_proof", "查验核酸证明时是否核对姓名和采样时间，而不只是看有没有报告"),
        ("queue", "采样点是否设置一米线，排队秩序是否有专人引导"),
        ("sample_chain", "样本转运交接是否逐箱记录，采、送、检能否在24小时内完成"),
    ],
    "closed_management": [
        ("guard", "封控、管控区域出入口是否24小时有人值守，有无脱岗空岗"),
        ("single_room", "隔离人员是否单人单间、房门不开，走廊有无串门"),
        ("temperature", "隔离人员是否每天两次测温并逐人登记"),
        ("staff_loop", "工作人员是否闭环管理，轮换离岗前是否做核酸检测"),
    ],
    "medical_institutions": [
        ("triage", "是否落实预检分诊，发热病人是否引导到发热门诊"),
        ("zones", "“三区两通道”是否分区清楚、标识醒目"),
        ("waste", "医疗废物是否单独收集、专人清运，交接是否登记"),
        ("shifts", "医护人员是否按班轮换，防护用品储备是否够用"),
    ],
    "supplies": [
        ("prices", "生活必需品货源是否充足，主要品种价格是否每日公示"),
        ("delivery", "封控区居民网购、代购的物资能否当天配送到户"),
        ("medicine", "药店是否有序营业，群众购药渠道是否畅通"),
    ],
    "work_resumption": [
        ("plan", "复工企业是否“一企一方案”，员工健康台账是否完整"),
        ("proof48", "返岗员工是否持有48小时内核酸阴性证明"),
        ("dormitory", "闭环生产的企业，宿舍区人员进出是否审批登记"),
    ],
}

# Hui'an's own list for its teams, in the manner of the “六聚焦六看” of the source reports.
SIX_FOCUSES: list[tuple[str, str, str]] = [
    ("six_testing", "screening", "聚焦全员核酸检测，看采样点物资是否备足、现场秩序是否井然"),
    ("six_staff", "medical_institutions", "聚焦医护人员调配，看采样和救治力量能否及时补位"),
    ("six_measures", "closed_management", "聚焦防控措施落实，看卡口和隔离点的制度是否执行到位"),
    ("six_supplies", "supplies", "聚焦物资保障管理，看生活物资和药品是否保供稳价"),
    ("six_cadres", "cadre_performance", "聚焦下沉干部履职，看是否按时到岗、在岗在位"),
    ("six_requests", "public_requests", "聚焦群众急难愁盼，看就医、购药等诉求是否及时办理"),
]

# After the late cadres at a Chongwu sampling point, “on time” was made checkable.
REVISED_CADRES = "聚焦下沉干部纪律作风，看是否扫码签到、按时到岗，有无脱岗离岗"

Moment = Callable[[int, int, int], datetime]


def build(cast: Cast, clock: ReplayClock, at: Moment) -> dict[str, ChecklistItem]:
    """Add the lists; returns the active items by key (the six questions as first drawn up
    are kept under `six_cadres_v1`)."""
    items: dict[str, ChecklistItem] = {}
    author = User.objects.get(username="admin")
    clock.moment = at(24, 9, 0)
    for code, questions in SHARED.items():
        for position, (key, text) in enumerate(questions, 1):
            items[key] = actions.do_add_checklist_item(
                acting_user=author,
                focus_area=cast.focus[code],
                office=None,
                text=text,
                position=position,
            )
    office, staff = cast.orgs["huian.office"], cast.users["huian.office"]
    clock.moment = at(18, 16, 30)
    for position, (key, code, text) in enumerate(SIX_FOCUSES, 1):
        items[key] = actions.do_add_checklist_item(
            acting_user=staff,
            focus_area=cast.focus[code],
            office=office,
            text=text,
            position=position,
        )
    items["six_cadres_v1"] = items["six_cadres"]
    return items


def revise(cast: Cast, clock: ReplayClock, at: Moment, items: dict[str, ChecklistItem]) -> None:
    clock.moment = at(6, 19, 10)
    items["six_cadres"] = actions.do_revise_checklist_item(
        items["six_cadres_v1"], acting_user=cast.users["huian.office"], text=REVISED_CADRES
    )
