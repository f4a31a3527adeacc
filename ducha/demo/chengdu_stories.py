"""Scene 2, Chengdu Hi-tech Zone: the stories told by hand.

Ten closed ones carry the zone's notable cases (the pharmacy crowd in 三岔街道, the mask
shortage, copied resumption plans, the 35 report forms cut to 8). The fifteen open ones are
every problem still open in the zone, chosen so its list shows new, assigned, disputed and
awaiting-verification problems under green, yellow and red lights. Everything else in the
zone comes from `chengdu_bulk`.
"""

from __future__ import annotations

from typing import Any

from ducha.demo.chengdu import ZONE, team_key, team_username
from ducha.demo.story import (
    Ago,
    Day,
    Story,
    accept,
    assign,
    decide,
    dispute,
    escalate,
    instruct,
    reject,
    report_up,
    rule,
    spot,
    submit,
    urge,
)
from ducha.problems.choices import Nature, Urgency

URGENT, COMMON = Urgency.URGENT, Nature.COMMON


def team(number: int) -> dict[str, Any]:
    return {"by": team_username(number), "team": team_key(number), "office": "chengdu.office"}


def closed() -> list[Story]:
    return [
        Story(
            "新开药店扫码送口罩引发人群聚集",
            "supplies",
            Day(30, 10, 20),
            site="s.chengdu.sancha.pharmacy",
            urgency=URGENT,
            description="暗访时街上聚了一大群人：一家还没正式开业的药店为攒人气，让路人扫码关注"
            "公众号免费领口罩，不少人又把左邻右舍叫来，人群里有人没戴口罩。这一片是移民安置小区，"
            "巷子只容一辆车通过，人一多就堵死，街道却没有人来管。",
            steps=[
                assign(0.3, "chengdu.sancha", "请三岔街道立即疏散人群，当天反馈。"),
                submit(
                    3,
                    "街道派出6名工作人员维持秩序，帮药店把剩下的口罩按先来后到发完，围观群众已散开；"
                    "药店承诺开业前不再搞扫码领物。街道把这件事写进工作提示发给各社区，"
                    "要求排查同类促销聚集。",
                ),
                accept(6, "下午回访，现场没有聚集，各社区已收到通报，同意销号。"),
            ],
            **team(7),
        ),
        Story(
            "辖区群众口罩紧缺，防疫物资供应跟不上",
            "supplies",
            Day(30, 16, 0),
            region=ZONE,
            nature=COMMON,
            description="三岔街道送口罩引发聚集，背后是群众买不到口罩。走访的几家药店口罩均已断货，"
            "社区一线人员也只能两天领一只。",
            steps=[
                report_up(
                    2,
                    "chengdu.command",
                    "口罩紧缺是群众最急的事，单靠街道解决不了，报请指挥部统筹。",
                ),
                assign(4, "chengdu.economy", "请经济运行局牵头协调口罩供应。"),
                rule(
                    50,
                    "指挥部引进口罩生产企业在高新西区建设生产线，日产能3万至4万只；产出先保障"
                    "一线人员，其余按社区人口分批平价投放，每周公布投放计划。",
                    by="chengdu.command",
                ),
                submit(60, "高新西区口罩生产线已投产，首批口罩已按人口分配到16个街道（镇）。"),
                accept(66, "核对首批投放台账和社区领取记录，同意销号。"),
            ],
            **team(7),
        ),
        Story(
            "多家企业复工方案互相照抄，与实际不符",
            "work_resumption",
            Day(14, 10, 0),
            site="s.chengdu.xiyuan.chips",
            nature=COMMON,
            description="抽查西园街道8家复工企业，有5家的复工方案文字几乎一样，连防控责任人的电话"
            "都相同。看得出不少企业是照着模板填的，没有结合自己厂里的情况想过怎么防控。",
            steps=[
                assign(2, "chengdu.xiyuan"),
                rule(
                    30,
                    "西园街道对复工企业实行“一企一方案一台账”：方案必须写明本企业的车间布局、"
                    "员工人数和责任人，街道到现场逐项核对后才予备案；每家复工企业建立疫情管理"
                    "台账，网格员每周上门核对一次。",
                ),
                submit(
                    40,
                    "5家企业已重新编制复工方案并通过现场核对；街道为每家复工企业建了疫情管理台账，"
                    "同时加大了防疫宣传。",
                ),
                accept(52, "抽查3家企业的方案和台账，内容真实，同意销号。"),
            ],
            **team(3),
        ),
        Story(
            "村社干部每天重复填报35张防疫报表",
            "work_style",
            Day(18, 11, 0),
            region="chengdu.yucheng.jielin",
            nature=COMMON,
            description="街邻村的村干部算了一笔账：社会事业局、财政金融局、市场监管局、公园城市局、"
            "经济运行局等部门各要各的表，加起来35张，不少栏目是同一组数字换个格式。白天挨家"
            "挨户摸排，傍晚回村委会填表、核数，常常忙到夜里10点，第二天一早又要入户。",
            steps=[
                report_up(
                    3,
                    "chengdu.command",
                    "多头报送、重复报送在各街道普遍存在，报请指挥部统一精简。",
                ),
                assign(5, "chengdu.command", "请指挥部办公室会同相关部门逐表研判。"),
                rule(
                    60,
                    "按照数据共享、事项精简的原则，防疫报表由35张精简为8张：取消“公益广告投放"
                    "统计表”等11张，合并内容相近的13张，3张改由平台共享取数、基层不再报送。今后"
                    "新增报表须经指挥部办公室审核。",
                    by="chengdu.command",
                ),
                submit(64, "精简后的8张报表清单已印发各街道（镇）和部门，平台共享取数已上线。"),
                accept(70, "回访街邻村，村干部填表时间明显缩短，精减率77%，同意销号。"),
            ],
            **team(7),
        ),
        Story(
            "机场临时交通卡口对货运车辆只测温不登记",
            "screening",
            Day(22, 15, 0),
            site="s.chengdu.airport.gate",
            steps=[
                assign(2, "chengdu.airport", "请空港新城管委会督促卡口落实登记。"),
                dispute(6, "卡口由属地街道设置和值守，管委会不直接管理，建议改交属地街道。"),
                decide(
                    9,
                    "uphold",
                    "卡口在空港新城规划范围内，管委会负责片区防控统筹，仍由管委会承办，"
                    "可协调属地街道共同整改。",
                ),
                submit(
                    30,
                    "管委会会同属地街道为卡口配了2名登记员，货运车辆实行司机、车牌、来源地、"
                    "目的地“四登记”。",
                ),
                accept(40, "现场抽查登记本，同意销号。"),
            ],
            **team(9),
        ),
        Story(
            "密切接触者转运集中隔离等候时间过长",
            "closed_management",
            Day(26, 20, 0),
            region="chengdu.fangcao.fanghua",
            urgency=URGENT,
            description="芳华社区一名确诊病例的3名密切接触者，从接到通知到被转运走等了近9个小时，"
            "期间一直在家中和家人同住。",
            steps=[
                report_up(1, "chengdu.command", "转运环节衔接不畅，涉及多个部门，报指挥部协调。"),
                instruct(
                    2,
                    "转运专班要做到接报即派车、2小时内完成转运；请社会事业局牵头理顺流程，"
                    "明天报结果。",
                    by="chengdu.leader",
                ),
                assign(2.5, "chengdu.social", "按领导批示整改转运流程。"),
                submit(
                    16,
                    "转运专班改为24小时值班，增加转运车辆4台，建立“接报—派车—转运—入住”全程"
                    "记录，接报到入住不超过2小时。",
                ),
                accept(22, "抽查两起转运记录，都在2小时内完成，同意销号。"),
            ],
            **team(1),
        ),
        Story(
            "社区值班干部擅离岗位",
            "cadre_performance",
            Day(24, 14, 0),
            region="chengdu.shiyang.tianfu",
            description="下午到天府社区，值班表上的两名干部都不在岗：一人回家休息，一人外出办私事，"
            "社区值守出现空档。",
            steps=[
                assign(1, "chengdu.shiyang"),
                submit(
                    20,
                    "街道对两名干部进行了批评教育，责令作出书面检查，情况已报纪工委监察工委；"
                    "社区值班改为带班领导每天点名。",
                ),
                accept(30, "核实处理情况和点名记录，同意销号。"),
            ],
            **team(2),
        ),
        Story(
            "天府软件园C区复工企业员工进楼不测温",
            "work_resumption",
            Day(20, 10, 0),
            site="s.chengdu.guixi.park",
            steps=[
                assign(1, "chengdu.guixi"),
                submit(20, "园区物业已在各楼栋入口设测温点。"),
                reject(28, "回访时C5栋侧门仍能刷卡进入、无人测温，请封闭侧门或加设测温点。"),
                submit(
                    40,
                    "C区各楼栋侧门全部临时封闭，只留正门进出，每个正门配两名测温员，"
                    "物业每两小时巡查一次。",
                ),
                accept(48, "再次回访，各楼栋只留正门、逐人测温，同意销号。"),
            ],
            **team(2),
        ),
        Story(
            "地铁配套项目工地未经复工审核擅自开工",
            "work_resumption",
            Day(16, 9, 0),
            site="s.chengdu.zhonghe.site",
            description="工地已有六十多名工人进场作业，项目部拿不出复工备案手续，工人健康信息没有登记。",
            steps=[
                assign(2, "chengdu.parks", "请公园城市局责令停工，补办复工手续。"),
                urge(50, "还没收到整改反馈。"),
                urge(75, "整改已超期，请公园城市局今天说明情况。", by="chengdu.leader"),
                submit(
                    90,
                    "项目已停工并补交复工方案，工人完成健康核查和实名登记，经审核同意复工。",
                ),
                accept(96, "整改超期，但已落实到位，同意销号。"),
            ],
            **team(4),
        ),
        Story(
            "三岔湖景区卡点值守人员扎堆聊天未戴口罩",
            "closed_management",
            Day(12, 15, 0),
            site="s.chengdu.sancha.gate",
            steps=[
                spot(0.3, "督查组当场提醒，值守人员已戴好口罩、分岗站位，带班干部作了检讨。"),
            ],
            **team(7),
        ),
    ]


