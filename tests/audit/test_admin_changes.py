"""Every add, change and delete in the admin site is an ADMIN_CHANGE event, Django's own
models (groups, axes' access attempts) included."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import get_resolver

from ducha.accounts.choices import SecurityEventKind as Kind
from ducha.core.admin import AuditedAdmin
from ducha.orgs.models import Site
from tests.audit.conftest import ADDRESS, AGENT, browser, events, only, page_login
from tests.twofactor.conftest import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(auditors):
    client = browser()
    response = page_login(client, "root", path="/admin/login/")
    assert response.status_code == 302
    # A superuser logs in with a second factor: setting it up signs them in.
    assert response.url.startswith("/accounts/two-factor/setup/")
    enrol(client)
    return client


def test_every_admin_of_the_site_records_its_changes():
    # The site as it is served: loading the URLconf secures it (its own login, no OTP devices).
    get_resolver().url_patterns
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdmin)
    ]
    assert unaudited == []


def test_adding_changing_and_deleting_a_group_is_recorded(auditors, root):
    response = root.post("/admin/auth/group/add/", {"name": "审计组"})
    assert response.status_code == 302
    group = Group.objects.get(name="审计组")
    added = only(Kind.ADMIN_CHANGE)
    assert added.actor == auditors.users["root"]
    assert added.address == ADDRESS and added.user_agent == AGENT
    assert added.path == "/admin/auth/group/add/"
    assert added.detail["action"] == "add"
    assert added.detail["model"] == "auth.group"
    assert added.detail["ids"] == [str(group.pk)]

    response = root.post(f"/admin/auth/group/{group.pk}/change/", {"name": "安全组"})
    assert response.status_code == 302
    changed = events(Kind.ADMIN_CHANGE)[-1]
    assert changed.detail["action"] == "change"
    assert changed.detail["fields"] == ["Name"]
    assert changed.detail["objects"] == ["安全组"]

    response = root.post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Group.objects.exists()
    deleted = events(Kind.ADMIN_CHANGE)[-1]
    assert deleted.detail["action"] == "delete"
    assert deleted.detail["ids"] == [str(group.pk)]
    assert len(events(Kind.ADMIN_CHANGE)) == 3


def test_a_bulk_delete_records_every_id(world, auditors, root):
    sites = list(Site.objects.order_by("pk"))
    response = root.post(
        "/admin/orgs/site/",
        {"action": "delete_selected", "_selected_action": [s.pk for s in sites], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Site.objects.exists()
    event = only(Kind.ADMIN_CHANGE)
    assert event.detail["model"] == "orgs.site"
    assert event.detail["ids"] == [str(s.pk) for s in sites]
    assert event.detail["count"] == len(sites)


def test_unlocking_by_deleting_access_attempts_is_recorded(world, auditors, root):
    for _ in range(5):
        page_login(browser(REMOTE_ADDR="10.7.7.7"), "county_office", "wrong")
    attempt = AccessAttempt.objects.get()
    response = root.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    event = only(Kind.ADMIN_CHANGE)
    assert event.detail["model"] == "axes.accessattempt"
    assert event.detail["action"] == "delete"


def test_a_change_to_an_account_names_it(world, auditors, root):
    user = world.users["county_handler"]
    response = root.get(f"/admin/accounts/user/{user.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data |= {
        "name": "新名字",
        "username": user.username,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = root.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = only(Kind.ADMIN_CHANGE)
    assert event.subject == user
    assert event.detail["model"] == "accounts.user"
    assert "Name" in event.detail["fields"]
