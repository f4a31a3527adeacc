"""A small but complete org tree with one persona per role and level.

    河北省 (province)                      province office, province leader, province team
      承德市 (city)                          city office, city leader, city command HQ
        双桥区 (county: "the county")       county office/leader/discipline/三员, 卫健局,
          水泉沟镇 (town)                    town office  (descendant of the county)
        双滦区 (county: "the sibling")      sibling office, sibling 卫健局
    四川省 (another province)              outsider office

Relations used by the permission matrix, seen from a problem in 双桥区:
self = county personas, ancestor = city/province personas, descendant = town personas,
sibling = 双滦区 personas, outsider = no membership or another province.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from ducha.accounts.models import Membership, User
from ducha.orgs.models import Org, Site, Team
from ducha.problems import actions
from ducha.problems.models import FocusArea, Problem

PASSWORD = "correct-horse-battery"


@dataclass
class World:
    orgs: dict[str, Org] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)

    def problem(self, *, by: str = "county_office", region: str = "county", **kwargs) -> Problem:
        """A new problem recorded by a persona (default: in the county)."""
        kwargs.setdefault("title", "卡口未登记过往车辆")
        kwargs.setdefault("focus_area", FocusArea.objects.get(code="screening"))
        kwargs.setdefault("found_at", timezone.now() - timedelta(hours=1))
        return actions.do_create_problem(
            acting_user=self.users[by], region=self.orgs[region], **kwargs
        )

    def assigned(self, unit: str = "county_dept", **kwargs) -> Problem:
        """A new problem assigned by the office that recorded it (else the county's)."""
        problem = self.problem(**kwargs)
        by = kwargs.get("by", "county_office")
        office = by if by.endswith("_office") else "county_office"
        return actions.do_assign(
            problem, acting_user=self.users[office], responsible_org=self.orgs[unit]
        )


def _region(name: str, level: int, parent: Org | None, code: str) -> Org:
    return Org.objects.create(kind="region", name=name, level=level, parent=parent, code=code)


def _user(world: World, key: str, name: str, org: str | None, role: str | None) -> User:
    user = User.objects.create_user(key, password=PASSWORD, name=name)
    if org and role:
        Membership.objects.create(user=user, org=world.orgs[org], role=role)
    world.users[key] = user
    return user


def build_world() -> World:
    w = World()
    o = w.orgs
    o["province"] = _region("河北省", 1, None, "130000")
    o["city"] = _region("承德市", 2, o["province"], "130800")
    o["county"] = _region("双桥区", 3, o["city"], "130802")
    o["town"] = _region("水泉沟镇", 4, o["county"], "130802100")
    o["sibling"] = _region("双滦区", 3, o["city"], "130803")
    o["other_province"] = _region("四川省", 1, None, "510000")
    for key, kind, name, parent in [
        ("province_office", "office", "河北省大督查办", "province"),
        ("city_office", "office", "承德市大督查办", "city"),
        ("city_command", "command", "承德市疫情防控指挥部", "city"),
        ("county_office", "office", "双桥区督查办", "county"),
        ("county_discipline", "discipline", "双桥区纪委监委", "county"),
        ("county_dept", "department", "双桥区卫健局", "county"),
        ("county_market_dept", "department", "双桥区市场监管局", "county"),
        ("town_office", "office", "水泉沟镇督查办", "town"),
        ("sibling_office", "office", "双滦区督查办", "sibling"),
        ("sibling_dept", "department", "双滦区卫健局", "sibling"),
        ("other_office", "office", "四川省督查办", "other_province"),
    ]:
        o[key] = Org.objects.create(kind=kind, name=name, parent=o[parent])

    for key, name, org, role in [
        ("province_office", "省督查办干部", "province_office", "office_staff"),
        ("province_leader", "省领导", "province_office", "leader"),
        ("city_office", "市督查办干部", "city_office", "office_staff"),
        ("city_leader", "市领导", "city_office", "leader"),
        ("city_command", "市指挥部干部", "city_command", "command"),
        ("county_office", "区督查办干部", "county_office", "office_staff"),
        ("county_leader", "区领导", "county_office", "leader"),
        ("county_discipline", "区纪委干部", "county_discipline", "discipline"),
        # 三员: the county's three administrators, none of whom acts in the loop.
        ("county_admin", "区系统管理员", "county_office", "system_admin"),
        ("county_security_admin", "区安全管理员", "county_office", "security_admin"),
        ("county_audit_admin", "区审计管理员", "county_office", "audit_admin"),
        ("county_handler", "卫健局经办人", "county_dept", "unit_handler"),
        ("market_handler", "市场监管局经办人", "county_market_dept", "unit_handler"),
        ("town_office", "镇督查办干部", "town_office", "office_staff"),
        ("sibling_office", "双滦区督查办干部", "sibling_office", "office_staff"),
        ("sibling_handler", "双滦区卫健局经办人", "sibling_dept", "unit_handler"),
        ("other_office", "四川省督查办干部", "other_office", "office_staff"),
        ("outsider", "无任职用户", None, None),
    ]:
        _user(w, key, name, org, role)

    for key, name, org, covers in [
        ("county_team_member", "区督查组组员", "county_office", "county"),
        ("province_team_member", "省驻承德市督查组组员", "province_office", "city"),
        ("sibling_team_member", "双滦区督查组组员", "sibling_office", "sibling"),
    ]:
        user = _user(w, key, name, org, "team_member")
        team = Team.objects.create(
            name=f"{o[covers].name}督查组",
            kind="joint" if covers != "city" else "stationed",
            dispatched_by=o[org],
            leader=user,
        )
        team.members.add(user)
        team.regions.add(o[covers])
        w.teams[key.removesuffix("_member")] = team

    w.sites["checkpoint"] = Site.objects.create(
        name="双桥区高速卡口", kind="checkpoint", region=o["town"]
    )
    w.sites["sibling_market"] = Site.objects.create(
        name="双滦区农贸市场", kind="market", region=o["sibling"]
    )
    return w
