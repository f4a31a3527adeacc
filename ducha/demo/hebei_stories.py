"""Scene 1, Hebei: what the stationed teams and the city offices found.

The 内丘 batch comes from one unannounced visit four days ago: some items are closed, some
await verification, one is disputed and one is overdue. 涿州's stranded returnees went up
to the province (呈) and drew a leader's instruction (批); 三河's commuter problem closed only
after its lasting rule (建).
"""

from __future__ import annotations

from typing import Any

from ducha.demo.story import (
    Ago,
    Day,
    Story,
    accept,
    assign,
    dispute,
    extend,
    grant,
    instruct,
    refuse,
    reject,
    report_up,
    rule,
    sign,
    spot,
    submit,
    urge,
)
from ducha.problems.choices import Nature, Urgency

URGENT, COMMON = Urgency.URGENT, Nature.COMMON

# The 内丘 visit: found by the province's team stationed in 邢台, assigned by the county.
NEIQIU: dict[str, Any] = {"by": "hebei.xingtai", "team": "t.xingtai", "office": "neiqiu.office"}
BAODING: dict[str, Any] = {"by": "hebei.baoding", "team": "t.baoding"}
LANGFANG: dict[str, Any] = {"by": "hebei.langfang", "team": "t.langfang", "office": "sanhe.office"}
TANGSHAN: dict[str, Any] = {"by": "hebei.tangshan", "team": "t.tangshan"}
HENGSHUI: dict[str, Any] = {
    "by": "hebei.hengshui",
    "team": "t.hengshui",
    "office": "hengshui.office",
}
CHENGDE: dict[str, Any] = {"by": "hebei.chengde", "team": "t.chengde", "office": "chengde.office"}
SJZ: dict[str, Any] = {"by": "shijiazhuang.office", "office": "shijiazhuang.office"}
CANGZHOU: dict[str, Any] = {"by": "cangzhou.office", "office": "cangzhou.office"}

SANHE_RULE = (
    "三河市印发《疫情防控期间进京通勤人员“一信一卡一证”管理制度》：“一信”是用人单位出具的"
    "在岗承诺信，“一卡”是通勤人员每日填报、社区每周核对的健康监测卡，“一证”是社区核验前两项后"
    "发放的通勤通行证。三件齐全者走燕郊进京检查站通勤专用通道，京冀两地核酸检测结果互认，"
    "不再重复隔离；通行证每周复核一次，发现瞒报即收回并通报用人单位。"
)


