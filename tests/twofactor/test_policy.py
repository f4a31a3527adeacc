"""Who must use a second factor: administrators, superusers, listed roles, flagged orgs.

An account the policy covers but without a device is sent to enrolment right after the
password, and the enrolment completes the login."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from ducha.accounts.models import User
from tests.twofactor.conftest import (
    device_key,
    enrol,
    next_code,
    password_step,
    signed_in_as,
)
from tests.world import PASSWORD as WORLD_PASSWORD

pytestmark = pytest.mark.django_db


def world_login(client, username: str):
    return password_step(client, username, WORLD_PASSWORD)


def test_an_administrator_is_sent_to_enrolment_before_anything_else(client, world):
    response = world_login(client, "county_admin")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/setup/"
    # Not signed in: every page still sends to the login, the API answers 401.
    assert signed_in_as(client) is None
    assert client.get("/problems/queue/")["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/problems").status_code == 401
    page = client.get("/accounts/two-factor/setup/")
    assert "须使用双因素认证登录" in page.content.decode()
    enrol(client)
    # The enrolment completed the login.
    assert signed_in_as(client) == "county_admin"
    assert client.get("/problems/queue/").status_code == 200
    # Next time the code is asked for.
    client.logout()
    assert world_login(client, "county_admin")["Location"] == "/accounts/login/code/"
    key = device_key(world.users["county_admin"])
    client.post("/accounts/login/code/", {"code": next_code(key)})
    assert signed_in_as(client) == "county_admin"


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
def test_every_administrator_role_requires_it_whatever_the_setting(client, world, settings, role):
    settings.DUCHA_TWO_FACTOR_ROLES = []
    user = world.users["outsider"]
    user.memberships.create(org=world.orgs["county_office"], role=role)
    assert world_login(client, "outsider")["Location"] == "/accounts/two-factor/setup/"


def test_a_superuser_requires_it(client, db):
    User.objects.create_superuser("root", password=WORLD_PASSWORD)
    assert world_login(client, "root")["Location"] == "/accounts/two-factor/setup/"


def test_others_log_straight_in_unless_the_setting_lists_their_role(client, world, settings):
    assert world_login(client, "county_leader")["Location"] == "/"
    client.logout()
    settings.DUCHA_TWO_FACTOR_ROLES = ["leader"]
    assert world_login(client, "county_leader")["Location"] == "/accounts/two-factor/setup/"
    assert world_login(Client(), "county_office")["Location"] == "/"


def test_an_org_flagged_requires_it_of_everyone_in_its_subtree(client, world):
    county = world.orgs["county"]
    county.two_factor_required = True
    county.save()
    # The 卫健局 is a department under the flagged county: its handler must enrol.
    assert world_login(client, "county_handler")["Location"] == "/accounts/two-factor/setup/"
    # The sibling county is not flagged, nor is the city above.
    assert world_login(Client(), "sibling_handler")["Location"] == "/"
    assert world_login(Client(), "city_office")["Location"] == "/"


def test_an_account_the_policy_covers_cannot_turn_it_off(client, world):
    world_login(client, "county_admin")
    enrol(client)
    response = client.post("/accounts/two-factor/disable/", follow=True)
    assert "不能关闭" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.users["county_admin"]).exists()
    assert 'data-testid="disable"' not in client.get("/accounts/two-factor/").content.decode()


def test_the_admin_login_is_no_way_around_the_second_factor(client, db):
    root = User.objects.create_superuser("root", password=WORLD_PASSWORD)
    response = password_step(client, "root", WORLD_PASSWORD, path="/admin/login/")
    assert response["Location"] == "/accounts/two-factor/setup/"
    assert signed_in_as(client) is None
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    enrol(client)
    client.logout()
    # Enrolled: the admin's login asks for the code too, and only then opens the admin.
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "root", "password": WORLD_PASSWORD}
    )
    assert response["Location"] == "/accounts/login/code/"
    assert client.get("/admin/").status_code == 302
    response = client.post("/accounts/login/code/", {"code": next_code(device_key(root))})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # No page of django-otp's in the admin shows the secrets or the recovery codes.
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404
