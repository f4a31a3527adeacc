"""A security administrator resets the second factor of an account of their jurisdiction."""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import Membership, SecurityEvent, User
from tests.twofactor.conftest import enrol, password_step, signed_in_as
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/accounts/security/users/{}/two-factor/reset/"


def security_admin(world, org: str) -> User:
    user = User.objects.create_user(f"security_{org}", password=PASSWORD, name="安全管理员")
    Membership.objects.create(user=user, org=world.orgs[org], role="security_admin")
    return user


@pytest.fixture
def enrolled(client, world) -> User:
    """The county's office staff member, with a second factor set up."""
    user = world.users["county_office"]
    client.force_login(user)
    enrol(client)
    client.logout()
    return user


def test_a_security_administrator_of_the_jurisdiction_resets_it(client, world, enrolled):
    admin = security_admin(world, "county_office")
    client.force_login(admin)
    page = client.get(URL.format(enrolled.pk))
    assert page.status_code == 200
    assert 'data-testid="reset-two-factor"' in page.content.decode()
    response = client.post(URL.format(enrolled.pk), follow=True)
    assert "已重置" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=enrolled).exists()
    assert not StaticDevice.objects.filter(user=enrolled).exists()
    [reset] = SecurityEvent.objects.filter(kind=SecurityEventKind.OTP_RESET)
    assert reset.actor == admin and reset.subject == enrolled
    # The account now logs in with its password alone (office staff: the policy is off).
    client.logout()
    assert password_step(client, "county_office", PASSWORD)["Location"] == "/"
    assert signed_in_as(client) == "county_office"


@pytest.mark.parametrize("who", ["sibling", "office_staff", "system_admin", "self"])
def test_anyone_else_gets_404_and_nothing_changes(client, world, enrolled, who):
    if who == "sibling":
        actor = security_admin(world, "sibling_office")
    elif who == "office_staff":
        actor = world.users["county_leader"]
    elif who == "system_admin":
        actor = world.users["county_admin"]
    else:
        actor = enrolled
        Membership.objects.create(
            user=enrolled, org=world.orgs["county_office"], role="security_admin"
        )
    client.force_login(actor)
    assert client.get(URL.format(enrolled.pk)).status_code == 404
    assert client.post(URL.format(enrolled.pk)).status_code == 404
    assert TOTPDevice.objects.filter(user=enrolled).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.OTP_RESET).exists()


def test_a_reset_administrator_sets_up_again_at_the_next_login(client, world):
    admin_user = world.users["county_admin"]
    password_step(client, "county_admin", PASSWORD)
    enrol(client)
    client.logout()
    security = security_admin(world, "county_office")
    client.force_login(security)
    client.post(URL.format(admin_user.pk))
    client.logout()
    response = password_step(client, "county_admin", PASSWORD)
    assert response["Location"] == "/accounts/two-factor/setup/"
    assert signed_in_as(client) is None