def still_open() -> list[Story]:
    return [
        Story(
            "快递外卖人员随意进出小区",
            "closed_management",
            Ago(3),
            site="s.chengdu.xiaojiahe.gate",
            description="卡点对快递员、外卖骑手不测温不登记，骑手直接把餐送到楼下，小区没有设无接触"
            "投递点。",
            **team(1),
        ),
        Story(
            "电子装配厂一名员工发热未按规定报告",
            "work_resumption",
            Ago(18),
            site="s.chengdu.hezuo.factory",
            urgency=URGENT,
            description="厂医务室登记显示一名员工昨天下午体温37.8℃，被安排回宿舍休息，没有报告"
            "街道，也没有送医排查。",
            **team(3),
        ),
        Story(
            "道路工程工地外地返岗工人未登记",
            "work_resumption",
            Ago(6),
            site="s.chengdu.shibandeng.site",
            description="工地今天新进场十余名外地工人，项目部说等人到齐了再统一登记。",
            **team(4),
        ),
        Story(
            "产业园项目工地工人宿舍未设隔离观察房",
            "work_resumption",
            Ago(20),
            site="s.chengdu.lujia.site",
            steps=[assign(2, "chengdu.parks")],
            **team(8),
        ),
        Story(
            "丹景场镇农贸市场猪肉摊位未明码标价",
            "supplies",
            Ago(30),
            site="s.chengdu.danjing.market",
            description="市场里6个猪肉摊位有4个没挂价签，群众反映价格一天一个样。",
            steps=[assign(1.5, "chengdu.market", "请市场监管局督促摊位明码标价，加强价格巡查。")],
            **team(5),
        ),
        Story(
            "草池小学开学防控物资未备齐",
            "school_opening",
            Ago(55),
            site="s.chengdu.caochi.school",
            description="学校只有2把额温枪，口罩储备不足三天用量，也没有设置临时留观室。",
            steps=[assign(3, "chengdu.social")],
            **team(5),
        ),
        Story(
            "福田街道卫生院发热病人登记信息未按时上报",
            "medical_institutions",
            Ago(60),
            site="s.chengdu.futian.clinic",
            steps=[
                assign(2, "chengdu.futian"),
                urge(50, "整改时限已过三分之二，请抓紧。"),
            ],
            **team(6),
        ),
        Story(
            "高明镇卫生院预检分诊点夜间无人值守",
            "medical_institutions",
            Ago(110),
            site="s.chengdu.gaoming.clinic",
            description="晚上8点以后预检分诊台无人，就诊群众直接进入门诊大厅。",
            steps=[
                assign(2, "chengdu.gaoming"),
                urge(60, "请高明镇尽快落实夜间值守。"),
                urge(80, "已超期，督查组明晚将再次暗访。", by="chengdu.team8"),
                escalate(100),
            ],
            **team(8),
        ),
        Story(
            "高投集团下属物业项目未落实出入登记",
            "closed_management",
            Ago(130),
            region=ZONE,
            description="集团代管的3个安置小区，门岗只测温不登记，外来人员可随意进出。",
            steps=[
                assign(3, "chengdu.gaotou"),
                report_up(76, "chengdu.office", "国企整改拖延，已超期，报督查办和领导关注。"),
                instruct(
                    90,
                    "请高投集团主要负责人亲自督办，三天内整改到位并书面报告。",
                    by="chengdu.leader",
                ),
                urge(100, "按领导批示催办。"),
            ],
            **team(9),
        ),
        Story(
            "三岔街道卫生院院感防控制度未上墙落实",
            "medical_institutions",
            Ago(26),
            site="s.chengdu.sancha.clinic",
            steps=[
                assign(2, "chengdu.market"),
                dispute(
                    8, "问题涉及医疗机构院感管理，应由社会事业局承办，本局不具备这方面的监管职责。"
                ),
            ],
            **team(7),
        ),
        Story(
            "安置小区项目工地复工后未落实封闭管理",
            "work_resumption",
            Ago(100),
            site="s.chengdu.shipan.site",
            steps=[
                assign(3, "chengdu.parks"),
                dispute(20, "该项目由国企代建，日常管理在属地街道和建设单位，建议改交石盘街道。"),
                urge(80, "争议未决，工地仍未封闭，请督查办尽快裁定。", by="chengdu.team6"),
            ],
            **team(6),
        ),
        Story(
            "街邻村村口卡点登记本多日未更新",
            "screening",
            Ago(25),
            site="s.chengdu.yucheng.gate",
            steps=[
                assign(1, "chengdu.yucheng"),
                submit(20, "卡点启用新登记本，村干部每天傍晚核对签字，前几天漏登的人员已补录。"),
            ],
            **team(7),
        ),
        Story(
            "康和大药房退烧药销售未实名登记",
            "supplies",
            Ago(40),
            site="s.chengdu.shiyang.pharmacy",
            steps=[
                assign(2, "chengdu.market"),
                submit(30, "药店已落实购药实名登记，每天把购药人员名单推送所在社区。"),
            ],
            **team(2),
        ),
        Story(
            "芳草街小学晨午检制度未落实到班级",
            "school_opening",
            Ago(58),
            site="s.chengdu.fangcao.school",
            steps=[
                assign(2, "chengdu.social"),
                submit(45, "学校已制定晨午检和因病缺勤追踪制度，每个班级配了体温记录本。"),
            ],
            **team(1),
        ),
        Story(
            "精密制造公司员工通勤班车未消毒",
            "work_resumption",
            Ago(90),
            site="s.chengdu.xiyuan.parts",
            steps=[
                assign(2, "chengdu.economy"),
                submit(30, "企业已要求班车每趟消毒。"),
                reject(40, "查看消毒记录，只有上周两天有记录，请落实每趟消毒并留存记录。"),
                submit(
                    70, "班车每趟发车前消毒、乘车人员测温，记录贴在车门内侧，企业安全员每天检查。"
                ),
            ],
            **team(3),
        ),
    ]


def stories() -> list[Story]:
    return closed() + still_open()
