"""Synthetic problems and their event chains, as plain row tuples ready for COPY.

The mix follows what the source reports describe: almost every problem is rectified and
closed (≈94%), about a third of the closed ones on the spot, a few common problems that
needed a lasting rule first; the open ones are recent, and some of them are overdue.
Problems are numbered in order of discovery, as they would be in a live system.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from bench.texts import Texts
from bench.tree import Place, Tree
from ducha.problems.choices import Action, Nature, State, Urgency
from ducha.problems.models import FocusArea

# Share of all problems in each open state; the rest are closed.
OPEN_MIX = {State.NEW: 0.008, State.ASSIGNED: 0.032, State.DISPUTED: 0.003, State.RECTIFIED: 0.017}
ON_THE_SPOT_SHARE = 0.3  # of closed problems
LATE_SHARE = 0.08  # closed after the deadline
URGENT_SHARE = 0.1
COMMON_SHARE = 0.05
REPORTED_UP_SHARE = 0.02
NO_SITE_SHARE = 0.15
# Age of open problems: exponential with this mean, so some are long overdue.
OPEN_MEAN_AGE = timedelta(days=4)

PROBLEM_COLUMNS = (
    "id",
    "title",
    "description",
    "region_id",
    "site_id",
    "focus_area_id",
    "team_id",
    "inspection_id",
    "found_by_id",
    "found_at",
    "urgency",
    "nature",
    "state",
    "responsible_org_id",
    "deadline",
    "yellow_at",
    "reported_to_id",
    "rule",
    "on_the_spot",
    "recurring",
    "repeat_of_id",
    "closed_at",
    "time_to_close",
    "created_at",
    "updated_at",
    "version",
    "client_key",
    "signed_at",
    "escalated_at",
    "escalated_to_id",
    "escalated_office_id",
    "assigned_at",
    "province_id",
    "city_id",
    "county_id",
    "town_id",
    "village_id",
    "search_text",
)
RULE = PROBLEM_COLUMNS.index("rule")
EVENT_COLUMNS = (
    "id",
    "problem_id",
    "actor_id",
    "created_at",
    "action",
    "from_state",
    "to_state",
    "comment",
    "payload",
    "chain_shard",
    "chain_seq",
    "digest",
)

TITLES = [
    "卡口值守人员未逐车测温登记",
    "外来人员登记台账缺项漏项",
    "小区出入口封闭管理流于形式",
    "发热门诊预检分诊流程不规范",
    "药店未按要求登记购买退烧药人员",
    "农贸市场摊位间距不足未分时段限流",
    "隔离点物资台账与库存不一致",
    "复工企业未建立员工健康档案",
    "学校开学前消杀记录不完整",
    "惠企政策宣传不到位企业不知晓",
    "群众反映问题超过时限未答复",
    "村级防控宣传标语陈旧未更新",
    "值班人员脱岗未落实二十四小时值守",
]
DETAILS = [
    "现场抽查发现相关记录缺失，负责人不能说明情况。",
    "督查组暗访时未见工作人员在岗，群众反映已持续数日。",
    "台账填写随意，部分信息与实际核对不符。",
    "防护用品摆放混乱，部分已过有效期仍在使用。",
    "制度上墙但未执行，值守人员对流程不熟悉。",
    "上次督查指出后未见明显改进，存在反复现象。",
]
RECTIFICATIONS = ["已补齐台账并安排专人每日核对。", "已调整人员排班，落实全天值守。"]
RULES = ["建立每日交叉检查制度，纳入月度考核。", "制定岗位责任清单并定期通报执行情况。"]
# The actions whose text joins the problem's search words (ducha/problems/actions.py).
JOINED = {
    Action.SUBMIT_RECTIFICATION,
    Action.INSTITUTIONALIZE,
    Action.VERIFY_ACCEPT,
    Action.CLOSE_ON_SPOT,
}
DISPUTES = ["该事项不属于本单位职责范围，建议交由属地乡镇办理。"]


@dataclass
class Chunk:
    problems: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]


class ProblemSynth:
    def __init__(
        self,
        tree: Tree,
        focus_areas: list[FocusArea],
        rng: random.Random,
        now: datetime,
        days: int,
        first_problem_id: int,
        first_event_id: int,
        events: str,
        texts: random.Random | None = None,
    ) -> None:
        # Texts draw from their own stream (bench/texts.py): the other columns stay as before.
        self.texts = Texts(texts or random.Random(str(rng.getstate())))
        self.places = tree.places
        self.cumulative = list(itertools.accumulate(p.weight for p in self.places))
        self.focus_areas = focus_areas
        self.rng = rng
        self.now = now
        self.start = now - timedelta(days=days)
        self.next_problem = first_problem_id
        self.next_event = first_event_id
        self.events = events
        self.yellow_share: float = settings.DUCHA_YELLOW_SHARE
        # The last problem of each focus area at each site, and when it closed: a problem
        # found there after that closing repeats it (屡查屡犯), as `do_create_problem` marks.
        self.last_at_site: dict[tuple[int, int], tuple[int, datetime | None]] = {}

    def timeline(self, total: int) -> list[tuple[datetime, str]]:
        """(found_at, state) for every problem, in order of discovery."""
        rng, now = self.rng, self.now
        states: list[str] = []
        for open_state, share in OPEN_MIX.items():
            states += [open_state] * round(total * share)
        states += [State.CLOSED] * (total - len(states))
        window = (now - self.start - timedelta(hours=2)).total_seconds()
        mean_open = OPEN_MEAN_AGE.total_seconds()
        found: list[tuple[datetime, str]] = []
        for kind in states:
            if kind == State.CLOSED:
                age = timedelta(hours=2) + timedelta(seconds=int(rng.random() * window))
            else:
                seconds = min(rng.expovariate(1 / mean_open), window) + 600
                age = timedelta(seconds=int(seconds))
            found.append((now - age, kind))
        found.sort()
        return found

    def chunks(self, total: int, size: int) -> Iterator[Chunk]:
        plan = self.timeline(total)
        for offset in range(0, total, size):
            chunk = Chunk([], [])
            for found_at, state in plan[offset : offset + size]:
                self._problem(chunk, found_at, state)
            yield chunk

    def _place(self) -> Place:
        point = self.rng.random() * self.cumulative[-1]
        return self.places[bisect.bisect_left(self.cumulative, point)]

    def _problem(self, chunk: Chunk, found_at: datetime, state: str) -> None:
        first_event = len(chunk.events)
        self._rows(chunk, found_at, state)
        # The words the actions would have kept: title and description at create, then the
        # report, the rule and the verifier's comment as each was recorded (in that order).
        row = chunk.problems[-1]
        texts = [row[1], row[2]]
        if self.events == "full":
            texts += [e[7] for e in chunk.events[first_event:] if e[4] in JOINED]
        elif row[RULE]:
            texts.append(row[RULE])
        chunk.problems[-1] = (*row, self.texts.words(*texts))

    def _rows(self, chunk: Chunk, found_at: datetime, state: str) -> None:
        rng, now = self.rng, self.now
        place = self._place()
        units = place.county
        focus_area = rng.choice(self.focus_areas)
        urgency = Urgency.URGENT if rng.random() < URGENT_SHARE else Urgency.NORMAL
        nature = Nature.COMMON if rng.random() < COMMON_SHARE else Nature.INDIVIDUAL
        allowed = timedelta(hours=focus_area.allowed_hours(urgency))
        deadline = found_at + allowed
        yellow_at = deadline - allowed * self.yellow_share
        created_at = min(found_at + timedelta(minutes=rng.randint(1, 60)), now)
        on_the_spot = state == State.CLOSED and rng.random() < ON_THE_SPOT_SHARE
        closed_at = None
        if state == State.CLOSED:
            if on_the_spot:
                delay = timedelta(minutes=rng.randint(15, 120))
            elif rng.random() < LATE_SHARE:
                delay = allowed * rng.uniform(1.05, 2.5)
            else:
                delay = allowed * rng.uniform(0.2, 0.95)
            closed_at = max(min(found_at + delay, now - timedelta(minutes=5)), created_at)
        unit = None if state == State.NEW or on_the_spot else rng.choice(units.departments)
        reported = units.city_office if rng.random() < REPORTED_UP_SHARE else None
        roll = rng.random()
        team = None if roll < 0.2 else units.team_ids[0 if roll < 0.8 else 1 if roll < 0.95 else 2]
        rule = rng.choice(RULES) if nature == Nature.COMMON and state == State.CLOSED else ""
        end = closed_at or now
        pid = self.next_problem
        self.next_problem += 1
        site = None if rng.random() < NO_SITE_SHARE else rng.choice(place.site_ids)
        repeat_of = None
        if site is not None:
            earlier = self.last_at_site.get((site, focus_area.pk))
            if earlier is not None and earlier[1] is not None and earlier[1] <= found_at:
                repeat_of = earlier[0]
            self.last_at_site[(site, focus_area.pk)] = (pid, closed_at)
        chunk.problems.append(
            (
                pid,
                rng.choice(TITLES),
                rng.choice(DETAILS) + rng.choice(DETAILS) + self.texts.remark(),
                place.region_id,
                site,
                focus_area.pk,
                team,
                None,  # synthetic problems are not tied to an inspection
                units.recorder_id,
                found_at,
                urgency,
                nature,
                state,
                unit[0] if unit else None,
                deadline,
                yellow_at,
                reported[0] if reported else None,
                rule,
                on_the_spot,
                False,
                repeat_of,
                closed_at,
                closed_at - found_at if closed_at else None,
                created_at,
                end if state != State.NEW else created_at,
                1,  # version: any start will do, an ETag only has to change
                None,  # client_key: not recorded through the API
                None,  # signed_at: 签收 is not part of the synthetic loop
                None,  # escalated_at, escalated_to, escalated_office: the ladder has not run
                None,
                None,
                None,  # assigned_at: nor when it went to the unit
                *place.levels,
            )
        )
        if self.events == "none":
            return
        log = EventLog(self, chunk, pid, created_at, end)
        moments = {"deadline": deadline.isoformat(), "yellow_at": yellow_at.isoformat()}
        log.add(0, units.recorder_id, Action.CREATE, "", State.NEW)
        # What `do_create_problem` records: every fact the numbers are rebuilt from.
        log.payload(
            region=place.region_id,
            levels=list(place.levels),
            focus_area=focus_area.pk,
            team=team,
            site=site,
            found_at=found_at.isoformat(),
            urgency=urgency,
            nature=nature,
            repeat_of=repeat_of,
            **moments,
        )
        if self.events == "create":
            return
        if reported:
            log.add(0.1, units.recorder_id, Action.REPORT_UP, State.NEW, State.NEW, "请上级协调")
            log.payload(to_org=reported[0], to_org_name=reported[1])
        if on_the_spot:
            log.add(
                1, units.recorder_id, Action.CLOSE_ON_SPOT, State.NEW, State.CLOSED, "现场已整改"
            )
            return
        if unit is None:
            return
        log.add(0.2, units.recorder_id, Action.ASSIGN, State.NEW, State.ASSIGNED)
        log.payload(responsible_org=unit[0], responsible_org_name=unit[1], **moments)
        if end > deadline:
            # Urged just after the deadline passed, before the unit answered.
            at = min(max((deadline - created_at) / (end - created_at) + 0.01, 0.25), 0.65)
            log.add(at, units.recorder_id, Action.URGE, State.ASSIGNED, State.ASSIGNED, "请抓紧")
            log.payload(light="red" if log.last_at >= deadline else "yellow")
        if state == State.DISPUTED:
            log.add(0.7, units.handler_id, Action.DISPUTE, State.ASSIGNED, state, DISPUTES[0])
        if state in (State.RECTIFIED, State.CLOSED):
            text = rng.choice(RECTIFICATIONS)
            log.add(
                0.7,
                units.handler_id,
                Action.SUBMIT_RECTIFICATION,
                State.ASSIGNED,
                State.RECTIFIED,
                text,
            )
        if rule:
            log.add(
                0.85,
                units.handler_id,
                Action.INSTITUTIONALIZE,
                State.RECTIFIED,
                State.RECTIFIED,
                rule,
            )
        if state == State.CLOSED:
            log.add(
                1,
                units.recorder_id,
                Action.VERIFY_ACCEPT,
                State.RECTIFIED,
                State.CLOSED,
                "经现场核实已整改到位",
            )


class EventLog:
    """Appends one problem's events, each at a fraction of the time from record to end."""

    def __init__(
        self, synth: ProblemSynth, chunk: Chunk, pid: int, start: datetime, end: datetime
    ) -> None:
        self.synth, self.chunk, self.pid = synth, chunk, pid
        self.start, self.span = start, end - start
        self.last_at = start

    def add(
        self,
        at: float,
        actor: int,
        action: str,
        from_state: str,
        to_state: str,
        comment: str = "",
        **payload: Any,
    ) -> None:
        eid = self.synth.next_event
        self.synth.next_event += 1
        when = self.start + self.span * at
        self.last_at = when
        # The chain's columns are filled by EventSealer before the chunk is written.
        self.chunk.events.append(
            (eid, self.pid, actor, when, action, from_state, to_state, comment, payload)
        )

    def payload(self, **values: Any) -> None:
        """Set the payload of the event just added."""
        self.chunk.events[-1][-1].update(values)


