"""Every demo login works and sees its own jurisdiction, nothing beyond it."""

from __future__ import annotations

import pytest
from django.test import Client

from ducha.accounts.models import User
from ducha.demo.cast import PASSWORD
from ducha.demo.logins import LOGINS
from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.orgs.models import Org
from ducha.problems.models import Problem
from tests.twofactor.conftest import enrol

pytestmark = pytest.mark.django_db

# The region each login works in, and whether it sees all of it (region-wide roles) or a
# part (a team's regions and finds, a unit's assignments, a command's common problems).
SCOPES = {
    "hebei.office": ("130000", "all"),
    "hebei.leader": ("130000", "all"),
    "hebei.xingtai": ("130500", "all"),
    "chengde.office": ("130800", "all"),
    "neiqiu.office": ("130523", "all"),
    "neiqiu.handler": ("130523", "part"),
    "chengdu.office": ("510109", "all"),
    "chengdu.leader": ("510109", "all"),
    "chengdu.command": ("510109", "part"),
    "chengdu.discipline": ("510109", "all"),
    "chengdu.handler": ("510109", "part"),
    "chengdu.team7": ("510109", "part"),
    "huian.office": ("350521", "all"),
    "huian.leader": ("350521", "all"),
    "huian.command": ("350521", "part"),
    "huian.discipline": ("350521", "all"),
    "huian.joint3": ("350521", "all"),
    "huian.handler": ("350521", "part"),
    "tianjin.hebei.office": ("120105", "all"),
    "tianjin.hebei.team1": ("120105", "all"),
    "tianjin.hebei.handler": ("120105", "part"),
    "luohe.office": ("411100", "all"),
    "luohe.command": ("411100", "part"),
    "luohe.handler": ("411100", "part"),
}


def visible_ids(client: Client) -> set[int]:
    ids: set[int] = set()
    page = 1
    while True:
        body = client.get("/api/v1/problems", {"page": page, "page_size": 100}).json()
        ids |= {item["id"] for item in body["items"]}
        if page * 100 >= body["count"]:
            return ids
        page += 1


def in_region(code: str) -> set[int]:
    region = Org.objects.get(kind="region", code=code)
    field = LEVEL_FIELDS[RegionLevel(region.level)]
    return set(Problem.objects.filter(**{f"{field}_id": region.pk}).values_list("pk", flat=True))


# The zone's three administrators (三员): each sees nothing of the supervision work.
ADMINISTRATORS = {"chengdu.admin", "chengdu.security", "chengdu.audit"}


# The zone's police: no problem at all, only the referrals addressed to it.
REFERRAL_RECEIVERS = {"chengdu.police"}
# The organisation department reads cadres, not the loop (docs/cadres.md).
ORGANISATION = {"tangshan.organisation"}


def test_the_table_covers_every_login():
    assert (
        set(SCOPES) == set(LOGINS) - {"admin"} - ADMINISTRATORS - REFERRAL_RECEIVERS - ORGANISATION
    )


def test_the_police_sees_no_problem_and_its_own_referrals(demo, signed_in):
    client = signed_in("chengdu.police")
    assert client.get("/api/v1/problems").json()["count"] == 0
    items = client.get("/api/v1/referrals").json()["items"]
    assert items
    assert {item["receiver"]["name"] for item in items} == {"成都高新区公安分局"}


def test_the_organisation_department_sees_no_problem(demo, signed_in):
    for username in ORGANISATION:
        assert visible_ids(signed_in(username)) == set(), username


@pytest.mark.parametrize("username", LOGINS)
def test_every_login_signs_in_through_the_login_page(demo, db, username):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, username
    if username in {"admin"} | ADMINISTRATORS:
        # Administrators and the superuser set up their second factor to complete the login.
        assert response["Location"] == "/accounts/two-factor/setup/", username
        enrol(client)
    assert client.get("/problems/queue/").status_code == 200


@pytest.mark.parametrize("username", sorted(SCOPES))
def test_every_login_sees_its_jurisdiction_and_nothing_else(demo, signed_in, username):
    code, extent = SCOPES[username]
    seen, region = visible_ids(signed_in(username)), in_region(code)
    assert seen, username
    assert seen <= region, username
    if extent == "all":
        assert seen == region, username
    else:
        assert seen < region, username


def test_a_unit_handler_sees_only_what_was_assigned_to_its_unit(demo, signed_in):
    client = signed_in("chengdu.handler")
    items = client.get("/api/v1/problems", {"page_size": 100}).json()["items"]
    assert {item["responsible_org"]["name"] for item in items} == {"高新区市场监管局"}


def test_the_superuser_has_the_admin_site_but_no_jurisdiction(demo, signed_in):
    client = signed_in("admin")
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/problems").json()["count"] == 0


def test_the_zone_system_administrator_manages_accounts_not_problems(demo, signed_in):
    client = signed_in("chengdu.admin")
    assert client.get("/admin/").status_code == 200
    zone_person = User.objects.get(username="chengdu.handler")
    huian_person = User.objects.get(username="huian.handler")
    users = client.get("/admin/accounts/user/", {"all": ""}).content.decode()
    assert f"/admin/accounts/user/{zone_person.pk}/change/" in users
    assert f"/admin/accounts/user/{huian_person.pk}/change/" not in users
    assert client.get(f"/admin/accounts/user/{zone_person.pk}/change/").status_code == 200
    assert client.get(f"/admin/accounts/user/{huian_person.pk}/change/").status_code == 302
    # Nothing of the loop, in the admin site or the application.
    zone_problem = Problem.objects.filter(county__code="510109").first()
    assert client.get("/admin/problems/problem/").status_code == 403
    assert client.get(f"/admin/problems/problem/{zone_problem.pk}/change/").status_code == 403
    assert client.get(f"/problems/{zone_problem.pk}/").status_code == 404
    assert client.get("/api/v1/problems").json()["count"] == 0


@pytest.mark.parametrize("username", ["chengdu.security", "chengdu.audit"])
def test_the_security_and_audit_administrators_see_nothing_of_the_loop(demo, signed_in, username):
    client = signed_in(username)
    zone_problem = Problem.objects.filter(county__code="510109").first()
    assert client.get(f"/problems/{zone_problem.pk}/").status_code == 404
    assert client.get("/api/v1/problems").json()["count"] == 0
    # Not the system administrator's admin site either.
    assert client.get("/admin/accounts/user/").status_code == 302
