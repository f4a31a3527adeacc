"""Suggestions (意见建议) in the demo, made and answered through the real actions on the
replay clock (docs/suggestions.md).

Hebei: the province's team stationed in 保定 makes its suggestions to the city's office.
Hui'an: the county's joint and special teams report their opinions and suggestions to the
county command HQ, which adopts, partly adopts or declines them; some still wait. Tianjin
Hebei District: the district's office sends work suggestions to the functional units.

Every suggestion below is a record; how many each scene has, and how many were adopted,
follows from these lists and is counted from the records, never written down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ducha.demo import tianjin
from ducha.demo.cast import Cast
from ducha.demo.clock import ReplayClock
from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.problems.models import Problem
from ducha.suggestions import actions
from ducha.suggestions.choices import SuggestionState
from ducha.suggestions.models import Suggestion

ADOPTED = SuggestionState.ADOPTED
PARTLY = SuggestionState.PARTLY_ADOPTED
DECLINED = SuggestionState.DECLINED
WAITING = SuggestionState.MADE


@dataclass(frozen=True)
class Record:
    sender: str  # a team's key, or an office's key
    receiver: str
    days_ago: int
    title: str
    text: str
    outcome: str = WAITING
    response: str = ""
    # Problems behind it: a focus area whose problems in the receiver's region the sender
    # sees (the two found first), or the keys of the scene's own findings.
    focus_area: str = ""
    findings: tuple[str, ...] = ()


BAODING = "baoding.office"
BAODING_TEAM = "t.baoding"

HEBEI = [
    Record(
        BAODING_TEAM,
        BAODING,
        21,
        "建议建立市县两级督查问题共享台账",
        "驻市督查组与县区督查办各自记录问题，同一问题重复交办、口径不一。建议由市大督查办"
        "牵头建立共享台账，统一编号和销号标准。",
        ADOPTED,
        "已采纳，市大督查办已印发台账模板，各县区自下周起统一报送。",
    ),
    Record(
        BAODING_TEAM,
        BAODING,
        17,
        "建议对重点企业复工防控实行驻厂联络员制度",
        "部分汽车零部件企业复工后外地员工集中返岗，防控措施依赖企业自查。建议工信部门向"
        "重点企业派驻联络员，每日报告员工健康监测情况。",
        PARTLY,
        "对规模以上重点企业先行派驻联络员；其余企业仍以属地乡镇包联为主，暂不逐一派驻。",
        focus_area="work_resumption",
    ),
    Record(
        BAODING_TEAM,
        BAODING,
        12,
        "建议将返岗务工人员健康管理纳入人社部门日调度",
        "返岗务工人员信息分散在乡镇、企业和人社部门，核对耗时。建议人社部门每日汇总并与"
        "乡镇数据比对，差异当日反馈。",
        ADOPTED,
        "采纳，市人社局已明确专人负责每日比对。",
    ),
    Record(
        BAODING_TEAM,
        BAODING,
        8,
        "建议增设夜间督查时段",
        "夜间卡口和商超值守松懈的问题多次出现，而现有督查集中在白天。建议每周安排不少于"
        "两次夜间暗访。",
        DECLINED,
        "现有督查力量已满负荷运转，夜间暗访由各县区督查办自行安排，市级暂不统一增设。",
    ),
    Record(
        BAODING_TEAM,
        BAODING,
        3,
        "建议对整改超期单位实行约谈提醒",
        "部分单位整改超期后仅作书面说明，同类问题反复出现。建议对超期两次以上的单位由市"
        "大督查办约谈主要负责人。",
    ),
]

COMMAND = "huian.command"


def _j(number: int) -> str:
    return f"t.huian.joint{number}"


def _s(number: int) -> str:
    return f"t.huian.special{number}"


HUIAN = [
    # 集中隔离场所专项督查组
    Record(
        _s(1),
        COMMAND,
        30,
        "建议隔离点实行物资出入双人签收",
        "隔离点物资出入仅一人登记，出现过数量对不上的情况。建议出入库双人签收、每日盘点。",
        ADOPTED,
        focus_area="closed_management",
    ),
    Record(
        _s(1),
        COMMAND,
        27,
        "建议为隔离点工作人员配备轮休宿舍",
        "隔离点工作人员连续工作后返家，存在交叉风险。建议就近安排轮休宿舍，实行闭环管理。",
        PARTLY,
        "城南集中隔离点先行配备；锦华酒店隔离点受场地限制，改为定点班车接送。",
    ),
    Record(
        _s(1),
        COMMAND,
        19,
        "建议统一隔离点“三区两通道”标识",
        "各隔离点标识样式不一，新到岗人员易走错通道。建议由指挥部统一制发标识样式。",
        ADOPTED,
    ),
    Record(
        _s(1),
        COMMAND,
        6,
        "建议隔离点医疗废物转运增加频次",
        "医疗废物暂存间接近满载才转运，气味和风险较大。建议改为每日定时转运。",
    ),
    # 核酸检测专项督查组
    Record(
        _s(2),
        COMMAND,
        29,
        "建议采样点按人流高峰动态增派人手",
        "上午八至十点采样点排队较长，其余时段人员闲置。建议按时段动态调配采样人员。",
        ADOPTED,
        focus_area="screening",
    ),
    Record(
        _s(2),
        COMMAND,
        24,
        "建议样本转运实行交接时间登记",
        "样本从采样点到中转站的交接时间无记录，超时难以追溯。建议在交接单上登记到分钟。",
        ADOPTED,
    ),
    Record(
        _s(2),
        COMMAND,
        15,
        "建议在偏远村居增设流动采样车",
        "部分山区村居群众往返采样点路程较远，老年人参检率低。建议每周安排流动采样车入村。",
        PARTLY,
        "先在涂寨、净峰两镇试行每周一次，其余乡镇视试行情况再定。",
    ),
    Record(
        _s(2),
        COMMAND,
        9,
        "建议采样点全部配备备用扫码设备",
        "网络或设备故障时采样点只能手工登记，录入滞后。建议每个采样点配备一台备用设备。",
        DECLINED,
        "设备采购需走程序，近期改由乡镇统一调配现有设备应急。",
    ),
    Record(
        _s(2),
        COMMAND,
        2,
        "建议公布各采样点实时排队情况",
        "群众无法提前了解排队情况，扎堆现象突出。建议通过县融媒体平台公布各点排队人数。",
    ),
    # 交通卡口专项督查组
    Record(
        _s(3),
        COMMAND,
        28,
        "建议卡口值守实行四班轮换",
        "卡口值守人员连续在岗时间过长，查验质量下降。建议实行四班轮换并公示排班。",
        ADOPTED,
        focus_area="screening",
    ),
    Record(
        _s(3),
        COMMAND,
        22,
        "建议高速出口增设货车专用查验通道",
        "货车与客车混排查验，高峰时段拥堵严重。建议增设货车专用通道，分流查验。",
        ADOPTED,
    ),
    Record(
        _s(3),
        COMMAND,
        14,
        "建议卡口夜间增配照明设备",
        "夜间卡口照明不足，证件和健康码查验困难。建议增配移动照明灯。",
        ADOPTED,
    ),
    Record(
        _s(3),
        COMMAND,
        7,
        "建议与周边县区共享卡口查验数据",
        "跨县区车辆重复查验、信息不通。建议与周边县区建立查验数据共享机制。",
        PARTLY,
        "先与洛江区试行共享；涉及市级平台的部分已报请市指挥部协调。",
    ),
    # 医疗救治专项督查组
    Record(
        _s(4),
        COMMAND,
        26,
        "建议县医院发热门诊与普通门诊分设挂号窗口",
        "发热患者与普通患者在同一窗口挂号，存在交叉风险。建议分设窗口并设置引导标识。",
        ADOPTED,
        focus_area="medical_institutions",
    ),
    Record(
        _s(4),
        COMMAND,
        18,
        "建议村卫生室建立发热患者登记报告制度",
        "部分村卫生室接诊发热患者后未及时报告。建议统一登记表并实行日报告。",
        ADOPTED,
    ),
    Record(
        _s(4),
        COMMAND,
        11,
        "建议增加医护人员心理疏导",
        "一线医护人员长期高强度工作，情绪压力明显。建议由卫健部门组织心理疏导。",
        PARTLY,
        "组织专场心理讲座；一对一疏导因专业人员不足暂缓。",
    ),
    Record(
        _s(4),
        COMMAND,
        4,
        "建议储备药品实行月度盘点",
        "部分医疗机构储备药品临近效期才发现。建议实行月度盘点并建立效期预警。",
    ),
    # 复工复产专项督查组
    Record(
        _s(5),
        COMMAND,
        25,
        "建议鞋服企业错峰上下班",
        "鞋服企业员工集中上下班，厂门口人员聚集。建议按车间错峰上下班。",
        ADOPTED,
        focus_area="work_resumption",
    ),
    Record(
        _s(5),
        COMMAND,
        20,
        "建议石材企业设立外来员工健康驿站",
        "石材企业外来员工多，返岗健康证明查验不一。建议在重点企业设立健康驿站统一查验。",
        DECLINED,
        "已由乡镇统一查验健康证明，企业另设驿站与现有做法重复。",
    ),
    Record(
        _s(5),
        COMMAND,
        13,
        "建议对复工企业防控专员开展集中培训",
        "部分企业防控专员不熟悉消杀和登记要求。建议由工信部门分批集中培训。",
        ADOPTED,
    ),
    Record(
        _s(5),
        COMMAND,
        5,
        "建议简化小微企业复工备案材料",
        "小微企业复工备案材料多、跑腿多。建议精简为一张承诺表并网上办理。",
    ),
    # 疫情防控联合督查组
    Record(
        _j(1),
        COMMAND,
        30,
        "建议各镇每日报送防控工作简报",
        "乡镇防控进展靠电话了解，信息零散。建议每日下午五点前报送简报。",
        ADOPTED,
    ),
    Record(
        _j(1),
        COMMAND,
        16,
        "建议对独居老人实行网格员每日联系",
        "部分独居老人无智能手机，防控信息传达不到。建议网格员每日电话或上门联系。",
        ADOPTED,
        focus_area="public_requests",
    ),
    Record(
        _j(1),
        COMMAND,
        3,
        "建议农村红白喜事报备延伸到村民小组",
        "村级报备覆盖不到村民小组，小规模聚集未掌握。建议报备延伸到村民小组长。",
    ),
    Record(
        _j(2),
        COMMAND,
        29,
        "建议菜市场实行单向通行",
        "菜市场出入口混用，早市人流对冲。建议设置单向通行路线。",
        ADOPTED,
        focus_area="supplies",
    ),
    Record(
        _j(2),
        COMMAND,
        17,
        "建议药店退热药品销售信息每日推送",
        "药店登记的购药人员信息汇总慢，追踪滞后。建议每日推送至属地卫生院。",
        PARTLY,
        "县城区药店先行每日推送；乡镇药店仍按周汇总。",
    ),
    Record(
        _j(2),
        COMMAND,
        8,
        "建议超市收银台加装隔离挡板",
        "超市收银员与顾客近距离接触时间长。建议收银台加装透明挡板。",
        DECLINED,
        "已要求收银员全程佩戴口罩和面屏，挡板暂不统一加装。",
    ),
    Record(
        _j(3),
        COMMAND,
        27,
        "建议学校晨午检数据实行日清",
        "部分学校晨午检数据隔日才汇总。建议当日汇总至教育局。",
        ADOPTED,
        focus_area="school_opening",
    ),
    Record(
        _j(3),
        COMMAND,
        21,
        "建议校车每趟消杀并记录",
        "校车消杀记录不全，无法确认每趟消杀。建议每趟消杀后登记时间和责任人。",
        ADOPTED,
    ),
    Record(
        _j(3),
        COMMAND,
        10,
        "建议住校生返校实行分批报到",
        "住校生集中返校时校门口人员聚集。建议按年级分批报到。",
        ADOPTED,
    ),
    Record(
        _j(4),
        COMMAND,
        28,
        "建议社区出入口值守人员佩戴工作证",
        "部分社区值守人员无统一标识，群众不配合查验。建议统一制发工作证。",
        ADOPTED,
    ),
    Record(
        _j(4),
        COMMAND,
        15,
        "建议外卖快递实行无接触配送点",
        "外卖快递人员进入小区频繁。建议在小区出入口设置无接触配送点。",
        PARTLY,
        "城区封闭管理小区先行设置，开放式小区暂按现有方式管理。",
        focus_area="closed_management",
    ),
    Record(
        _j(4),
        COMMAND,
        2,
        "建议公布防控投诉举报电话",
        "群众反映防控问题的渠道不清楚。建议在各村居公示投诉举报电话。",
    ),
    Record(
        _j(5),
        COMMAND,
        26,
        "建议对乡镇防控物资实行统一调度",
        "乡镇之间口罩、消毒液余缺不均。建议由县指挥部统一调度。",
        ADOPTED,
        focus_area="supplies",
    ),
    Record(
        _j(5),
        COMMAND,
        12,
        "建议宗教活动场所暂停集体活动期间加强巡查",
        "部分宗教活动场所暂停活动后仍有零散聚集。建议乡镇每日巡查。",
        ADOPTED,
    ),
    Record(
        _j(5),
        COMMAND,
        1,
        "建议对防控一线干部落实轮休",
        "部分乡镇干部连续多日无休，工作疲于应付。建议各乡镇制定轮休计划。",
    ),
    Record(
        _j(6),
        COMMAND,
        24,
        "建议在渔港码头设立登记点",
        "渔船靠港人员流动大，未纳入卡口登记。建议在渔港码头设立登记点。",
        ADOPTED,
    ),
    Record(
        _j(6),
        COMMAND,
        11,
        "建议对返乡大学生实行报备提醒",
        "返乡大学生报备率不高。建议通过学校和村居双渠道推送报备提醒。",
        DECLINED,
        "返乡报备已纳入全县统一的返乡人员报备系统，不再单列。",
    ),
    Record(
        _j(6),
        COMMAND,
        4,
        "建议对督查发现问题实行“回头看”清单管理",
        "部分已销号问题反弹。建议建立“回头看”清单，逐项复查。",
    ),
]

TIANJIN_OFFICE = tianjin.OFFICE

TIANJIN = [
    Record(
        TIANJIN_OFFICE,
        "tianjin.hebei.health",
        15,
        "关于规范发热哨点预检分诊登记的工作建议",
        "督查发现部分社区卫生服务中心预检分诊登记缺项。建议统一登记模板，逐项填写体温、"
        "流行病学史和去向，并由中心负责人每日签字。",
        ADOPTED,
        "采纳，区卫健委已下发统一模板并开展抽查。",
        findings=("fever_clinic",),
    ),
    Record(
        TIANJIN_OFFICE,
        "tianjin.hebei.market",
        13,
        "关于加强进口冷链食品追溯查验的工作建议",
        "农贸市场冷链食品追溯码查验多为走过场。建议实行“一品一码”日抽查，抽查结果定期报区指挥部。",
        ADOPTED,
        "采纳，已建立日抽查制度并每周报送。",
        findings=("cold_chain",),
    ),
    Record(
        TIANJIN_OFFICE,
        "tianjin.hebei.commerce",
        10,
        "关于商场出入口值守力量配置的工作建议",
        "商场出入口扫码测温多处无人值守。建议按出入口数量配置专人，客流高峰增派人手。",
        PARTLY,
        "大型商场按出入口配置专人；中小商场合并出入口后再行配置。",
        findings=("mall_scan",),
    ),
    Record(
        TIANJIN_OFFICE,
        "tianjin.hebei.housing",
        7,
        "关于在建工地务工人员健康台账动态更新的工作建议",
        "工地务工人员流动快，健康台账更新滞后。建议工地每日开工前更新台账，区住建委每周抽查。",
        ADOPTED,
        "采纳，已纳入工地日常巡查内容。",
        findings=("site_workers",),
    ),
    Record(
        TIANJIN_OFFICE,
        "tianjin.hebei.urban",
        6,
        "关于加密公共区域消杀频次的工作建议",
        "部分公交站亭、公共座椅消杀记录间隔较长。建议人流密集区域每日消杀两次并公示记录。",
        DECLINED,
        "现行消杀频次符合市级标准，人员和药剂有限，暂不加密；对人流特别集中的点位另行安排。",
    ),
    Record(
        TIANJIN_OFFICE,
        "tianjin.hebei.health",
        4,
        "关于优化接种点留观区布局的工作建议",
        "部分接种点留观区座椅间距不足，人员聚集。建议调整布局，必要时分时段预约接种。",
        findings=("vaccination_queue",),
    ),
    Record(
        "t.tianjin.hebei.2",
        "tianjin.hebei.education",
        2,
        "关于校门口接送家长分区等候的工作建议",
        "放学时段校门口家长聚集，间距难以保持。建议划定分区等候线，按年级错峰放学。",
    ),
]

# The lasting rules that name the suggestion they came from: (the scene's problem, by its
# title, and the suggestion, by its title), cited by the office that recorded the rule.
CITATIONS = [
    (
        "huian.office",
        "集中隔离场所同类问题被反复通报",
        "建议统一隔离点“三区两通道”标识",
    ),
    (
        tianjin.OFFICE,
        "农贸市场进口冷链食品追溯码查验流于形式",
        "关于加强进口冷链食品追溯查验的工作建议",
    ),
]

# Each scene's records, keyed by its place name.
SCENES = {
    "河北省": HEBEI,
    "惠安县": HUIAN,
    "天津市河北区": TIANJIN,
}


def _sender_user(cast: Cast, sender: str) -> tuple[Any, Any, Any]:
    team = cast.teams.get(sender)
    if team is not None:
        assert team.leader is not None
        return team.leader, team, None
    return cast.users[sender], None, cast.orgs[sender]


def _responder(cast: Cast, receiver: str) -> Any:
    if receiver in cast.users:  # an office's staff or a command HQ's account share its key
        return cast.users[receiver]
    return cast.handler(receiver)


def _problems(cast: Cast, record: Record, user: Any, findings: dict[str, int]) -> list[Problem]:
    if record.findings:
        return list(Problem.objects.filter(pk__in=[findings[key] for key in record.findings]))
    region = cast.orgs[record.receiver].region
    if not record.focus_area or region is None or region.level is None:
        return []
    rows = Problem.objects.visible_to(user).filter(
        focus_area__code=record.focus_area,
        **{LEVEL_FIELDS[RegionLevel(region.level)]: region},
    )
    return list(rows.order_by("found_at", "pk")[:2])


def _make(cast: Cast, clock: ReplayClock, now: datetime, record: Record, findings: dict) -> None:
    user, team, office = _sender_user(cast, record.sender)
    made = now - timedelta(days=record.days_ago, hours=5)
    clock.moment = made
    suggestion = actions.do_suggest(
        acting_user=user,
        office=office,
        team=team,
        receiver=cast.orgs[record.receiver],
        title=record.title,
        text=record.text,
        problems=_problems(cast, record, user, findings),
    )
    if record.outcome == WAITING:
        return
    # Answered within two days, and never after the load.
    clock.moment = min(made + timedelta(days=min(2, record.days_ago), hours=3), now)
    actions.do_respond(
        suggestion,
        acting_user=_responder(cast, record.receiver),
        state=record.outcome,
        response=record.response,
    )


def replay(cast: Cast, clock: ReplayClock, now: datetime) -> None:
    findings = tianjin.replay(cast, clock, now)
    for records in SCENES.values():
        for record in sorted(records, key=lambda r: -r.days_ago):
            _make(cast, clock, now, record, findings)
    clock.moment = now
    for office, problem_title, suggestion_title in CITATIONS:
        user = cast.users[office]
        actions.do_cite_suggestion(
            Suggestion.objects.get(title=suggestion_title),
            acting_user=user,
            problem=Problem.objects.get(title=problem_title),
        )
    clock.moment = None
