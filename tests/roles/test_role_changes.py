"""Roles change through `do_grant_role` / `do_withdraw_role`, in the admin site as in code:
one audit row each, and 三员分立's constraint refused on the `role` field, nothing saved,
with an audit row of the refusal."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ducha.accounts.choices import Role, SecurityEventKind
from ducha.accounts.models import Membership, SecurityEvent, User
from ducha.accounts.roles import do_grant_role, do_withdraw_role
from ducha.core.errors import InvalidInput
from tests.roles.forms import add_membership_row, form_data
from tests.roles.test_separation import system_administrator
from tests.world import PASSWORD, World

pytestmark = pytest.mark.django_db

TWO_ADMINISTRATORS = "一个账号只能担任系统管理员、安全管理员、审计管理员三者之一。"
ONLY_A_SUPERUSER = "只有超级用户可以授予管理员角色。"


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser("root", password=PASSWORD)


def _signed_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _page(client: Client, user: User) -> dict[str, Any]:
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    return form_data(page.content.decode())


def _grant_in_admin(client: Client, user: User, org: Any, role: str, **changes: str) -> Any:
    data = add_membership_row(_page(client, user), org.pk, role)
    data.update(changes)
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def _events(kind: str, **filters: Any) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind, **filters).order_by("pk"))


def _roles(user: User) -> set[str]:
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


def test_a_superuser_grants_the_security_and_audit_roles_in_the_admin(world: World, root):
    client = _signed_in(root)
    office = world.orgs["county_office"]
    for username, role in (("新安全管理员", "security_admin"), ("新审计管理员", "audit_admin")):
        person = User.objects.create_user(username, password=PASSWORD)
        answer = _grant_in_admin(client, person, office, role)
        assert answer.status_code == 302, answer.content.decode()[:2000]
        assert _roles(person) == {role}
        (event,) = _events(SecurityEventKind.MEMBERSHIP_ADDED, subject=person)
        assert event.actor == root and event.detail["role"] == role
        assert event.detail["org"] == office.pk


def test_two_administrator_roles_are_refused_in_the_admin_and_nothing_is_saved(world, root):
    client = _signed_in(root)
    auditor = world.users["county_audit_admin"]
    answer = _grant_in_admin(
        client, auditor, world.orgs["county_office"], "security_admin", name="改过的名字"
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert TWO_ADMINISTRATORS in html
    # On the row's role field.
    assert 'class="field-role"' in html and "errorlist" in html
    auditor.refresh_from_db()
    assert _roles(auditor) == {"audit_admin"} and auditor.name == "区审计管理员"
    (refusal,) = _events(SecurityEventKind.ROLE_REFUSED, subject=auditor)
    assert refusal.actor == root and refusal.detail["role"] == "security_admin"
    assert not _events(SecurityEventKind.MEMBERSHIP_ADDED)


def test_an_administrator_role_takes_no_loop_role_in_the_admin(world, root):
    client = _signed_in(root)
    office = world.orgs["county_office"]
    for persona, role in (("county_admin", "office_staff"), ("county_office", "system_admin")):
        person = world.users[persona]
        before = _roles(person)
        answer = _grant_in_admin(client, person, office, role)
        assert answer.status_code == 200 and "管理员" in answer.content.decode()
        assert _roles(person) == before
    assert len(_events(SecurityEventKind.ROLE_REFUSED)) == 2


def test_a_system_administrator_grants_and_withdraws_loop_roles_in_the_county(world):
    client = system_administrator(world)
    admin = world.users["county_admin"]
    person = world.users["market_handler"]
    answer = _grant_in_admin(client, person, world.orgs["town_office"], "office_staff")
    assert answer.status_code == 302
    assert _roles(person) == {"unit_handler", "office_staff"}
    (added,) = _events(SecurityEventKind.MEMBERSHIP_ADDED, subject=person)
    assert added.actor == admin and added.detail["role"] == "office_staff"
    # Withdrawn by ticking the row's delete box.
    data = _page(client, person)
    granted = Membership.objects.get(user=person, role="office_staff")
    row = next(
        key for key, value in data.items() if key.endswith("-id") and value == str(granted.pk)
    )
    data[row.replace("-id", "-DELETE")] = "on"
    assert client.post(f"/admin/accounts/user/{person.pk}/change/", data).status_code == 302
    assert _roles(person) == {"unit_handler"}
    (removed,) = _events(SecurityEventKind.MEMBERSHIP_REMOVED, subject=person)
    assert removed.actor == admin and removed.detail["role"] == "office_staff"


def test_a_system_administrator_grants_no_administrator_role(world):
    client = system_administrator(world)
    person = world.users["market_handler"]
    for role in ("security_admin", "audit_admin", "system_admin"):
        answer = _grant_in_admin(client, person, world.orgs["county_office"], role)
        assert answer.status_code == 200 and ONLY_A_SUPERUSER in answer.content.decode()
    assert _roles(person) == {"unit_handler"}
    assert len(_events(SecurityEventKind.ROLE_REFUSED, subject=person)) == 3


def test_a_system_administrator_gives_a_new_account_its_first_role(world):
    client = system_administrator(world)
    page = form_data(client.get("/admin/accounts/user/add/").content.decode())
    page.update(
        {
            "username": "new_handler",
            "password1": "Xk7-quartz-Lamp",
            "password2": "Xk7-quartz-Lamp",
            "usable_password": "true",
        }
    )
    data = add_membership_row(page, world.orgs["county_dept"].pk, "unit_handler")
    answer = client.post("/admin/accounts/user/add/", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    person = User.objects.get(username="new_handler")
    assert _roles(person) == {"unit_handler"}
    assert _events(SecurityEventKind.MEMBERSHIP_ADDED, subject=person)


def test_an_administrator_setting_a_password_is_recorded(world):
    client = system_administrator(world)
    person = world.users["market_handler"]
    answer = client.post(
        f"/admin/accounts/user/{person.pk}/password/",
        {
            "password1": "Fresh-start-2026",
            "password2": "Fresh-start-2026",
            "usable_password": "true",
        },
    )
    assert answer.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Fresh-start-2026")
    (reset,) = _events(SecurityEventKind.PASSWORD_RESET)
    assert reset.actor == world.users["county_admin"] and reset.subject == person
    # A refused password (the policy) sets nothing and records no reset.
    client.post(
        f"/admin/accounts/user/{person.pk}/password/",
        {"password1": "12345678", "password2": "12345678", "usable_password": "true"},
    )
    assert len(_events(SecurityEventKind.PASSWORD_RESET)) == 1


# The actions themselves, for callers other than the admin site -------------------------


def test_the_action_refuses_a_second_administrator_role_and_records_it(world, root):
    auditor = world.users["county_audit_admin"]
    with pytest.raises(InvalidInput) as refused:
        do_grant_role(
            auditor, acting_user=root, org=world.orgs["county_office"], role=Role.SYSTEM_ADMIN
        )
    assert refused.value.field == "role" and refused.value.message == TWO_ADMINISTRATORS
    assert _roles(auditor) == {"audit_admin"}
    assert len(_events(SecurityEventKind.ROLE_REFUSED, subject=auditor)) == 1


def test_the_action_refuses_what_the_acting_user_may_not_grant(world, root):
    admin = world.users["county_admin"]
    office = world.orgs["county_office"]
    refused = [
        # An administrator role: a superuser's.
        (world.users["market_handler"], office, Role.SECURITY_ADMIN),
        # Outside the jurisdiction.
        (world.users["market_handler"], world.orgs["sibling_office"], Role.OFFICE_STAFF),
        # An account of another jurisdiction.
        (world.users["sibling_handler"], office, Role.OFFICE_STAFF),
        # Oneself, and a superuser.
        (admin, office, Role.OFFICE_STAFF),
        (root, office, Role.OFFICE_STAFF),
    ]
    for person, org, role in refused:
        with pytest.raises(InvalidInput) as refusal:
            do_grant_role(person, acting_user=admin, org=org, role=role)
        assert refusal.value.field == "role"
    assert len(_events(SecurityEventKind.ROLE_REFUSED)) == len(refused)
    assert not _events(SecurityEventKind.MEMBERSHIP_ADDED)
    granted = do_grant_role(
        world.users["market_handler"], acting_user=admin, org=office, role=Role.OFFICE_STAFF
    )
    assert granted.role == "office_staff"


def test_the_action_withdraws_administrator_roles_for_a_superuser_only(world, root):
    security = Membership.objects.get(user=world.users["county_security_admin"])
    with pytest.raises(InvalidInput) as refused:
        do_withdraw_role(security, acting_user=world.users["county_admin"])
    assert refused.value.field == "role"
    assert Membership.objects.filter(pk=security.pk).exists()
    do_withdraw_role(security, acting_user=root)
    assert not Membership.objects.filter(pk=security.pk).exists()
    (removed,) = _events(SecurityEventKind.MEMBERSHIP_REMOVED)
    assert removed.actor == root and removed.detail["role"] == "security_admin"
    assert len(_events(SecurityEventKind.ROLE_REFUSED)) == 1


def test_the_membership_list_is_read_only(world):
    """Roles are granted on the user's page, through the actions, never as bare rows."""
    client = system_administrator(world)
    membership = Membership.objects.get(user=world.users["market_handler"])
    assert client.get("/admin/accounts/membership/").status_code == 200
    assert client.get("/admin/accounts/membership/add/").status_code == 403
    added = client.post(
        "/admin/accounts/membership/add/",
        {
            "user": world.users["market_handler"].pk,
            "org": world.orgs["county_office"].pk,
            "role": "office_staff",
        },
    )
    assert added.status_code == 403
    deleted = client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    assert _roles(world.users["market_handler"]) == {"unit_handler"}