def neiqiu() -> list[Story]:
    return [
        Story(
            "大孟村村口卡点无人值守，车辆自由出入",
            "closed_management",
            Day(4, 9, 40),
            site="s.neiqiu.checkpoint",
            urgency=URGENT,
            description="暗访时卡点帐篷里没有人，登记本停在前一天傍晚；督查组等候的二十分钟内，"
            "两辆外地牌照小车未经任何检查开进村里。村干部解释值守人员回家吃饭去了。",
            steps=[
                assign(0.5, "neiqiu.dameng", "请大孟镇立即恢复卡点24小时值守，当天反馈。"),
                sign(0.7),
                submit(
                    6,
                    "镇里重新排班，卡点实行三班倒、每班两人，包村干部每天抽查两次；"
                    "当天进村的两辆车已追踪到户，车上5人均无重点地区旅居史。",
                ),
                accept(20, "第二天一早回访，卡点有人值守、逐车登记，同意销号。"),
            ],
            **NEIQIU,
        ),
        Story(
            "西关村返乡人员登记表缺少行程信息",
            "screening",
            Day(4, 10, 30),
            region="neiqiu.xiguan",
            description="登记表上共41名返乡人员，其中17人只有姓名和电话，来源地、返乡日期都是空的，"
            "无法判断是否来自重点地区。",
            steps=[
                assign(18, "neiqiu.zhen", "限期补齐登记信息，逐人核实行程。", deadline=120),
                sign(19),
                extend(20, 144, "17人中有9人在外地务工，需逐一电话联系核实，申请延期一天。"),
                grant(22, "同意延期一天，核实一人录入一人。"),
                submit(
                    44,
                    "包村干部逐户上门，17人的来源地、返乡日期和交通方式已全部补录，"
                    "并与县公安局推送的数据逐条比对，没有遗漏。",
                ),
                accept(60, "抽查5户，登记内容与本人所述一致，予以销号。"),
            ],
            **NEIQIU,
        ),
        Story(
            "康源食品公司复工后未落实员工进出厂体温检测",
            "work_resumption",
            Day(4, 11, 15),
            site="s.neiqiu.food",
            description="企业复工已三天，厂门口只在早班开工前测一次体温；中午外出吃饭的员工回厂时"
            "无人检测，体温记录本有两天是空白。",
            steps=[
                assign(18, "neiqiu.industry", "督促企业做到进出必测温、测温必登记。", deadline=120),
                sign(20),
                extend(30, 168, "企业需改造门岗、增购测温设备，申请延期两天。"),
                refuse(32, "测温登记不需要等设备到位，先用现有体温枪人工登记，按原时限整改。"),
                submit(
                    50,
                    "县工信局约谈了企业负责人。厂区改为封闭管理，午餐改在厂内分批吃，"
                    "门岗对每次进出都测温登记，记录每天下午报县工信局。",
                ),
            ],
            **NEIQIU,
        ),
        Story(
            "东石河村卫生室接诊发热患者后未按规定报告",
            "medical_institutions",
            Day(4, 13, 0),
            site="s.neiqiu.clinic",
            urgency=URGENT,
            description="接诊记录显示近三天看过2名发热病人，卫生室只开了退烧药，既没有引导去发热门诊，"
            "也没有报告镇卫生院。",
            steps=[
                assign(1, "neiqiu.health", "请县卫健局马上查清两名发热病人的去向。"),
                sign(1.2),
                submit(
                    9,
                    "两名病人已找到并送县医院发热门诊，排查后均排除新冠肺炎。卫生室负责人已被约谈，"
                    "全县村卫生室重新培训了发热病人报告流程。",
                ),
                accept(21, "核对了排查结果和培训签到表，同意销号。"),
            ],
            **NEIQIU,
        ),
        Story(
            "内丘镇农贸市场外流动菜摊聚集，人员扎堆",
            "supplies",
            Day(4, 14, 20),
            site="s.neiqiu.market",
            description="市场里面管得严，东门外路边却聚了十几个流动菜摊，买菜的人挤作一团，"
            "不少人没戴口罩，现场没有人劝导。",
            steps=[
                assign(
                    18,
                    "neiqiu.market",
                    "请县市场监管局会同属地清理市场外流动摊点。",
                    deadline=120,
                ),
                dispute(
                    26,
                    "市场外道路上的流动摊点属于占道经营，归城管执法和属地镇政府管，"
                    "本局只负责市场内的经营秩序，请重新交办。",
                ),
                urge(48, "争议没定下来，东门外照样有人聚集，请县大督查办尽快裁定承办单位。"),
            ],
            **NEIQIU,
        ),
        Story(
            "北关村便民超市店员未佩戴口罩",
            "supplies",
            Day(4, 15, 5),
            site="s.neiqiu.supermarket",
            steps=[
                spot(
                    0.5,
                    "督查组当场指出后，两名店员戴好了口罩；超市在门口加放了免洗洗手液，"
                    "设了测温点，整改照片已留存。",
                ),
            ],
            **NEIQIU,
        ),
        Story(
            "村干部对返乡人员行程只问不核",
            "cadre_performance",
            Day(4, 15, 40),
            region="neiqiu.beiguan",
            description="北关村登记的返乡人员行程都是本人口述，村干部没看过车票或通行记录。"
            "近期本县已有故意隐瞒行程酿成严重后果的教训，这个口子必须马上堵上。",
            steps=[
                assign(17, "neiqiu.zhen", "对已登记的返乡人员逐一核验行程。"),
                sign(21),
                urge(50, "整改时限快到了，还没收到反馈。"),
                urge(68, "已经超期，请内丘镇说明原因，当天反馈。", by="hebei.xingtai"),
                extend(69, 120, "返乡人员行程需与公安推送的通行数据逐条比对，申请延期两天。"),
            ],
            **NEIQIU,
        ),
        Story(
            "中华路社区公告栏仍贴着过期的防控通告",
            "publicity",
            Day(4, 16, 10),
            region="neiqiu.zhonghua",
            steps=[
                spot(0.4, "社区工作人员当场撤下过期通告，换贴县指挥部最新通告和就医指引。"),
            ],
            **NEIQIU,
        ),
        Story(
            "大孟村村民筹办满月宴，村委会未劝阻",
            "closed_management",
            Day(4, 10, 50),
            region="neiqiu.damengcun",
            description="村民准备第二天在自家院里办满月宴，已经请了二十多位亲友；村委会知道这件事，"
            "却没有上门劝阻。",
            steps=[
                assign(1, "neiqiu.dameng", "立即劝停聚集性宴席。"),
                submit(
                    5,
                    "镇村干部上门做工作，宴席已取消，事主签了承诺书。全镇排查红白喜事，"
                    "登记在案的3起都已延期。",
                ),
                accept(26, "回访确认宴席没有举办，同意销号。"),
            ],
            **NEIQIU,
        ),
        Story(
            "康源食品公司员工宿舍一间住12人",
            "work_resumption",
            Day(4, 11, 40),
            site="s.neiqiu.food",
            description="外地返岗员工集中住在厂区宿舍，最挤的一间住了12人，上下铺间距不足半米，"
            "没有设置观察隔离房间。",
            steps=[
                assign(18, "neiqiu.industry", "督促企业调整宿舍，降低居住密度。", deadline=120),
            ],
            **NEIQIU,
        ),
        Story(
            "百信堂大药房销售退烧止咳药品未实名登记",
            "supplies",
            Day(4, 16, 30),
            site="s.neiqiu.pharmacy",
            description="店员说近几天卖出退烧药三十多盒，但没有登记购药人姓名、电话和体温。",
            steps=[
                assign(16, "neiqiu.market", "落实购药实名登记和每日报告。", deadline=120),
                submit(
                    40,
                    "县市场监管局下达了责令整改通知书，药店已启用购药登记本，每天18点前把"
                    "购买退烧止咳药的人员名单报社区；县局对全县药店开展了同类检查。",
                ),
            ],
            **NEIQIU,
        ),
        Story(
            "大孟镇卫生院预检分诊与普通门诊共用一个入口",
            "medical_institutions",
            Day(4, 12, 10),
            site="s.neiqiu.hospital",
            steps=[
                assign(18, "neiqiu.health", deadline=120),
                submit(
                    30,
                    "卫生院在东侧新开了预检分诊专用入口，设一米线和引导标识，"
                    "发热病人由专人带到隔离诊室。",
                ),
                accept(54, "现场看了，专用入口已经启用，同意销号。"),
            ],
            **NEIQIU,
        ),
        Story(
            "西关村居家隔离户无人登记、无人提醒",
            "closed_management",
            Day(4, 14, 45),
            region="neiqiu.xiguan",
            description="村里有3户居家隔离，其中一户的家人白天照常下地干活，没有人登记，也没有人提醒。",
            steps=[
                assign(17, "neiqiu.zhen", deadline=120),
                submit(
                    41,
                    "3户门口都贴了告知书、装了门磁，网格员每天上门测两次体温，"
                    "生活物资由村委会代购送到门口。",
                ),
            ],
            **NEIQIU,
        ),
        Story(
            "全县村级卡点登记只记不核，格式五花八门",
            "screening",
            Day(3, 19, 30),
            region="neiqiu",
            nature=COMMON,
            description="这次暗访的10个村（社区）里，有6个卡点只登记不核验，各村登记表格式不一，"
            "数据没法汇总比对。这不是个别村的问题，全县都要统一解决。",
            steps=[
                assign(
                    14,
                    "neiqiu.command",
                    "共性问题，请县指挥部统一规范村级卡点登记。",
                    deadline=144,
                ),
                rule(
                    40,
                    "县指挥部印发村级卡点“一登二测三核”工作规范：统一登记表样式；进出人员测体温、"
                    "查健康码；外来人员核身份、核行程、核去向；登记信息每晚汇总到镇、次日上报县里。",
                    by="neiqiu.command",
                ),
            ],
            **NEIQIU,
        ),
    ]


