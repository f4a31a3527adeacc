"""Documents in the demo, issued through the real actions on the replay clock.

Chengdu Hi-tech Zone: bulletins 1 and 2 issued weeks ago, each stating the end of the day
before (their figures are replayed from the event log), bulletin 3 issued now with today's
figures (267 found, 252 rectified, 94.38%), and rectification letters to the two units with
the most open problems. Hui'an: the special report on the isolation sites that were
criticised again and again (issued after that problem was closed), the first problem list
of the problems assigned and not yet fixed, and a special report on closed management.

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

    def issue(self, office: str, kind: str, *, texts: dict[str, str] | None = None, **params: Any):
        user = self.cast.users[office]
        draft = actions.do_create_draft(
            acting_user=user, kind=kind, issuer=self.cast.orgs[office], params=params
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
