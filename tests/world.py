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

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from ducha.accounts.models import Membership, User
from ducha.orgs.choices import LEVEL_FIELDS
from ducha.orgs.models import Org, Site, Team
from ducha.orgs.natural import natural_key
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


def _orgs(rows: list[tuple[str, str, str, str | None, int | None, str]]) -> dict[str, Org]:
    """Orgs written in as few inserts as their parents allow, in the order given.

    Each batch holds orgs whose parents are already written; the tree fields then come from
    `Org._derive_tree_fields`, the derivation `Org.save` runs, and are written with one plain
    update an org. About a third of the statements of saving each org (a savepoint, an insert
    and an update): most of the suite builds this world.
    """
    orgs: dict[str, Org] = {}
    pending = list(rows)
    while pending:
        batch = [row for row in pending if row[3] is None or row[3] in orgs]
        if not batch:  # a parent named by no row: say which rather than loop for ever
            raise ValueError(f"parents not among the orgs: {sorted({row[3] for row in pending})}")
        pending = [row for row in pending if row not in batch]
        made = Org.objects.bulk_create(
            Org(kind=kind, name=name, level=level, code=code, parent=orgs.get(parent))
            for _key, kind, name, parent, level, code in batch
        )
        orgs.update(zip((row[0] for row in batch), made, strict=True))
    fields = ["path", "depth", "tree_order", *(f"{field}_id" for field in LEVEL_FIELDS.values())]
    for org in sorted(orgs.values(), key=lambda org: org.pk):
        org._derive_tree_fields()
        # One plain update each: bulk_update's CASE over every field costs more to build.
        Org.objects.filter(pk=org.pk).update(**{name: getattr(org, name) for name in fields})
    return orgs


def build_world() -> World:
    w = World()
    o = w.orgs
    region, body = "region", None
    o.update(
        _orgs(
            [
                ("province", region, "河北省", None, 1, "130000"),
                ("city", region, "承德市", "province", 2, "130800"),
                ("county", region, "双桥区", "city", 3, "130802"),
                ("town", region, "水泉沟镇", "county", 4, "130802100"),
                ("sibling", region, "双滦区", "city", 3, "130803"),
                ("other_province", region, "四川省", None, 1, "510000"),
            ]
            + [
                (key, kind, name, parent, body, "")
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
                ]
            ]
        )
    )

    people = [
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
        # Team members: each leads the team of the region after them (below).
        ("county_team_member", "区督查组组员", "county_office", "team_member"),
        ("province_team_member", "省驻承德市督查组组员", "province_office", "team_member"),
        ("sibling_team_member", "双滦区督查组组员", "sibling_office", "team_member"),
    ]
    # Everyone logs in with the one password: hashed once, by the hasher the test runs with.
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(username=key, name=name, password=password) for key, name, _org, _role in people
    )
    w.users.update(zip((row[0] for row in people), users, strict=True))
    Membership.objects.bulk_create(
        Membership(user=w.users[key], org=o[org], role=role)
        for key, _name, org, role in people
        if org and role
    )

    covered = [
        ("county_team_member", "county_office", "county"),
        ("province_team_member", "province_office", "city"),
        ("sibling_team_member", "sibling_office", "sibling"),
    ]
    teams = [
        Team(
            name=f"{o[covers].name}督查组",
            kind="joint" if covers != "city" else "stationed",
            dispatched_by=o[office],
            leader=w.users[key],
        )
        for key, office, covers in covered
    ]
    for team in teams:
        team.sort_key = natural_key(team.name)  # what Team.save stores
    Team.objects.bulk_create(teams)
    Team.members.through.objects.bulk_create(
        Team.members.through(team=team, user=w.users[key])
        for team, (key, _office, _covers) in zip(teams, covered, strict=True)
    )
    Team.regions.through.objects.bulk_create(
        Team.regions.through(team=team, org=o[covers])
        for team, (_key, _office, covers) in zip(teams, covered, strict=True)
    )
    for team, (key, _office, _covers) in zip(teams, covered, strict=True):
        w.teams[key.removesuffix("_member")] = team

    w.sites["checkpoint"] = Site.objects.create(
        name="双桥区高速卡口", kind="checkpoint", region=o["town"]
    )
    w.sites["sibling_market"] = Site.objects.create(
        name="双滦区农贸市场", kind="market", region=o["sibling"]
    )
    return w