def the_rest() -> list[Story]:
    return [
        Story(
            "涿州进京检查站劝返人员滞留，存在聚集感染隐患",
            "screening",
            Day(8, 16, 0),
            site="s.zhuozhou.jinggangao",
            nature=COMMON,
            office="hebei.office",
            description="涿州境内52个进京检查站每天都要劝返一批有湖北旅居史的重点人员。这些人进京"
            "不成，原籍一时也回不去，有的在检查站附近的车里过夜，有的住进小旅馆，"
            "没有集中安置，也没有人做健康监测。",
            steps=[
                report_up(
                    3,
                    "hebei.office",
                    "突击督查发现劝返人员滞留，涉及跨省协调，涿州一地难以解决，特此专报，"
                    "建议省级层面统筹。",
                ),
                instruct(
                    20,
                    "请省交通运输厅、省卫健委会同保定市，抓紧研究劝返人员的分流、安置和健康监测办法，"
                    "三日内报方案。",
                    by="hebei.leader",
                ),
                assign(22, "hebei.command", "按省领导批示，由省指挥部牵头协调。", deadline=240),
                urge(150, "批示已近一周，请省指挥部通报协调进展。"),
            ],
            **BAODING,
        ),
        Story(
            "107国道进京检查站劝返车辆掉头无人疏导，排起长队",
            "screening",
            Day(8, 17, 20),
            site="s.zhuozhou.g107",
            office="zhuozhou.office",
            steps=[
                assign(2, "zhuozhou.police", "请涿州市公安局增派警力疏导。"),
                submit(
                    20,
                    "掉头区增派了4名交警，设置临时引导标志，劝返车辆走单独车道掉头，积压车辆已疏散。",
                ),
                accept(30, "复查时现场秩序良好，予以销号。"),
            ],
            **BAODING,
        ),
        Story(
            "检查站值守人员口罩一天只发一只",
            "supplies",
            Day(7, 10, 0),
            site="s.zhuozhou.jinggangao",
            office="zhuozhou.office",
            description="值守人员每班工作8小时以上，一天只领一只医用口罩，防护服要反复穿。",
            steps=[
                assign(2, "zhuozhou.command", "保障一线值守人员的防护物资。"),
                submit(
                    26,
                    "市指挥部从储备库调拨医用口罩2万只、防护服500套，按每人每班两只口罩发放，"
                    "建立了领用台账。",
                ),
                accept(40, "查看领用台账和现场佩戴情况，同意销号。"),
            ],
            **BAODING,
        ),
        Story(
            "返岗务工人员管理尺度各社区不一，企业招工受阻",
            "work_resumption",
            Day(12, 15, 0),
            region="baoding",
            nature=COMMON,
            office="baoding.office",
            description="有的社区要求外地返岗人员隔离14天，有的7天，有的只要登记，企业无所适从，"
            "好几家企业因为工人回不来开不了满工。",
            steps=[
                assign(4, "baoding.hrss", "请市人社局会同各县区统一务工人员管理尺度。"),
                rule(
                    40,
                    "保定市建立复工复产“一次通关”机制：务工人员持用工单位证明和健康证明，"
                    "经一次核验即可返岗；各社区、村执行同一标准，不得层层加码。",
                ),
                submit(
                    50,
                    "机制已印发到各县区和重点企业，市人社局开通咨询电话，已为132名工人办结返岗手续。",
                ),
                accept(66, "走访3家企业，工人返岗顺畅，同意销号。"),
            ],
            **BAODING,
        ),
        Story(
            "保定恒瑞汽车零部件公司等待上游原料，产业链接不上",
            "work_resumption",
            Day(11, 14, 0),
            site="s.baoding.parts",
            office="baoding.office",
            steps=[
                assign(2, "baoding.industry"),
                submit(46, "市工信局牵头对接外省供应商，原料车辆纳入绿色通道，首批钢材已到厂。"),
                accept(60, "企业生产线恢复运转，同意销号。"),
            ],
            **BAODING,
        ),
        Story(
            "往返京冀人员在两地重复隔离检测，滞留交叉感染风险大",
            "screening",
            Day(20, 10, 0),
            region="sanhe",
            nature=COMMON,
            description="在北京上班、在三河住的人，过一次检查站就要在京冀两边各隔离、各检测一遍，"
            "很多人卡在检查站和隔离点之间走不了，挤在一起等候，最怕的就是交叉感染。",
            steps=[
                assign(
                    3, "sanhe.command", "请三河市指挥部主动对接，拿出既方便通勤又守住防线的办法。"
                ),
                rule(52, SANHE_RULE, by="sanhe.command"),
                submit(
                    60,
                    "制度已印发实施，首批通勤人员信息已录入；燕郊进京检查站开设通勤专用通道，"
                    "两地检测结果互认，没有再出现重复隔离。",
                ),
                accept(70, "督查组在燕郊检查站实地看了专用通道的运行，制度落实到位，同意销号。"),
            ],
            **LANGFANG,
        ),
        Story(
            "燕郊进京检查站候检区人员间距过密",
            "screening",
            Day(19, 8, 30),
            site="s.sanhe.yanjiao",
            steps=[
                spot(0.6, "现场协调拉设一米线隔离带，分批放行，排队人员已经疏散开。"),
            ],
            **LANGFANG,
        ),
        Story(
            "燕郊镇康庄小区出入证未核验身份即发放",
            "closed_management",
            Day(18, 14, 0),
            site="s.sanhe.compound",
            description="物业凭业主口头申报就发出入证，一户领了5张，租户和访客也拿到了证。",
            steps=[
                assign(2, "sanhe.yanjiao"),
                submit(20, "物业已重新登记出入证。"),
                reject(
                    26,
                    "回访发现旧证仍能通行，重新登记只是补了表格，没有收回旧证，请重新整改。",
                ),
                submit(
                    40,
                    "旧证全部作废收回，凭房产证或租赁合同重新核发新版出入证，每户不超过2张，"
                    "门岗逐一核对照片。",
                ),
                accept(48, "门岗已只认新证，抽查10户无多发，同意销号。"),
            ],
            **LANGFANG,
        ),
        Story(
            "燕郊镇隔离观察点每日测温只做一次",
            "closed_management",
            Day(17, 9, 30),
            site="s.sanhe.hotel",
            description="规定每天早晚各测一次体温，记录表上下午一栏大多空着，工作人员说人手不够。",
            steps=[
                assign(2, "sanhe.health"),
                submit(
                    26, "市卫健局从社区卫生服务中心增派3名医护人员，早晚测温由医护人员上门完成。"
                ),
                accept(36, "查看近两天测温记录，早晚两次齐全，同意销号。"),
            ],
            **LANGFANG,
        ),
        Story(
            "检查站周边临时休息点缺少防寒设施",
            "public_requests",
            Day(7, 20, 0),
            site="s.zhuozhou.g107",
            office="zhuozhou.office",
            description="夜间气温降到零下，等待返程的劝返人员只能在路边车里避寒，休息帐篷没有取暖设备。",
            steps=[
                assign(1, "zhuozhou.transport"),
                submit(
                    20,
                    "在检查站附近服务区开设临时休息室，配备取暖器、热水和方便食品，专人值守测温。",
                ),
                accept(30, "夜间查看休息室运行正常，同意销号。"),
            ],
            **BAODING,
        ),
        Story(
            "防护用品企业熔喷布库存仅够7天，口罩生产难以为继",
            "work_resumption",
            Day(6, 15, 30),
            site="s.kaiping.ppe",
            office="hebei.office",
            description="疫情发生后，这家企业在全省最早拿到医用防护口罩生产许可，眼下开足马力生产，"
            "可熔喷布只剩7天的用量，原来的供应商断了货，企业自己找不到新的货源。",
            steps=[
                report_up(
                    18,
                    "hebei.office",
                    "企业急缺熔喷布，已形成督查专报，请省有关部门协调货源，同时反馈唐山市。",
                ),
                assign(19, "hebei.industry", "请省工信厅紧急协调熔喷布供应。", deadline=48),
                submit(
                    40,
                    "500公斤静电熔喷布已由省工信厅协调调运到厂，够企业按现在的产量继续生产；"
                    "国家级疫情防控重点物资（防护类）生产企业资格的申报材料，"
                    "省发改委和省工信厅正在帮企业准备。",
                ),
                accept(46, "督查组到企业核实，熔喷布已入库，生产线满负荷运转，同意销号。"),
            ],
            **TANGSHAN,
        ),
        Story(
            "泰和机械厂员工食堂集中就餐",
            "work_resumption",
            Day(5, 12, 0),
            site="s.kaiping.machinery",
            office="kaiping.office",
            description="午饭时间一百多名工人同时在食堂就餐，面对面坐满，没有错峰安排。",
            steps=[
                assign(2, "kaiping.industry"),
                submit(
                    24, "食堂改为三批错峰就餐，餐桌加装隔板、同向就座，部分员工改为领餐回车间。"
                ),
                accept(34, "午餐时段现场查看，错峰就餐落实，同意销号。"),
            ],
            **TANGSHAN,
        ),
        Story(
            "遵化市102国道卡口夜间仅一人值守",
            "closed_management",
            Day(10, 21, 30),
            site="s.zunhua.checkpoint",
            office="zunhua.office",
            steps=[
                spot(0.5, "督查组当即联系乡镇值班领导，20分钟内增派两名值守人员到岗。"),
            ],
            **TANGSHAN,
        ),
        Story(
            "遵化市发热门诊候诊区与普通候诊区未分开",
            "medical_institutions",
            Day(10, 15, 0),
            site="s.zunhua.fever",
            office="zunhua.office",
            steps=[
                assign(1.5, "zunhua.health"),
                submit(22, "发热门诊候诊区已用硬隔断与普通候诊区分开，单独设出入口和卫生间。"),
                accept(30, "现场复查落实到位，同意销号。"),
            ],
            **TANGSHAN,
        ),
        Story(
            "返乡人员健康监测日报与卡口登记数对不上",
            "screening",
            Day(6, 10, 0),
            region="zunhua",
            office="zunhua.office",
            description="健康监测日报里，有两个乡镇连续三天返乡人数为零，但交通卡口登记显示"
            "同期有数十人返回这两个乡镇。",
            steps=[
                assign(3, "zunhua.health", "请市卫健局核对数据，查清漏报原因。"),
                urge(60, "请加快核对，整改时限将到。"),
                urge(100, "已超期两天仍无反馈，督查组将在日报中点名通报。", by="hebei.tangshan"),
            ],
            **TANGSHAN,
        ),
        Story(
            "物流园区货车司机出入受限，企业原料运不进来",
            "work_resumption",
            Day(25, 10, 0),
            site="s.shijiazhuang.logistics",
            steps=[
                assign(1, "shijiazhuang.transport"),
                submit(
                    30,
                    "市交通运输局为园区开通重点物资运输车辆通行证绿色通道，司机持证测温后即可进出，"
                    "当天办理通行证86张。",
                ),
                accept(44, "园区车辆进出顺畅，同意销号。"),
            ],
            **SJZ,
        ),
        Story(
            "恒通汽车配件公司复工后消毒液短缺",
            "supplies",
            Day(24, 15, 0),
            site="s.shijiazhuang.parts",
            steps=[
                assign(1, "shijiazhuang.industry"),
                submit(20, "市工信局协调本地消毒液生产企业定向供应，首批两吨已送到。"),
                accept(30, "核实到货，同意销号。"),
            ],
            **SJZ,
        ),
        Story(
            "上游配件厂未复工，整车企业生产线停摆",
            "work_resumption",
            Day(22, 11, 0),
            region="shijiazhuang",
            steps=[
                assign(2, "shijiazhuang.industry"),
                urge(56, "整车企业停工每天损失较大，请加快协调。"),
                submit(
                    70,
                    "市工信局逐家对接7家上游配件厂，协助办理复工备案，其中6家已复工，"
                    "剩下一家由整车企业临时调整供应商。",
                ),
                accept(80, "整车企业生产线恢复，虽超出时限，整改已到位，同意销号。"),
            ],
            **SJZ,
        ),
        Story(
            "农资门店未营业，春耕化肥供应不足",
            "agriculture",
            Day(1, 10, 0),
            region="shijiazhuang",
            description="走访的几个乡镇农资门店大多关着门，农户买不到化肥和种子，担心误了农时。",
            steps=[
                assign(2, "shijiazhuang.agriculture", "春耕不等人，请尽快协调农资门店开门营业。"),
            ],
            **SJZ,
        ),
        Story(
            "多个部门先后到同一企业检查，企业疲于迎检",
            "work_style",
            Day(28, 9, 0),
            region="cangzhou",
            nature=COMMON,
            description="一家规上企业一周内接待了5拨检查，内容大同小异，每次都要负责人陪同、"
            "重新准备材料。",
            steps=[
                assign(2, "cangzhou.command"),
                rule(
                    30,
                    "沧州市推行督查“1+N”模式：市大督查办牵头制定统一检查计划，N个职能部门按计划"
                    "分工入企，同一企业一周内不重复检查，检查结果各部门共享。",
                    by="cangzhou.command",
                ),
                submit(40, "统一检查计划已下发，各部门本周入企检查已按计划合并。"),
                accept(50, "回访企业，检查频次明显下降，同意销号。"),
            ],
            **CANGZHOU,
        ),
        Story(
            "惠民超市蔬菜涨价且未明码标价",
            "supplies",
            Day(27, 10, 0),
            site="s.cangzhou.super",
            steps=[
                assign(1, "cangzhou.market"),
                submit(20, "市场监管局约谈超市负责人，全部商品补齐价签，主要蔬菜每日公示价格。"),
                accept(28, "复查价签齐全，同意销号。"),
            ],
            **CANGZHOU,
        ),
        Story(
            "人民路农贸市场未设测温点",
            "supplies",
            Day(16, 9, 0),
            site="s.hengshui.market",
            steps=[
                assign(1, "hengshui.market"),
                submit(18, "市场只留南门一个入口，设测温点并安排两人值守。"),
                accept(26, "同意销号。"),
            ],
            **HENGSHUI,
        ),
        Story(
            "丰盛养殖场饲料运输车辆被村口卡点拦截",
            "agriculture",
            Day(15, 10, 0),
            site="s.hengshui.farm",
            description="养殖场存栏生猪两千余头，饲料只够三天，运饲料的货车连续两天被村口卡点挡回。",
            steps=[
                assign(1.5, "hengshui.agriculture"),
                submit(
                    20, "市农业农村局为饲料车辆办理绿色通行证，通知沿途卡点查验后放行，饲料已运到。"
                ),
                accept(30, "核实饲料到场，同意销号。"),
            ],
            **HENGSHUI,
        ),
        Story(
            "农资运输车辆通行证办理慢",
            "agriculture",
            Day(2, 10, 0),
            region="hengshui",
            steps=[
                assign(1, "hengshui.agriculture"),
                submit(20, "通行证改为网上申请、当日办结，已办理137张。"),
            ],
            **HENGSHUI,
        ),
        Story(
            "西大街社区居家隔离人员信息未与卫健部门共享",
            "screening",
            Day(14, 10, 0),
            site="s.chengde.community",
            steps=[
                assign(2, "shuangqiao"),
                submit(30, "区里建立社区与卫健部门每日信息对账机制，隔离人员名单每天17点前互推。"),
                accept(45, "核对两天的对账记录，同意销号。"),
            ],
            **CHENGDE,
        ),
        Story(
            "滨河酒店集中隔离点医疗废物与生活垃圾混放",
            "medical_institutions",
            Day(3, 15, 0),
            site="s.chengde.hotel",
            steps=[
                assign(1, "chengde.health", deadline=96),
                submit(
                    30, "隔离点设置医疗废物暂存间，黄色垃圾袋专收，每天由医废处置单位上门收运。"
                ),
            ],
            **CHENGDE,
        ),
        Story(
            "部分乡镇防疫物资储备台账不全",
            "supplies",
            Day(11, 10, 0),
            region="chengde",
            steps=[
                assign(2, "chengde.health"),
                submit(40, "市卫健委下发统一台账模板，各乡镇已补齐出入库记录。"),
                accept(60, "抽查3个乡镇台账，同意销号。"),
            ],
            **CHENGDE,
        ),
        Story(
            "双桥区部分学校尚未制定开学防控预案",
            "school_opening",
            Ago(5),
            region="shuangqiao",
            description="抽查的4所中小学中，有2所没有晨午检和因病缺勤追踪方案，也没有设置临时留观室。",
            **CHENGDE,
        ),
        Story(
            "京港澳高速邢台站出口测温排队过长",
            "screening",
            Day(13, 11, 0),
            site="s.xingtai.toll",
            by="hebei.xingtai",
            team="t.xingtai",
            office="xingtai.office",
            steps=[
                spot(0.5, "现场协调增开两条测温通道，排队车辆20分钟内疏通。"),
            ],
        ),
    ]


def stories() -> list[Story]:
    return neiqiu() + the_rest()
