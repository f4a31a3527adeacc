"""Scene 3, Hui'an County: isolation sites whose problems keep coming back, round after
round of nucleic-acid testing, checkpoints, and the 黄塘镇 dialysis patient whose problem was
closed the same night.
"""

from __future__ import annotations

from typing import Any

from ducha.demo.huian import joint, special
from ducha.demo.story import (
    Ago,
    Day,
    Story,
    accept,
    assign,
    decide,
    dispute,
    instruct,
    reopen,
    report_up,
    rule,
    spot,
    submit,
    urge,
)
from ducha.problems.choices import Nature, Urgency

URGENT, COMMON = Urgency.URGENT, Nature.COMMON
OFFICE = "huian.office"


def j(number: int) -> dict[str, Any]:
    return {"by": f"huian.joint{number}", "team": joint(number), "office": OFFICE}


def s(number: int) -> dict[str, Any]:
    return {"by": f"huian.special{number}", "team": special(number), "office": OFFICE}


def isolation() -> list[Story]:
    return [
        Story(
            "锦华酒店隔离点隔离人员在走廊串门",
            "closed_management",
            Ago(400),
            site="s.huian.jinhua",
            description="调看监控发现，三楼有两名隔离人员多次开门在走廊交谈，楼层值守人员没有制止，"
            "监控室也无人盯看。",
            steps=[
                assign(1, "huian.isolation", "请隔离场所专班立即整改，落实“一人一间、房门不开”。"),
                submit(
                    20,
                    "隔离点对全部房间重新告知管理规定，监控室实行24小时专人值守，"
                    "每层楼增设一名巡查员。",
                ),
                accept(30, "调看当晚监控，未再发现串门，同意销号。"),
                reopen(
                    350,
                    "“回头看”时监控室又无人值守，四楼有隔离人员开门取餐后在门口停留聊天，"
                    "问题反复，重新交办。",
                ),
                urge(372, "同一问题第二次通报，请专班明确责任人，限期彻底整改。"),
            ],
            **s(1),
        ),
        Story(
            "锦华酒店隔离点医疗废物与生活垃圾混放",
            "medical_institutions",
            Day(17, 10, 0),
            site="s.huian.jinhua",
            steps=[
                assign(1, "huian.isolation"),
                submit(
                    18, "设置医疗废物暂存点，隔离人员垃圾一律按医疗废物处置，专人每日清运并登记。"
                ),
                accept(28, "现场查看暂存点和交接登记，同意销号。"),
            ],
            **s(1),
        ),
        Story(
            "城南隔离点工作人员下班后回家，未闭环管理",
            "closed_management",
            Day(15, 16, 0),
            site="s.huian.chengnan",
            urgency=URGENT,
            steps=[
                assign(0.5, "huian.isolation", "立即落实工作人员闭环管理。"),
                submit(10, "工作人员全部改为驻点住宿，轮换时先做核酸检测，结果阴性方可离岗。"),
                accept(20, "核对驻点名单和核酸记录，同意销号。"),
            ],
            **s(1),
        ),
        Story(
            "城南隔离点“三区两通道”标识不清",
            "medical_institutions",
            Day(14, 11, 0),
            site="s.huian.chengnan",
            steps=[
                spot(
                    0.6,
                    "现场补贴了清洁区、缓冲区、污染区标识和地面引导线，工作人员通道与隔离人员通道已分开。",
                ),
            ],
            **s(1),
        ),
        Story(
            "城南隔离点防护服穿脱区未分开",
            "medical_institutions",
            Day(6, 14, 0),
            site="s.huian.chengnan",
            steps=[
                assign(1, "huian.isolation"),
                submit(20, "穿衣间与脱衣间用硬隔断分开，脱衣间配置手消和镜子，张贴穿脱流程图。"),
                accept(30, "院感专家现场复核合格，同意销号。"),
            ],
            **s(1),
        ),
        Story(
            "集中隔离场所同类问题被反复通报",
            "closed_management",
            Day(12, 18, 0),
            region="huian",
            nature=COMMON,
            by=OFFICE,
            office=OFFICE,
            description="近一周各督查组通报的隔离点问题中，串门、医疗废物处置、闭环管理三类反复出现，"
            "同一隔离点被点名两次以上的有3个。",
            steps=[
                report_up(
                    0.5,
                    "huian.command",
                    "隔离点问题已按类别汇总成专题报告，请指挥部转各职能组、工作专班逐项对照整改。",
                ),
                instruct(
                    5,
                    "请指挥部今晚就研究，抽调院感专家和相关部门的业务骨干组成业务指导组，"
                    "明天起把所有集中隔离场所挨个过一遍。",
                    by="huian.leader",
                ),
                assign(6, "huian.isolation", "按批示组建业务指导组，逐点补短板、堵漏洞。"),
                rule(
                    20,
                    "集中隔离场所巡查常态化：业务指导组每天分片巡查，问题清单当日交办、次日复查；"
                    "纪委监委督查组对整改情况跟进再监督；同一问题被通报两次的，约谈隔离点负责人。",
                    by="huian.command",
                ),
                submit(40, "业务指导组已完成全部隔离点首轮检查，发现的21个问题已逐一整改。"),
                accept(56, "抽查4个隔离点，首轮问题整改到位，巡查机制已运转，同意销号。"),
            ],
        ),
    ]


