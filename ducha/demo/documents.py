"""Documents in the demo, issued through the real actions on the replay clock.

Chengdu Hi-tech Zone: bulletins 1 and 2 issued weeks ago, each stating the end of the day
before (their figures are replayed from the event log), bulletin 3 issued now with today's
figures (267 found, 252 rectified, 94.38%), rectification letters to the two units with
the most open problems, and a notice of discipline requirements with its numbered items.
Hui'an: the special report on the isolation sites that were criticised again and again
(issued after that problem was closed), the first problem list of the problems assigned and
not yet fixed, and a special report on closed management.

Documents that state today's figures are issued at the moment of the load, after every
problem's history, so what they say is what the problem list shows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from ducha.demo.cast import Cast
from ducha.demo.clock import ReplayClock
from ducha.documents import actions
from ducha.documents.models import Letterhead
from ducha.problems.models import FocusArea, Problem

ZONE_OFFICE = "chengdu.office"
HUIAN_OFFICE = "huian.office"
# (days before the load it was issued, days before the load its figures are for)
EARLIER_BULLETINS = [(26, 27), (12, 13)]
LETTER_UNITS = ["chengdu.market", "chengdu.parks"]
ISOLATION_REPORT = "集中隔离场所同类问题被反复通报"


class Issuing:
    def __init__(self, cast: Cast, clock: ReplayClock, now: datetime) -> None:
        self.cast, self.clock, self.now = cast, clock, now
        self.local = timezone.localtime(now)

    def day(self, days: int) -> date:
        return self.local.date() - timedelta(days=days)

    def at(self, days: int, hour: int) -> datetime:
        moment = self.local - timedelta(days=days)
        return moment.replace(hour=hour, minute=0, second=0, microsecond=0)

    def issue(
        self,
        office: str,
        kind: str,
        *,
        texts: dict[str, str] | None = None,
        written: dict[str, Any] | None = None,
        **params: Any,
    ):
        user = self.cast.users[office]
        draft = actions.do_create_draft(
            acting_user=user,
            kind=kind,
            issuer=self.cast.orgs[office],
            params=params,
            **(written or {}),
        )
        if texts:
            draft = actions.do_edit_draft(draft, acting_user=user, texts=texts)
        return actions.do_issue_document(draft, acting_user=user)


def replay(cast: Cast, clock: ReplayClock, now: datetime) -> None:
    issuing = Issuing(cast, clock, now)
    Letterhead.objects.create(org=cast.orgs[ZONE_OFFICE], reference_prefix="高新督办")
    _chengdu(issuing)
    _huian(issuing)
    clock.moment = None


def _chengdu(issuing: Issuing) -> None:
    for issued, stated in EARLIER_BULLETINS:
        issuing.clock.moment = issuing.at(issued, 10)
        issuing.issue(ZONE_OFFICE, "bulletin", as_of=issuing.day(stated).isoformat())
    issuing.clock.moment = issuing.now
    issuing.issue(
        ZONE_OFFICE,
        "bulletin",
        texts={
            "praise": "各街道在卡点值守、药店实名登记等方面整改迅速，"
            "形成了“当日交办、当日反馈”的工作节奏。",
            "requirements": "一、对超期问题，承办单位须于3日内书面说明原因并完成整改。\n"
            "二、各督查组对已销号问题开展“回头看”，防止问题反弹。",
        },
    )
    for unit in LETTER_UNITS:
        issuing.issue(ZONE_OFFICE, "rectification_letter", recipient=issuing.cast.orgs[unit].pk)
    issuing.issue(ZONE_OFFICE, "notice", written=DISCIPLINE_NOTICE, numbering="chinese")


# The zone office's notice of discipline requirements: one prohibition a line.
DISCIPLINE_NOTICE: dict[str, Any] = {
    "title": "关于严明疫情防控值守和整改工作纪律的通知",
    "addressee": "各街道办事处，区级各部门",
    "copy_to": "高新区党工委办公室，高新区纪工委",
    "texts": {
        "opening": "为进一步压实疫情防控责任，确保各项防控措施落到实处，经研究，"
        "现就值守和整改工作纪律要求通知如下。",
        "items": "\n".join(
            [
                "严禁卡点值守人员擅离岗位、脱岗空岗。",
                "严禁对进出人员车辆漏登漏查、放松查验。",
                "严禁迟报、漏报、瞒报疫情相关信息。",
                "严禁对交办问题推诿扯皮、拖延整改。",
                "严禁以文件落实整改、以会议代替行动。",
                "严禁整改材料弄虚作假、虚报整改结果。",
                "严禁擅自放宽或层层加码防控措施。",
                "严禁值守期间饮酒聚餐或从事与值守无关的活动。",
                "严禁擅自泄露隔离人员个人信息。",
                "严禁对群众反映的问题敷衍塞责、态度生硬。",
            ]
        ),
        "closing": "对违反上述要求的，一经查实，依规依纪严肃追究相关单位和人员责任。"
        "请各单位对照要求开展自查，于本周内将自查情况报区督查办。",
    },
}


def _huian(issuing: Issuing) -> None:
    county = issuing.cast.orgs["huian"]
    common = Problem.objects.get(title=ISOLATION_REPORT, county=county)
    # Reported to the leadership the morning after the guidance group's round was accepted.
    assert common.closed_at is not None, "the demo closes this problem"
    closed = timezone.localtime(common.closed_at)
    issuing.clock.moment = (closed + timedelta(days=1)).replace(hour=9, minute=30)
    issuing.issue(
        HUIAN_OFFICE,
        "special_report",
        problem=common.pk,
        texts={
            "suggestions": "建议将集中隔离场所巡查机制固定下来，对同一问题被通报两次的隔离点，"
            "由县纪委监委对相关责任人开展提醒谈话。"
        },
    )
    issuing.clock.moment = issuing.now
    issuing.issue(HUIAN_OFFICE, "problem_list", state="assigned", not_listed=True)
    issuing.issue(
        HUIAN_OFFICE,
        "special_report",
        focus_area=FocusArea.objects.get(code="closed_management").pk,
    )
