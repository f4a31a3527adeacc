"""Matters handed down in the demo (docs/matters.md), through the real actions.

Hui'an: the province's and Quanzhou's offices turn their video meetings' decisions and a
leader's instruction into batches of matters and responsibilities for the county; the
county office signs them, breaks some down to its bureaus and reports back. Hebei: the
province office hands one batch to every city office (三级联动); two of them have signed.

Every batch, matter and step below is a record; how many batches there are follows from
these lists. Dates count back from the load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from ducha.demo import hebei
from ducha.demo.cast import Cast
from ducha.matters import actions
from ducha.matters.choices import SourceKind
from ducha.matters.models import MatterBatch, MatterHandover
from ducha.problems import actions as loop

HUIAN_OFFICE = "huian.office"

# What the receiving office has done with a matter.
AWAITING = ""  # not yet signed for
SIGNED = "signed"
BROKEN_DOWN = "broken_down"  # signed and handed to units as problems
REPORTED = "reported"  # signed and reported done by the office's own work
ACCEPTED = "accepted"  # reported, and the report accepted by the issuing office
FIXING_REPORTED = "fixing_reported"  # broken down, the units report fixes, reported with a reason


@dataclass(frozen=True)
class MatterRecord:
    title: str
    days_to_deadline: int  # after the batch's date
    step: str = AWAITING
    units: tuple[str, ...] = ()
    focus_area: str = "policy_implementation"


@dataclass(frozen=True)
class BatchRecord:
    issuer: str
    days_ago: int
    source_kind: str
    title: str
    source_text: str
    matters: tuple[MatterRecord, ...]


def build(cast: Cast) -> None:
    """The offices above Hui'an that hand matters down to it."""
    cast.office("fujian.office", "福建省疫情防控督查办", "fujian", staff="林志强")
    cast.office("quanzhou.office", "泉州市疫情防控督查办", "quanzhou", staff="许美玲")


HUIAN_BATCHES = (
    BatchRecord(
        "fujian.office",
        12,
        SourceKind.MEETING,
        "全省疫情防控视频会商会明确事项和责任清单",
        "省疫情防控视频会商会",
        (
            MatterRecord(
                "落实集中隔离场所“三区两通道”设置",
                10,
                FIXING_REPORTED,
                ("huian.isolation",),
                "closed_management",
            ),
            MatterRecord("核酸检测点“一米线”和扫码登记全覆盖", 9, ACCEPTED),
        ),
    ),
    BatchRecord(
        "quanzhou.office",
        6,
        SourceKind.MEETING,
        "全市疫情防控视频会商会明确事项和责任清单",
        "市疫情防控视频会商会",
        (
            MatterRecord(
                "交通卡口过往车辆人员逐一查验登记",
                12,
                BROKEN_DOWN,
                ("huian.transport", "huian.police"),
                "screening",
            ),
            MatterRecord("封控区群众生活物资配送到户", 10, SIGNED),
            MatterRecord("重点人群健康监测日报告", 14, SIGNED),
        ),
    ),
    BatchRecord(
        "quanzhou.office",
        2,
        SourceKind.INSTRUCTION,
        "市领导批示交办事项",
        "市领导关于药店退热类药品销售登记的批示",
        (MatterRecord("药店退热类药品销售实名登记", 7, AWAITING),),
    ),
)

HEBEI_BATCH = BatchRecord(
    "hebei.office",
    4,
    SourceKind.DOCUMENT,
    "省疫情防控工作领导小组交办事项",
    "省疫情防控工作领导小组文件",
    (
        MatterRecord("驻市督查组与市县督查办三级联动日调度", 20),
        MatterRecord("返岗务工人员健康管理台账", 15),
    ),
)
# City offices of Hebei that have signed for the province's matters.
HEBEI_SIGNED = ("chengde.office", "xingtai.office")


def _hand_down(cast: Cast, record: BatchRecord, offices: list[str]) -> MatterBatch:
    issued_on = timezone.localdate() - timedelta(days=record.days_ago)
    return actions.do_hand_down_batch(
        acting_user=cast.users[record.issuer],
        issuing_office=cast.orgs[record.issuer],
        offices=[cast.orgs[key] for key in offices],
        title=record.title,
        source_kind=record.source_kind,
        source_text=record.source_text,
        issued_on=issued_on,
        matters=[
            actions.MatterInput(
                title=matter.title, deadline=issued_on + timedelta(days=matter.days_to_deadline)
            )
            for matter in record.matters
        ],
    )


def _work(cast: Cast, handover: MatterHandover, matter: MatterRecord, issuer: str) -> None:
    office = cast.users[HUIAN_OFFICE]
    if matter.step == AWAITING:
        return
    handover = actions.do_sign_matter(handover, acting_user=office)
    if matter.step in (REPORTED, ACCEPTED):
        handover = actions.do_report_matter(
            handover, acting_user=office, text=f"{matter.title}：已全面落实，逐点核查完毕。"
        )
    if matter.step == ACCEPTED:
        actions.do_accept_matter(handover, acting_user=cast.users[issuer], comment="同意办结。")
    if matter.step not in (BROKEN_DOWN, FIXING_REPORTED):
        return
    problems = actions.do_break_down(
        handover,
        acting_user=office,
        units=[cast.orgs[key] for key in matter.units],
        focus_area=cast.focus[matter.focus_area],
    )
    if matter.step == FIXING_REPORTED:
        for unit, problem in zip(matter.units, problems, strict=True):
            loop.do_submit_rectification(
                problem,
                acting_user=cast.handler(unit),
                text="已按要求完成整改，附现场照片说明。",
            )
        actions.do_report_matter(
            handover,
            acting_user=office,
            text=f"{matter.title}：各责任单位已完成整改。",
            reason="整改已报送，待督查组现场核查销号。",
        )


def replay(cast: Cast) -> None:
    for record in HUIAN_BATCHES:
        batch = _hand_down(cast, record, [HUIAN_OFFICE])
        for position, matter in enumerate(record.matters, 1):
            handover = MatterHandover.objects.get(matter__batch=batch, matter__position=position)
            _work(cast, handover, matter, record.issuer)
    # Quanzhou presses for the matter still waiting to be signed for.
    waiting = MatterHandover.objects.filter(
        office=cast.orgs[HUIAN_OFFICE], state="handed_down"
    ).first()
    if waiting is not None:
        actions.do_urge_matter(
            waiting, acting_user=cast.users["quanzhou.office"], comment="请尽快签收并落实。"
        )

    cities = [f"{key}.office" for key, _name, _code, _staff in hebei.CITIES]
    batch = _hand_down(cast, HEBEI_BATCH, cities)
    for key in HEBEI_SIGNED:
        for handover in MatterHandover.objects.filter(matter__batch=batch, office=cast.orgs[key]):
            actions.do_sign_matter(handover, acting_user=cast.users[key])
