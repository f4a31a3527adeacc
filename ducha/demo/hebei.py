"""Scene 1, Hebei: three-level linkage between the province's office, its stationed teams
and the city and county offices (codes: GB/T 2260)."""

from __future__ import annotations

from ducha.accounts.choices import Role
from ducha.demo.cast import Cast
from ducha.orgs.choices import OrgKind, RegionLevel, SiteKind, TeamKind

CITY, COUNTY, TOWN, VILLAGE = (
    RegionLevel.CITY,
    RegionLevel.COUNTY,
    RegionLevel.TOWN,
    RegionLevel.VILLAGE,
)
DEPT, COMMAND = OrgKind.DEPARTMENT, OrgKind.COMMAND

# key, name, code, the name of the city office's staff account
CITIES = [
    ("shijiazhuang", "石家庄市", "130100", "张丽华"),
    ("tangshan", "唐山市", "130200", "王振宇"),
    ("qinhuangdao", "秦皇岛市", "130300", "邵明辉"),
    ("xingtai", "邢台市", "130500", "白雪梅"),
    ("baoding", "保定市", "130600", "崔永刚"),
    ("chengde", "承德市", "130800", "刘晓燕"),
    ("cangzhou", "沧州市", "130900", "杜红霞"),
    ("langfang", "廊坊市", "131000", "任建国"),
    ("hengshui", "衡水市", "131100", "魏春生"),
]

# key, name, code, city, office staff
COUNTIES = [
    ("neiqiu", "内丘县", "130523", "xingtai", "张振华"),
    ("zhuozhou", "涿州市", "130681", "baoding", "田志刚"),
    ("sanhe", "三河市", "131082", "langfang", "冯丽萍"),
    ("kaiping", "开平区", "130205", "tangshan", "贾宏亮"),
    ("zunhua", "遵化市", "130281", "tangshan", "许海燕"),
    ("shuangqiao", "双桥区", "130802", "chengde", "孟凡军"),
]

DEPARTMENTS = [
    ("hebei.industry", "河北省工业和信息化厅", "hebei"),
    ("hebei.transport", "河北省交通运输厅", "hebei"),
    ("hebei.health", "河北省卫生健康委员会", "hebei"),
    ("shijiazhuang.transport", "石家庄市交通运输局", "shijiazhuang"),
    ("shijiazhuang.industry", "石家庄市工业和信息化局", "shijiazhuang"),
    ("shijiazhuang.agriculture", "石家庄市农业农村局", "shijiazhuang"),
    ("baoding.hrss", "保定市人力资源和社会保障局", "baoding"),
    ("baoding.industry", "保定市工业和信息化局", "baoding"),
    ("chengde.health", "承德市卫生健康委员会", "chengde"),
    ("cangzhou.market", "沧州市市场监督管理局", "cangzhou"),
    ("hengshui.market", "衡水市市场监督管理局", "hengshui"),
    ("hengshui.agriculture", "衡水市农业农村局", "hengshui"),
    ("neiqiu.health", "内丘县卫生健康局", "neiqiu"),
    ("neiqiu.market", "内丘县市场监督管理局", "neiqiu"),
    ("neiqiu.industry", "内丘县工业和信息化局", "neiqiu"),
    ("zhuozhou.police", "涿州市公安局", "zhuozhou"),
    ("zhuozhou.transport", "涿州市交通运输局", "zhuozhou"),
    ("sanhe.health", "三河市卫生健康局", "sanhe"),
    ("kaiping.industry", "开平区工业和信息化局", "kaiping"),
    ("zunhua.health", "遵化市卫生健康局", "zunhua"),
]

# key, name, parent region, the command user's name
COMMANDS = [
    ("hebei.command", "河北省疫情防控指挥部", "hebei", "吕向东"),
    ("cangzhou.command", "沧州市疫情防控指挥部", "cangzhou", "庞立新"),
    ("neiqiu.command", "内丘县疫情防控指挥部", "neiqiu", "段立国"),
    ("zhuozhou.command", "涿州市疫情防控指挥部", "zhuozhou", "邢建伟"),
    ("sanhe.command", "三河市疫情防控指挥部", "sanhe", "尹秀兰"),
]

TOWNS = [
    ("neiqiu.zhen", "内丘镇", "neiqiu"),
    ("neiqiu.dameng", "大孟镇", "neiqiu"),
    ("sanhe.yanjiao", "燕郊镇", "sanhe"),
]

VILLAGES = [
    ("neiqiu.xiguan", "西关村", "neiqiu.zhen"),
    ("neiqiu.beiguan", "北关村", "neiqiu.zhen"),
    ("neiqiu.zhonghua", "中华路社区", "neiqiu.zhen"),
    ("neiqiu.damengcun", "大孟村", "neiqiu.dameng"),
    ("neiqiu.shihe", "东石河村", "neiqiu.dameng"),
]