def medical() -> list[Story]:
    return [
        Story(
            "后西村尿毒症患者无法按时血液透析，可能危及生命",
            "public_requests",
            Day(16, 18, 0),
            region="huian.houxi",
            urgency=URGENT,
            description="第三督查组在当天会商会上反映：后西村一位村民需定期做血液透析，原来定点的泉州"
            "医院因管控去不了，已错过一次透析。",
            steps=[
                assign(0.6, "huian.health", "请县卫健局马上与黄塘镇对接，今晚解决透析问题。"),
                submit(
                    4.8,
                    "黄塘镇派车把患者送到县医院，已顺利完成血液透析；县医院为其安排了固定透析时段。",
                ),
                accept(
                    5, "黄塘镇政府来电反馈患者已透析完毕，与县医院核实无误，同意销号。", by=OFFICE
                ),
            ],
            **j(3),
        ),
        Story(
            "血透、放疗、孕产妇等特殊群体就医需求底数不清",
            "public_requests",
            Day(15, 9, 0),
            region="huian",
            nature=COMMON,
            by=OFFICE,
            office=OFFICE,
            description="由后西村血透患者一事看，原在县外就医的病人和特殊群体有多少、需要什么，"
            "各镇都说不清，就医难、购药难是群众眼下最急的事。",
            steps=[
                assign(1, "huian.health", "由点及面，摸清特殊群体就医需求。"),
                rule(
                    30,
                    "建立特殊群体就医台账：逐村登记原在县外就医的病人和需要血透、放疗的病人、"
                    "孕产妇，每周更新；县卫健局按封控区、管控区和隔离人员分别发布就医指引；"
                    "两家县级医院加开血透班次，特殊病患走绿色通道、凭通行证转运；成立特殊药品"
                    "帮调小组，县内缺的药由专人到县外代购代送。",
                ),
                submit(
                    40, "就医指引已发布，两家医院已收治血透患者300多人，绿色通道和帮调队已运转。"
                ),
                accept(50, "回访5位特殊病患家属，就医渠道畅通，同意销号。"),
            ],
        ),
        Story(
            "采样点医护人员连续工作十余小时未轮换",
            "medical_institutions",
            Day(7, 15, 0),
            site="s.huian.tuzhai.test",
            steps=[
                assign(1, "huian.health"),
                submit(18, "县卫健局从县医院、乡镇卫生院抽调人员组成轮换梯队，每班不超过6小时。"),
                accept(30, "查看排班表和交接记录，同意销号。"),
            ],
            **s(2),
        ),
        Story(
            "黄塘镇卫生院发热病人登记不全",
            "medical_institutions",
            Day(6, 10, 0),
            region="huian.huangtang",
            steps=[
                assign(1, "huian.huangtang"),
                submit(20, "卫生院补齐发热病人的联系方式和行程信息，每天与县卫健局核对一次。"),
                accept(28, "同意销号。"),
            ],
            **j(3),
        ),
    ]


