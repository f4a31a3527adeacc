"""Every registered ModelAdmin, walked as a district administrator with every model
permission: nothing of another jurisdiction is listed, opened, changed, deleted or offered,
shared catalogues are read-only, and a superuser still edits them. A ModelAdmin registered
later is walked too, and fails until tests/admin/oracle.py says whose its rows are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from ducha.accounts.actions import do_issue_token
from ducha.accounts.models import User
from ducha.documents import actions as documents
from ducha.documents.models import Letterhead
from ducha.notices.delivery.models import Delivery, OrgChannel
from ducha.notices.models import Notification
from ducha.problems.models import FocusArea
from tests.admin.oracle import ORACLE
from tests.admin.walk import walk
from tests.world import PASSWORD, World

pytestmark = pytest.mark.django_db

APPS = ["auth", "orgs", "accounts", "problems", "fieldwork", "documents"]


def _with_every_permission(user: User) -> None:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=APPS))


def _signed_in(username: str, password: str) -> Client:
    client = Client()
    assert client.login(username=username, password=password), username
    return client


def _root_of(user: User) -> str:
    """The region the administrator's office belongs to."""
    office = user.memberships.get(role="system_admin").org
    return office.parent.path


def _populate(world: World) -> None:
    """Rows of every kind on both sides of the county's border."""
    world.assigned(title="本区问题")
    world.problem(by="sibling_office", region="sibling", title="邻区问题")
    world.problem(by="other_office", region="other_province", title="外省问题")
    # Issued through the action, so that their events are rows on both sides too.
    do_issue_token(acting_user=world.users["county_handler"], name="经办人脚本")
    do_issue_token(acting_user=world.users["sibling_handler"], name="邻区脚本")
    for office in ("county_office", "sibling_office", "other_office"):
        Letterhead.objects.create(org=world.orgs[office], masthead=world.orgs[office].name)
        # A group robot of each office, and a delivery through it to one of its staff.
        robot = OrgChannel.objects.create(
            org=world.orgs[office], channel="wecom", label=office, webhook_url="https://a.b/c"
        )
        notification = Notification.objects.create(
            recipient=world.users[office], kind="assigned", title="通知", body="", source_key="a"
        )
        Delivery.objects.create(
            notification=notification, channel="wecom", target=robot.target, robot=robot
        )
    for office in ("county_office", "sibling_office"):
        draft = documents.do_create_draft(
            acting_user=world.users[office],
            kind="bulletin",
            issuer=world.orgs[office],
            params={"as_of": (timezone.localdate() - timedelta(days=1)).isoformat()},
        )
        documents.do_issue_document(draft, acting_user=world.users[office])


def test_every_registered_model_has_an_oracle():
    labels = {model._meta.label_lower for model in admin.site._registry}
    assert labels == set(ORACLE), "keep tests/admin/oracle.py in step with the admin"


def test_the_county_administrator_reaches_nothing_foreign(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _populate(world)
    user = world.users["county_admin"]
    _with_every_permission(user)
    faults = walk(_signed_in(user.username, PASSWORD), _root_of(user))
    assert not faults, "\n".join(faults)


def test_a_district_administrator_cannot_change_a_focus_area(world):
    """The attack of issue 9: renamed, and given a 1-hour deadline for every province."""
    user = world.users["county_admin"]
    _with_every_permission(user)
    client = _signed_in(user.username, PASSWORD)
    area = FocusArea.objects.order_by("pk").first()
    url = f"/admin/problems/focusarea/{area.pk}/change/"
    assert client.get("/admin/problems/focusarea/").status_code == 200
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    changed = {"code": area.code, "name": "改名", "deadline_hours": 1, "position": 0}
    assert client.post(url, changed).status_code == 403
    assert client.get("/admin/problems/focusarea/add/").status_code == 403
    added = {"code": "new-area", "name": "新重点", "position": 0}
    assert client.post("/admin/problems/focusarea/add/", added).status_code == 403
    assert (
        client.post(f"/admin/problems/focusarea/{area.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    area.refresh_from_db()
    assert area.name != "改名" and area.deadline_hours != 1
    assert not FocusArea.objects.filter(code="new-area").exists()
    # Groups hand out permissions in every jurisdiction: not even listed.
    assert client.get("/admin/auth/group/").status_code == 403


def test_a_district_administrator_cannot_change_the_region_it_hangs_from(world):
    user = world.users["county_admin"]
    _with_every_permission(user)
    client = _signed_in(user.username, PASSWORD)
    county = world.orgs["county"]
    url = f"/admin/orgs/org/{county.pk}/change/"
    assert 'name="_save"' not in client.get(url).content.decode()
    renamed = {"kind": "region", "name": "改名区", "level": 3, "code": county.code}
    assert client.post(url, renamed).status_code == 403
    county.refresh_from_db()
    assert county.name == "双桥区"
    # What lies below it stays the administrator's.
    town = world.orgs["town"]
    page = client.get(f"/admin/orgs/org/{town.pk}/change/")
    assert 'name="_save"' in page.content.decode()


def test_a_superuser_still_edits_the_catalogue(world):
    User.objects.create_superuser("root", password=PASSWORD)
    client = _signed_in("root", PASSWORD)
    area = FocusArea.objects.order_by("pk").first()
    response = client.post(
        f"/admin/problems/focusarea/{area.pk}/change/",
        {
            "code": area.code,
            "name": "新名称",
            "deadline_hours": 48,
            "position": area.position,
            "active": "on",
        },
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.deadline_hours) == ("新名称", 48)
    assert client.get("/admin/auth/group/").status_code == 200


def test_a_person_with_a_role_elsewhere_is_read_only_to_a_district(world):
    """Their password opens the other jurisdiction too: the county may not set it."""
    user = world.users["county_admin"]
    _with_every_permission(user)
    client = _signed_in(user.username, PASSWORD)
    shared = world.users["county_handler"]
    shared.memberships.create(org=world.orgs["province_office"], role="office_staff")
    root = User.objects.create_superuser("root", password=PASSWORD)
    root.memberships.create(org=world.orgs["county_office"], role="office_staff")
    for person in (shared, root):
        change = client.get(f"/admin/accounts/user/{person.pk}/change/")
        assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
        password = client.post(
            f"/admin/accounts/user/{person.pk}/password/",
            {"password1": "taken-over-123", "password2": "taken-over-123"},
        )
        assert password.status_code == 403
        assert (
            client.post(f"/admin/accounts/user/{person.pk}/delete/", {"post": "yes"}).status_code
            == 403
        )
        person.refresh_from_db()
        assert not person.check_password("taken-over-123")
    # Someone wholly of the county stays the administrator's to manage.
    page = client.get(f"/admin/accounts/user/{world.users['market_handler'].pk}/change/")
    assert 'name="_save"' in page.content.decode()
