"""Cadre observation in the demo (docs/cadres.md), through the real actions.

Tangshan: the city's organisation department (唐山市委组织部) links one of its cadres with
the province's stationed team (干部包联考察): she holds a place on the team and records what
she sees of cadres on the front line, as does the team's leader. The department then lists
every cadre seen outstanding, and never failing, for use (近期使用对象人选), and every
cadre seen failing for accountability; one of those is taken off after a check. How many
stand on each list follows from the observations below, never from a typed figure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from ducha.accounts.choices import Role
from ducha.cadres import actions
from ducha.cadres.choices import CandidateList, Verdict
from ducha.cadres.models import CadreObservation
from ducha.core.scope import forget_grants
from ducha.demo.cast import Cast
from ducha.orgs.choices import OrgKind

DEPARTMENT = "tangshan.organisation"  # the department, and its account keeping the lists
LIAISON = "tangshan.liaison"  # its cadre on the stationed team
TEAM = "t.tangshan"
TEAM_LEADER = "hebei.tangshan"

OUTSTANDING, FAILING = Verdict.OUTSTANDING, Verdict.FAILING


@dataclass(frozen=True)
class Seen:
    name: str
    post: str
    org: str
    verdict: str
    days_ago: int
    facts: str
    by: str = LIAISON


def build(cast: Cast) -> None:
    cast.org(DEPARTMENT, OrgKind.ORGANISATION, "唐山市委组织部", "tangshan")
    cast.person(DEPARTMENT, "葛书宁", DEPARTMENT, Role.ORGANISATION)
    cast.person(LIAISON, "柴文静", DEPARTMENT, Role.ORGANISATION)
    for key, name, parent in (
        ("ts.transport", "唐山市交通运输局", "tangshan"),
        ("ts.kaiping.market", "开平区市场监督管理局", "kaiping"),
        ("ts.zunhua.commerce", "遵化市商务局", "zunhua"),
    ):
        cast.org(key, OrgKind.DEPARTMENT, name, parent)


SEEN = (
    Seen(
        "蒋书涵",
        "开平区工信局副局长",
        "kaiping.industry",
        OUTSTANDING,
        20,
        "牵头协调防护用品企业复产，三天内打通原料运输，保障日产口罩稳定。",
    ),
    Seen(
        "蒋书涵",
        "开平区工信局副局长",
        "kaiping.industry",
        OUTSTANDING,
        9,
        "夜间随查企业防控台账，逐项核对员工健康登记，问题当场整改。",
        TEAM_LEADER,
    ),
    Seen(
        "韦一鸣",
        "遵化市卫健局医政股股长",
        "zunhua.health",
        OUTSTANDING,
        18,
        "发热门诊预检分诊流程重新梳理，患者候诊时间明显缩短。",
    ),
    Seen(
        "潘可馨",
        "唐山市交通运输局运输科科长",
        "ts.transport",
        OUTSTANDING,
        17,
        "连续驻守高速出口，建立货车司机闭环转运机制，未发生滞留。",
    ),
    Seen(
        "乔振华",
        "开平区督查办副主任",
        "kaiping.office",
        OUTSTANDING,
        16,
        "对群众反映的问题当天交办、次日回访，销号台账清楚。",
        TEAM_LEADER,
    ),
    Seen(
        "邵雨桐",
        "遵化市督查办科员",
        "zunhua.office",
        OUTSTANDING,
        15,
        "走遍辖区卡口核查值守情况，发现的漏洞均督促立行立改。",
    ),
    Seen(
        "武嘉言",
        "开平区市场监管局副局长",
        "ts.kaiping.market",
        OUTSTANDING,
        14,
        "带队查处哄抬防护用品价格行为，及时公开曝光，市场秩序平稳。",
    ),
    Seen(
        "祁明轩",
        "遵化市商务局局长",
        "ts.zunhua.commerce",
        OUTSTANDING,
        13,
        "组织生活物资保供专班，每日调度门店库存，价格保持稳定。",
    ),
    Seen(
        "薛若彤",
        "唐山市大督查办科长",
        "tangshan.office",
        OUTSTANDING,
        12,
        "汇总各组发现的问题分类建账，共性问题及时报送指挥部研究。",
        TEAM_LEADER,
    ),
    Seen(
        "卜晓峰",
        "遵化市卫健局疾控股副股长",
        "zunhua.health",
        OUTSTANDING,
        11,
        "流调数据核对细致，查清漏报原因并推动建立日核对制度。",
    ),
    Seen(
        "聂雅琴",
        "开平区督查办科员",
        "kaiping.office",
        OUTSTANDING,
        8,
        "暗访企业复工防控，记录翔实，整改回头看不走过场。",
    ),
    Seen(
        "雷子昂",
        "唐山市交通运输局客运科副科长",
        "ts.transport",
        OUTSTANDING,
        6,
        "客运站扫码测温全覆盖，客流高峰时段增派人手，秩序井然。",
    ),
    # Seen at their best once and at their worst another time: no list until it is clear.
    Seen(
        "贺立宸",
        "遵化市商务局副局长",
        "ts.zunhua.commerce",
        OUTSTANDING,
        19,
        "协调农贸市场错峰经营，方案实用。",
    ),
    Seen(
        "贺立宸",
        "遵化市商务局副局长",
        "ts.zunhua.commerce",
        FAILING,
        7,
        "超市防控检查走过场，督查组指出的问题一周后仍未整改。",
        TEAM_LEADER,
    ),
    Seen(
        "鲁浩然",
        "开平区工信局科员",
        "kaiping.industry",
        FAILING,
        10,
        "企业复工审核材料未实地核实即签字，多家企业防控措施不到位。",
    ),
    Seen(
        "尹德胜",
        "遵化市卫健局副局长",
        "zunhua.health",
        FAILING,
        5,
        "发热门诊登记数据迟报漏报，多次督促仍推诿不办。",
        TEAM_LEADER,
    ),
    Seen(
        "房志斌",
        "开平区市场监管局科员",
        "ts.kaiping.market",
        FAILING,
        4,
        "接到价格举报后三日未处理，群众反映强烈。",
    ),
)

# A cadre on the accountability list whom the department takes off after checking the facts.
CLEARED = "房志斌"


def replay(cast: Cast) -> None:
    team = cast.teams[TEAM]
    liaison = cast.person(LIAISON, "柴文静", "hebei.office", Role.TEAM_MEMBER)
    team.members.add(liaison)
    forget_grants(liaison)
    today = timezone.localdate()
    seen: dict[tuple[str, int], list[CadreObservation]] = defaultdict(list)
    for record in SEEN:
        org = cast.orgs[record.org]
        observation = actions.do_observe(
            acting_user=cast.users[record.by],
            person_name=record.name,
            person_post=record.post,
            org=org,
            verdict=record.verdict,
            facts=record.facts,
            team=team,
            observed_on=today - timedelta(days=record.days_ago),
        )
        seen[(record.name, org.pk)].append(observation)
    keeper = cast.users[DEPARTMENT]
    for observations in seen.values():
        verdicts = {observation.verdict for observation in observations}
        if verdicts == {OUTSTANDING}:
            list_kind, reasons = CandidateList.USE, "包联考察中表现突出，列为近期使用对象人选。"
        elif verdicts == {FAILING}:
            list_kind, reasons = CandidateList.ACCOUNTABILITY, "一线表现不担当不作为，拟建议问责。"
        else:
            continue
        first = observations[0]
        candidate = actions.do_list_candidate(
            acting_user=keeper,
            list_kind=list_kind,
            person_name=first.person_name,
            person_post=first.person_post,
            org=first.org,
            observations=observations,
            reasons=reasons,
        )
        if first.person_name == CLEARED:
            actions.do_remove_candidate(
                candidate, acting_user=keeper, reason="经核实，举报已由他人转办处理，不予列入。"
            )