def testing() -> list[Story]:
    return [
        Story(
            "全员核酸检测采、送、检超过24小时",
            "screening",
            Day(10, 20, 0),
            region="huian",
            nature=COMMON,
            description="上一轮全员检测中，部分样本在中转站等待转运超过8小时，最晚一批结果在采样后"
            "30小时才出来。",
            steps=[
                assign(1, "huian.testing"),
                rule(
                    20,
                    "每轮全员检测前，按各镇采样量把样本提前分给县内外实验室；镇里的纪检力量分片"
                    "盯守采样点，专项督查组派人驻守中转站和实验室，哪个环节超时当场督办，"
                    "保证从采样到出报告不超过24小时。",
                ),
                submit(30, "新一轮检测按新方案实施，全部结果在采样后20小时内出具。"),
                accept(48, "核对本轮采送检时间记录，均在24小时内，同意销号。"),
            ],
            **s(2),
        ),
        Story(
            "试管标签被雨水打湿，字迹模糊",
            "screening",
            Day(9, 14, 0),
            site="s.huian.transfer",
            steps=[
                assign(1, "huian.testing"),
                submit(10, "试管标签一律加贴透明防水胶布，雨天采样点加设遮雨棚。"),
                accept(20, "查看中转站新到样本，标签清晰，同意销号。"),
            ],
            **s(2),
        ),
        Story(
            "核酸样本转运箱交接无记录",
            "screening",
            Day(9, 16, 0),
            site="s.huian.transfer",
            steps=[
                assign(1, "huian.testing"),
                submit(12, "每个转运箱张贴二维码，交接时扫码记录时间和经手人。"),
                accept(24, "抽查扫码记录，交接可追溯，同意销号。"),
            ],
            **s(2),
        ),
        Story(
            "中心小学采样点排队过密",
            "screening",
            Day(8, 8, 30),
            site="s.huian.huangtang.school",
            steps=[
                spot(0.5, "现场增开两个采样台，按村民小组分时段叫号，排队间距恢复一米以上。"),
            ],
            **j(3),
        ),
        Story(
            "村级采样点信息重复录入，扫码慢",
            "screening",
            Ago(4),
            site="s.huian.tuzhai.test",
            description="采样点先手工登记、再逐人扫码录入，群众在队伍里等了四十多分钟。",
            **s(2),
        ),
        Story(
            "核酸检测结果推送延迟，群众反复查询",
            "public_requests",
            Day(7, 10, 0),
            region="huian",
            steps=[
                assign(1, "huian.health"),
                dispute(
                    5,
                    "检测结果推送由核酸检测专班统一负责，县卫健局不掌握推送系统，请改交专班。",
                ),
                decide(
                    8,
                    "reassign",
                    "经核实推送系统由核酸检测专班运维，改由专班承办。",
                    unit="huian.testing",
                ),
                submit(26, "专班优化推送程序，结果出具后1小时内推送到个人，并开通结果查询热线。"),
                accept(36, "随机询问10名群众，均及时收到结果，同意销号。"),
            ],
            **j(1),
        ),
    ]


def checkpoints() -> list[Story]:
    return [
        Story(
            "惠东高速卡口车辆信息登记不全",
            "screening",
            Day(13, 10, 0),
            site="s.huian.huidong",
            description="值勤人员只登记车牌，没有登记驾乘人员身份和来源地。",
            steps=[
                assign(1, "huian.transport"),
                submit(20, "卡口启用统一登记表，驾乘人员逐一登记身份、来源地和目的地。"),
                accept(30, "复查登记本，同意销号。"),
            ],
            **j(5),
        ),
        Story(
            "沈海高速惠安出口卡口夜间仅一人值守",
            "closed_management",
            Day(11, 22, 30),
            site="s.huian.shenhai",
            steps=[
                assign(0.5, "huian.police"),
                submit(12, "夜班增加民警和辅警各一名，实行三人一班。"),
                accept(20, "夜间复查，三人在岗，同意销号。"),
            ],
            **s(3),
        ),
        Story(
            "货车司机核酸证明核验流于形式",
            "screening",
            Ago(100),
            site="s.huian.huidong",
            description="值勤人员只看司机手机上有没有核酸报告，不核对姓名和采样时间，有司机出示的是"
            "五天前的报告。",
            steps=[
                assign(2, "huian.transport"),
                urge(60, "请加快整改，当天反馈。"),
                urge(85, "已超期，专项督查组将在卡口蹲点盯改。", by="huian.special3"),
            ],
            **s(3),
        ),
    ]


