"""三员分立: the county's three administrators see nothing of the loop, through the pages and
the API, and answer exactly as an outsider does; the system administrator manages the
county's accounts in the admin site."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from ducha.daily import actions as daily
from ducha.documents import actions as documents
from ducha.ledger.actions import do_upload_import
from ducha.problems.models import FocusArea, Problem
from tests.census.county import _ledger
from tests.world import PASSWORD, World

pytestmark = pytest.mark.django_db

ADMINISTRATORS = ["county_admin", "county_security_admin", "county_audit_admin"]


def _client(world: World, persona: str) -> Client:
    client = Client()
    assert client.login(username=world.users[persona].username, password=PASSWORD)
    return client


def _loop_addresses(world: World, tmp_path) -> list[str]:
    """A page and an API answer for one county object of every kind of the loop."""
    office, member = world.users["county_office"], world.users["county_team_member"]
    yesterday = timezone.localdate() - timedelta(days=1)
    problem = world.assigned(title="本区问题")
    report, _ = daily.do_draft_report(world.teams["county_team"], yesterday, acting_user=member)
    summary, _ = daily.do_draft_summary(world.orgs["county_office"], yesterday, acting_user=office)
    document = documents.do_create_draft(
        acting_user=office, kind="bulletin", issuer=world.orgs["county_office"], params={}
    )
    batch = do_upload_import(acting_user=office, upload=_ledger("台账.xlsx"))
    county = world.orgs["county"].pk
    return [
        f"/problems/{problem.pk}/",
        f"/api/v1/problems/{problem.pk}",
        f"/daily/reports/{report.pk}/",
        f"/api/v1/daily/reports/{report.pk}",
        f"/daily/summaries/{summary.pk}/",
        f"/api/v1/daily/summaries/{summary.pk}",
        f"/documents/{document.pk}/",
        f"/api/v1/documents/{document.pk}",
        f"/ledger/imports/{batch.pk}/",
        f"/api/v1/ledger/imports/{batch.pk}",
        f"/reports/regions/{county}/",
        f"/api/v1/dashboard?region={county}",
    ]


@pytest.mark.parametrize("persona", ADMINISTRATORS)
def test_an_administrator_opens_nothing_of_the_loop_like_an_outsider(
    world, persona, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    addresses = _loop_addresses(world, tmp_path)
    office = _client(world, "county_office")
    for address in addresses:
        assert office.get(address).status_code == 200, address  # the control: they exist
    administrator, outsider = _client(world, persona), _client(world, "outsider")
    for address in addresses:
        answer = administrator.get(address).status_code
        assert answer in (403, 404), address
        assert answer == outsider.get(address).status_code, address


@pytest.mark.parametrize("persona", ADMINISTRATORS)
def test_an_administrator_lists_nothing_of_the_loop_and_takes_no_action(world, persona):
    problem = world.problem(title="本区新问题")
    client = _client(world, persona)
    assert client.get("/api/v1/problems").json()["count"] == 0
    assert "本区新问题" not in client.get("/problems/").content.decode()
    answer = client.post(
        f"/problems/{problem.pk}/act/assign/", {"responsible_org": world.orgs["county_dept"].pk}
    )
    assert answer.status_code == 404
    assert Problem.objects.get(pk=problem.pk).state == "new"
    # No loop tab in the menu, and the dashboard says why there is nothing.
    home = client.get("/reports/").content.decode()
    assert 'data-testid="administrator"' in home
    assert 'data-nav="documents:list"' not in home and 'data-nav="daily:home"' not in home


def test_an_administrator_cannot_record_a_problem(world):
    body = {
        "title": "卡口无人值守",
        "region": world.orgs["county"].pk,
        "focus_area": FocusArea.objects.get(code="screening").pk,
    }
    before = Problem.objects.count()
    for persona in ADMINISTRATORS:
        answer = _client(world, persona).post("/api/v1/problems", body, "application/json")
        assert answer.status_code == 403, persona
        assert _client(world, persona).get("/problems/new/").status_code == 403, persona
    assert Problem.objects.count() == before
    # The control: the same body records a problem for the office.
    office = _client(world, "county_office")
    assert office.post("/api/v1/problems", body, "application/json").status_code == 201


def test_the_security_and_audit_administrators_see_the_orgs_of_their_jurisdiction(world):
    for persona in ("county_security_admin", "county_audit_admin"):
        client = _client(world, persona)
        names = {org["name"] for org in client.get("/api/v1/orgs?page_size=200").json()["items"]}
        assert {"双桥区", "双桥区卫健局", "水泉沟镇"} <= names
        assert not names & {"双滦区", "承德市", "四川省"}
        assert client.get("/api/v1/sites").json()["items"] == []


def system_administrator(world: World) -> Client:
    """The county's system administrator with the admin rights the demo gives one."""
    user = world.users["county_admin"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    rights = Permission.objects.filter(content_type__app_label="orgs")
    rights |= Permission.objects.filter(
        content_type__app_label="accounts", content_type__model__in=["user", "membership"]
    )
    user.user_permissions.set(rights)
    return _client(world, "county_admin")


def test_the_system_administrator_manages_the_countys_accounts_not_its_problems(world):
    problem = world.problem(title="本区问题")
    client = system_administrator(world)
    users = client.get("/admin/accounts/user/").content.decode()
    handler = world.users["county_handler"]
    assert f"/admin/accounts/user/{handler.pk}/change/" in users
    assert f"/admin/accounts/user/{world.users['sibling_handler'].pk}/change/" not in users
    page = client.get(f"/admin/accounts/user/{handler.pk}/change/").content.decode()
    assert 'name="_save"' in page and 'name="memberships-TOTAL_FORMS"' in page
    assert client.get("/admin/orgs/org/").status_code == 200
    assert client.get(f"/admin/problems/problem/{problem.pk}/change/").status_code == 403


def test_the_other_administrators_accounts_are_a_superusers(world):
    """A system administrator who could set the audit administrator's password could read
    the trail of his own administration as the auditor."""
    client = system_administrator(world)
    for persona in ("county_security_admin", "county_audit_admin"):
        person = world.users[persona]
        page = client.get(f"/admin/accounts/user/{person.pk}/change/")
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        answer = client.post(
            f"/admin/accounts/user/{person.pk}/password/",
            {"password1": "Taken-over-2026", "password2": "Taken-over-2026"},
        )
        assert answer.status_code == 403
        person.refresh_from_db()
        assert not person.check_password("Taken-over-2026")