SITES = [
    ("s.neiqiu.checkpoint", "大孟村村口卡点", SiteKind.CHECKPOINT, "neiqiu.damengcun"),
    ("s.neiqiu.clinic", "东石河村卫生室", SiteKind.HOSPITAL, "neiqiu.shihe"),
    ("s.neiqiu.hospital", "大孟镇卫生院", SiteKind.HOSPITAL, "neiqiu.dameng"),
    ("s.neiqiu.market", "内丘镇农贸市场", SiteKind.MARKET, "neiqiu.zhen"),
    ("s.neiqiu.supermarket", "北关村便民超市", SiteKind.MARKET, "neiqiu.beiguan"),
    ("s.neiqiu.pharmacy", "百信堂大药房中华路店", SiteKind.PHARMACY, "neiqiu.zhonghua"),
    ("s.neiqiu.food", "内丘县康源食品有限公司", SiteKind.ENTERPRISE, "neiqiu.zhen"),
    ("s.zhuozhou.jinggangao", "京港澳高速涿州进京检查站", SiteKind.CHECKPOINT, "zhuozhou"),
    ("s.zhuozhou.g107", "107国道涿州北进京检查站", SiteKind.CHECKPOINT, "zhuozhou"),
    ("s.sanhe.yanjiao", "燕郊进京检查站", SiteKind.CHECKPOINT, "sanhe.yanjiao"),
    ("s.sanhe.compound", "燕郊镇康庄小区", SiteKind.COMMUNITY, "sanhe.yanjiao"),
    ("s.sanhe.hotel", "燕郊镇集中隔离观察点", SiteKind.ISOLATION_SITE, "sanhe.yanjiao"),
    ("s.kaiping.ppe", "唐山卓安防护用品有限公司", SiteKind.ENTERPRISE, "kaiping"),
    ("s.kaiping.machinery", "开平区泰和机械厂", SiteKind.ENTERPRISE, "kaiping"),
    ("s.zunhua.checkpoint", "遵化市102国道卡口", SiteKind.CHECKPOINT, "zunhua"),
    ("s.zunhua.fever", "遵化市城区发热门诊", SiteKind.HOSPITAL, "zunhua"),
    ("s.shijiazhuang.logistics", "石家庄东部物流园", SiteKind.ENTERPRISE, "shijiazhuang"),
    ("s.shijiazhuang.parts", "石家庄恒通汽车配件有限公司", SiteKind.ENTERPRISE, "shijiazhuang"),
    ("s.cangzhou.super", "沧州市运河区惠民超市", SiteKind.MARKET, "cangzhou"),
    ("s.hengshui.market", "衡水市人民路农贸市场", SiteKind.MARKET, "hengshui"),
    ("s.hengshui.farm", "冀州区丰盛养殖场", SiteKind.ENTERPRISE, "hengshui"),
    ("s.chengde.community", "双桥区西大街社区", SiteKind.COMMUNITY, "shuangqiao"),
    ("s.chengde.hotel", "双桥区滨河酒店集中隔离点", SiteKind.ISOLATION_SITE, "shuangqiao"),
    ("s.xingtai.toll", "京港澳高速邢台站出口", SiteKind.CHECKPOINT, "xingtai"),
    ("s.baoding.parts", "保定恒瑞汽车零部件有限公司", SiteKind.ENTERPRISE, "baoding"),
]

# Stationed teams of the province office: key, city, leader username, leader name
STATIONED = [
    ("t.chengde", "chengde", "hebei.chengde", "王海涛"),
    ("t.hengshui", "hengshui", "hebei.hengshui", "刘国庆"),
    ("t.xingtai", "xingtai", "hebei.xingtai", "马卫东"),
    ("t.baoding", "baoding", "hebei.baoding", "孙立军"),
    ("t.langfang", "langfang", "hebei.langfang", "赵宏伟"),
    ("t.tangshan", "tangshan", "hebei.tangshan", "李建民"),
]


def build(cast: Cast) -> None:
    cast.region("hebei", "河北省", RegionLevel.PROVINCE, None, "130000")
    cast.office("hebei.office", "河北省大督查办", "hebei", staff="郑立群")
    cast.person("hebei.leader", "高文博", "hebei.office", Role.LEADER)
    for key, name, code, staff in CITIES:
        cast.region(key, name, CITY, "hebei", code)
        cast.office(f"{key}.office", f"{name}大督查办", key, staff=staff)
    for key, name, code, city, staff in COUNTIES:
        cast.region(key, name, COUNTY, city, code)
        cast.office(f"{key}.office", f"{name}大督查办", key, staff=staff)
    for key, name, parent in TOWNS:
        cast.region(key, name, TOWN, parent)
    for key, name, parent in VILLAGES:
        cast.region(key, name, VILLAGE, parent)
    for key, name, parent in DEPARTMENTS:
        cast.org(key, DEPT, name, parent)
    for key, name, parent, person in COMMANDS:
        cast.org(key, COMMAND, name, parent)
        cast.person(key, person, key, Role.COMMAND)
    cast.handles("neiqiu.health", "neiqiu.handler", "李春梅")
    for key, name, kind, region in SITES:
        cast.site(key, name, kind, region)


def build_teams(cast: Cast) -> None:
    names = {key: name for key, name, _, _ in CITIES}
    for key, city, username, leader in STATIONED:
        cast.team(
            key,
            f"省驻{names[city]}督查组",
            TeamKind.STATIONED,
            "hebei.office",
            [city],
            leader=(username, leader),
        )
