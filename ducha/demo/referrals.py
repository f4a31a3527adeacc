"""Referrals in the demo (docs/referrals.md), through the real actions on the replay clock.

Chengdu Hi-tech Zone: the office refers problems to the zone's discipline body, which takes
two up and concludes each with a case filed for review (立案审查), and declines one with its
reasons; one more waits at the zone's police. Hui'an: the county's supervision office refers
one problem to the county discipline body, which has taken it up.

Which problems are referred follows from the replayed history (the earliest found in each
place); the dates count from each problem's discovery, never past the load.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from ducha.accounts.choices import Role
from ducha.demo.cast import Cast
from ducha.demo.chengdu import ZONE
from ducha.demo.clock import ReplayClock
from ducha.demo.huian import COUNTY
from ducha.orgs.choices import OrgKind
from ducha.problems.models import Problem
from ducha.referrals import actions
from ducha.referrals.models import Referral, ReferralEvent

# The org key of the zone's police as a receiving body; its login is `chengdu.police`.
POLICE = "chengdu.public_security"

# What the receiving body did.
WAITING = "waiting"
DECLINED = "declined"
OPEN = "open"
CONCLUDED = "concluded"


@dataclass(frozen=True)
class ReferralRecord:
    office: str
    receiver: str
    facts: str
    step: str
    # Days after the referral: the decision, then the outcome.
    decided_after: int = 1
    concluded_after: int = 0
    words: str = ""  # the decision's comment or reasons, or the outcome


CHENGDU = (
    ReferralRecord(
        "chengdu.office",
        "chengdu.discipline",
        "督查组两次到场均发现同一问题，街道分管干部此前已签收整改却未落实，"
        "现场台账与上报情况明显不符，涉嫌弄虚作假，现将问题线索和现场材料一并移交。",
        CONCLUDED,
        decided_after=1,
        concluded_after=6,
        words="经初步核实，对街道分管负责人立案审查。",
    ),
    ReferralRecord(
        "chengdu.office",
        "chengdu.discipline",
        "社区负责人对督查组指出的问题不整改、不报告，多次催办后仍以口头答复应付，"
        "工作作风问题突出，移请纪工委监察工委依规处理。",
        CONCLUDED,
        decided_after=2,
        concluded_after=8,
        words="经调查核实，对社区党委书记立案审查。",
    ),
    ReferralRecord(
        "chengdu.office",
        "chengdu.discipline",
        "经营主体多次未落实扫码测温要求，请研判是否涉及公职人员失职失责。",
        DECLINED,
        decided_after=1,
        words="经研判，问题责任主体为经营者，未发现公职人员违纪违法线索，"
        "建议由督查办督促行业主管部门依法处理并跟踪整改。",
    ),
    ReferralRecord(
        "chengdu.office",
        POLICE,
        "有人员拒不配合卡口查验并冲闯卡口，现场劝阻无效，涉嫌妨害疫情防控，移请公安机关依法处置。",
        WAITING,
    ),
)

HUIAN = (
    ReferralRecord(
        "huian.office",
        "huian.discipline",
        "隔离点值守人员擅离岗位，交接班记录事后补写，所在镇分管干部督促不力，"
        "现将问题线索移交县纪委监委。",
        OPEN,
        decided_after=1,
        words="予以受理，已安排专人核查。",
    ),
)


RECEIVER_LOGINS = {POLICE: "chengdu.police"}


def build(cast: Cast) -> None:
    """The zone's police as a receiving body, which receives referrals and sees nothing else
    of the loop. The branch listed among the zone's responsible units (`chengdu.police`, a
    department) stays one; its handler's account, if it ever gets one, is not this login."""
    cast.org(POLICE, OrgKind.POLICE, "成都高新区公安分局", ZONE)
    cast.person("chengdu.police", "何文博", POLICE, Role.POLICE)
    cast.handler_names.setdefault("chengdu.police", "chengdu.police.unit")


@contextmanager
def _dated_rows(clock: ReplayClock) -> Iterator[None]:
    """Referral and event rows take their time from field defaults captured when the models
    were built; the replay swaps them for the clock, as it does for the problem's events."""
    fields = [
        Referral._meta.get_field("referred_at"),
        ReferralEvent._meta.get_field("created_at"),
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


def _sources(cast: Cast, place: str, count: int, now: datetime) -> list[Problem]:
    """The earliest problems found in a place, old enough for their referral's history."""
    region = cast.orgs[place]
    return list(
        Problem.objects.filter(county=region, found_at__lte=now - timedelta(days=10)).order_by(
            "found_at", "pk"
        )[:count]
    )


def _at(moment: datetime, days: int) -> datetime:
    return (moment + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)


def _replay_one(
    cast: Cast, clock: ReplayClock, problem: Problem, record: ReferralRecord, now: datetime
) -> Referral:
    referred = min(_at(problem.found_at, 1), now)
    clock.moment = referred
    referral = actions.do_refer(
        acting_user=cast.users[record.office],
        problem=problem,
        receiver=cast.orgs[record.receiver],
        facts=record.facts,
        evidence_ids=list(problem.evidence.order_by("pk").values_list("pk", flat=True)[:3]),
    )
    body = cast.users[RECEIVER_LOGINS.get(record.receiver, record.receiver)]
    if record.step == WAITING:
        return referral
    clock.moment = min(_at(referred, record.decided_after), now)
    if record.step == DECLINED:
        return actions.do_decline(referral, acting_user=body, reasons=record.words)
    if record.step == OPEN:
        return actions.do_accept(referral, acting_user=body, comment=record.words)
    referral = actions.do_accept(referral, acting_user=body)
    clock.moment = min(_at(referred, record.concluded_after), now)
    return actions.do_conclude(
        referral,
        acting_user=body,
        outcome=record.words,
        outcome_on=clock.moment.date(),
    )


def replay(cast: Cast, clock: ReplayClock, now: datetime) -> None:
    with _dated_rows(clock):
        for place, records in ((ZONE, CHENGDU), (COUNTY, HUIAN)):
            problems = _sources(cast, place, len(records), now)
            if len(problems) < len(records):
                raise ValueError(f"too few problems in {place} to refer")
            for problem, record in zip(problems, records, strict=True):
                _replay_one(cast, clock, problem, record, now)
    clock.moment = None
