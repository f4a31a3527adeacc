"""The condition lines of the org tree's and the problems' querysets, one case each."""

from __future__ import annotations

import pytest

from ducha.accounts.choices import Role
from ducha.accounts.models import Membership
from ducha.orgs.models import Org, Site, Team
from ducha.orgs.querysets import OrgQuerySet, SiteQuerySet, TeamQuerySet
from ducha.problems import actions
from ducha.problems.models import Problem
from ducha.problems.querysets import ProblemQuerySet
from tests.scoping.cases import Case, Rows, check_condition
from tests.world import World

pytestmark = pytest.mark.django_db

# The county's personas, one per role of the loop held at a county org.
COUNTY = {
    Role.OFFICE_STAFF: "county_office",
    Role.LEADER: "county_leader",
    Role.DISCIPLINE: "county_discipline",
}

# The county's administrators (三员): the system administrator administers the org tree, its
# sites and teams; the security and audit administrators see only the orgs (to find the
# accounts of their jurisdiction).
SYSTEM_ADMIN = {Role.SYSTEM_ADMIN: "county_admin"}
ADMINISTRATORS = {
    **SYSTEM_ADMIN,
    Role.SECURITY_ADMIN: "county_security_admin",
    Role.AUDIT_ADMIN: "county_audit_admin",
}


def _orgs_of_the_county(w: World) -> Rows:
    o = w.orgs
    return Rows([o["county"], o["town"], o["county_dept"]], [o["sibling"], o["sibling_dept"]])


def _orgs_of_the_city(w: World) -> Rows:
    o = w.orgs
    return Rows([o["city"], o["county"], o["sibling_dept"]], [o["province"], o["other_province"]])


def _orgs_of_the_unit(w: World) -> Rows:
    return Rows([w.orgs["county_dept"]], [w.orgs["county"], w.orgs["county_market_dept"]])


def _sites_of_the_county(w: World) -> Rows:
    return Rows([w.sites["checkpoint"]], [w.sites["sibling_market"]])


def _sites_of_the_city(w: World) -> Rows:
    far = Site.objects.create(name="成都卡口", kind="checkpoint", region=w.orgs["other_province"])
    return Rows([w.sites["checkpoint"], w.sites["sibling_market"]], [far])


def _teams_here(w: World) -> Rows:
    # Dispatched from inside the county, or sent into it from above.
    sent_in = Team.objects.create(
        name="市驻镇督查组", kind="stationed", dispatched_by=w.orgs["city_office"]
    )
    sent_in.regions.add(w.orgs["town"])
    return Rows(
        [w.teams["county_team"], sent_in], [w.teams["sibling_team"], w.teams["province_team"]]
    )


def _own_team(w: World) -> Rows:
    return Rows([w.teams["county_team"]], [w.teams["sibling_team"], w.teams["province_team"]])


def _sibling_problem(w: World) -> Problem:
    return w.problem(by="sibling_office", region="sibling", title="双滦区卡口无人")


def _problems_of_the_county(w: World) -> Rows:
    return Rows([w.problem(), w.problem(region="town")], [_sibling_problem(w)])


def _common_or_reported_to_the_command(w: World) -> Rows:
    office = w.users["county_office"]
    reported = actions.do_report_up(
        w.problem(nature="individual"),
        acting_user=office,
        to_org=w.orgs["city_command"],
        comment="请指挥部研究",
    )
    common = w.problem(nature="common")
    individual = w.problem(nature="individual")
    far = w.problem(by="other_office", region="other_province", nature="common")
    return Rows([reported, common], [individual, far])


def _problems_of_the_region_or_the_team(w: World) -> Rows:
    # The team's own finding counts wherever it was recorded.
    found_outside = _sibling_problem(w)
    Problem.objects.filter(pk=found_outside.pk).update(team=w.teams["county_team"])
    return Rows([w.problem(), found_outside], [_sibling_problem(w)])


def _problems_assigned_to_the_unit(w: World) -> Rows:
    return Rows([w.assigned("county_dept")], [w.assigned("county_market_dept"), w.problem()])


CASES = [
    *(
        Case(OrgQuerySet, role, persona, _orgs_of_the_county)
        for role, persona in (COUNTY | ADMINISTRATORS).items()
    ),
    Case(OrgQuerySet, Role.COMMAND, "city_command", _orgs_of_the_city),
    Case(OrgQuerySet, Role.TEAM_MEMBER, "county_team_member", _orgs_of_the_county),
    Case(OrgQuerySet, Role.UNIT_HANDLER, "county_handler", _orgs_of_the_unit),
    *(
        Case(SiteQuerySet, role, persona, _sites_of_the_county)
        for role, persona in (COUNTY | SYSTEM_ADMIN).items()
    ),
    Case(SiteQuerySet, Role.COMMAND, "city_command", _sites_of_the_city),
    Case(SiteQuerySet, Role.TEAM_MEMBER, "county_team_member", _sites_of_the_county),
    *(
        Case(TeamQuerySet, role, persona, _teams_here)
        for role, persona in (COUNTY | SYSTEM_ADMIN).items()
    ),
    Case(TeamQuerySet, Role.TEAM_MEMBER, "county_team_member", _own_team),
    *(
        Case(ProblemQuerySet, role, persona, _problems_of_the_county)
        for role, persona in COUNTY.items()
    ),
    Case(ProblemQuerySet, Role.COMMAND, "city_command", _common_or_reported_to_the_command),
    Case(
        ProblemQuerySet, Role.TEAM_MEMBER, "county_team_member", _problems_of_the_region_or_the_team
    ),
    Case(ProblemQuerySet, Role.UNIT_HANDLER, "county_handler", _problems_assigned_to_the_unit),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_condition(case: Case, world: World) -> None:
    check_condition(case, world)


def test_a_team_covering_no_region_sees_its_own_findings_only(world: World) -> None:
    office = world.orgs["county_office"]
    team = Team.objects.create(name="无辖区督查组", kind="special", dispatched_by=office)
    member = world.users["outsider"]
    Membership.objects.create(user=member, org=office, role=Role.TEAM_MEMBER)
    team.members.add(member)
    found = world.problem()
    Problem.objects.filter(pk=found.pk).update(team=team)
    world.problem()
    assert set(Problem.objects.visible_to(member)) == {found}
    # Its jurisdiction among the orgs falls back to the dispatching office's subtree.
    assert set(Org.objects.visible_to(member)) == {office}