class EventSealer:
    """Links generated events into their hash chains as `ducha.core.chains.seal` would
    (decision 0017), so that `manage.py verify_audit` walks a generated database too. The
    heads are read at the start (the database may hold events already) and written at the
    end, in the generator's transaction."""

    def __init__(self) -> None:
        from ducha.core import chains
        from ducha.core.models import ChainHead
        from ducha.problems.models import ProblemEvent

        self.chains, self.model, self.head_model = chains, ProblemEvent, ChainHead
        self.name, self.shards = chains.algorithm(), chains.shard_count()
        self.fields = chains.content_fields(ProblemEvent)
        self.label = ProblemEvent._meta.label
        self.heads = {
            head.shard: (head.seq, head.digest)
            for head in ChainHead.objects.filter(label=self.label)
        }

    def seal(self, events: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The events (in id order) with their shard, position and digest appended."""
        sealed = []
        names = EVENT_COLUMNS[: -len(("chain_shard", "chain_seq", "digest"))]
        for row in events:
            values = dict(zip(names, row, strict=True))
            shard = self.chains.shard_of(values["problem_id"], self.shards)
            seq, previous = self.heads.get(shard, (0, ""))
            values["chain_shard"], values["chain_seq"] = shard, seq + 1
            digest = self.chains.row_digest(
                self.model, _Row(values), previous, self.name, self.fields
            )
            self.heads[shard] = (seq + 1, digest)
            sealed.append((*row, shard, seq + 1, digest))
        return sealed

    def write_heads(self) -> None:
        for shard, (seq, digest) in self.heads.items():
            self.head_model.objects.update_or_create(
                label=self.label, shard=shard, defaults={"seq": seq, "digest": digest}
            )


class _Row:
    """A generated row's values as attributes, as `row_digest` reads a model instance."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