def daily_life() -> list[Story]:
    return [
        Story(
            "封控小区生活物资配送不及时",
            "supplies",
            Day(13, 17, 0),
            region="huian.beiguan",
            description="北关社区封控楼栋的居民反映，网上订的菜两天还没送到，社区配送人手不够。",
            steps=[
                assign(1, "huian.luocheng"),
                submit(16, "镇里抽调20名机关干部组成配送队，每天上午、下午各配送一次。"),
                accept(26, "回访居民，物资当天能送到，同意销号。"),
            ],
            **j(1),
        ),
        Story(
            "管控区居民外出未经审批",
            "closed_management",
            Day(12, 10, 0),
            region="huian.luoyang",
            steps=[
                assign(1, "huian.luoyang"),
                submit(20, "管控区实行外出审批单制度，小区门岗凭单放行并登记返回时间。"),
                accept(30, "同意销号。"),
            ],
            **j(2),
        ),
        Story(
            "药店关门，群众购药难",
            "supplies",
            Day(12, 15, 0),
            site="s.huian.pharmacy",
            steps=[
                assign(1, "huian.market"),
                submit(20, "县市场监管局协调药店轮流营业，开通线上购药和社区代购配送。"),
                accept(30, "轮值药店已营业，同意销号。"),
            ],
            **j(2),
        ),
        Story(
            "螺城菜市场部分蔬菜价格上涨过快",
            "supplies",
            Day(11, 9, 0),
            site="s.huian.market",
            steps=[
                assign(1, "huian.market"),
                submit(18, "县市场监管局约谈市场开办方，每天公示主要蔬菜价格，平价菜摊位已开设。"),
                accept(26, "同意销号。"),
            ],
            **j(1),
        ),
        Story(
            "下沉干部未按时到岗",
            "cadre_performance",
            Day(10, 9, 0),
            region="huian.chongwu",
            description="崇武镇某社区核酸采样点，排班表上的3名下沉干部有2人迟到一个多小时。",
            steps=[
                assign(1, "huian.chongwu"),
                submit(20, "镇纪委对两人进行提醒谈话，下沉干部实行到岗扫码签到。"),
                accept(30, "核对签到记录，同意销号。"),
            ],
            **j(6),
        ),
        Story(
            "东岭镇封控卡点无人值守",
            "closed_management",
            Day(9, 13, 0),
            region="huian.dongling",
            steps=[
                spot(0.4, "督查组当场联系镇值班领导，15分钟内值守人员到岗。"),
            ],
            **j(4),
        ),
        Story(
            "涂寨镇居家隔离户未安装门磁",
            "closed_management",
            Day(8, 10, 0),
            region="huian.tuzhai",
            steps=[
                assign(1, "huian.tuzhai"),
                submit(20, "全部居家隔离户已安装门磁，网格员每天两次上门测温。"),
                accept(34, "同意销号。"),
            ],
            **j(6),
        ),
        Story(
            "净峰镇采样点未设置一米线",
            "screening",
            Day(5, 10, 0),
            region="huian.jingfeng",
            steps=[
                spot(0.3, "现场用警戒带和粉笔补设一米线，志愿者引导排队。"),
            ],
            **j(4),
        ),
        Story(
            "小区快递集中投放点无人消杀",
            "closed_management",
            Ago(55),
            region="huian.luoyang",
            steps=[
                assign(2, "huian.luoyang"),
                dispute(10, "快递投放点由快递企业设置，应由县交通运输局督促快递企业落实消杀。"),
            ],
            **j(2),
        ),
        Story(
            "紫山镇村卫生所未落实预检分诊",
            "medical_institutions",
            Ago(35),
            region="huian.zishan",
            steps=[
                assign(1, "huian.zishan"),
                submit(25, "村卫生所在门口设预检台，发热病人一律引导到镇卫生院发热门诊。"),
            ],
            **j(5),
        ),
    ]


def work_resumption() -> list[Story]:
    return [
        Story(
            "鞋业公司复工员工未提供48小时核酸阴性证明",
            "work_resumption",
            Ago(30),
            site="s.huian.shoes",
            steps=[assign(2, "huian.industry")],
            **s(5),
        ),
        Story(
            "石材厂闭环生产期间员工宿舍人员外出",
            "work_resumption",
            Ago(58),
            site="s.huian.stone",
            steps=[
                assign(2, "huian.industry"),
                submit(40, "厂区实行闭环管理，宿舍区设门岗，员工外出须经厂区防疫专员审批。"),
            ],
            **s(5),
        ),
        Story(
            "螺城实验小学复学准备未完成",
            "school_opening",
            Ago(8),
            site="s.huian.school",
            description="学校还没有完成教职工核酸检测，临时留观室只有一张床，没有配备防护用品。",
            **j(4),
        ),
    ]


def stories() -> list[Story]:
    return isolation() + medical() + testing() + checkpoints() + daily_life() + work_resumption()
