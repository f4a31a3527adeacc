"""Field work in the admin: rows of the staff user's jurisdiction only, and nothing editable."""

import pytest
from django.contrib.auth.models import Permission

from ducha.fieldwork.models import Task
from tests.fieldwork.domain.factory import item, plan
from tests.fieldwork.pages.helpers import text
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world, client):
    # An office's staff made staff of the admin site (the system administrator sees no field
    # work at all, 三员分立): the admin scopes rows as the pages do.
    user = world.users["county_office"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="fieldwork"))
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_tasks_of_the_jurisdiction_only(world, staff):
    ours = plan(world, notes="本区任务")
    theirs = plan(world, by="sibling_office", team="sibling_team", site="sibling_market")
    page = staff.get("/admin/fieldwork/task/")
    assert page.status_code == 200
    assert f"/admin/fieldwork/task/{ours.pk}/change/" in text(page)
    assert f"/admin/fieldwork/task/{theirs.pk}/change/" not in text(page)
    assert staff.get(f"/admin/fieldwork/task/{theirs.pk}/change/").status_code == 302


def test_nothing_is_added_or_changed_in_the_admin(world, staff):
    question = item(world)
    assert staff.get("/admin/fieldwork/checklistitem/add/").status_code == 403
    assert staff.get("/admin/fieldwork/task/add/").status_code == 403
    response = staff.post(
        f"/admin/fieldwork/checklistitem/{question.pk}/change/", {"text": "改过的问题"}
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.text != "改过的问题"
    assert Task.objects.count() == 0
    for model in ["meeting", "inspection", "evidence", "revisit", "fieldevent"]:
        assert staff.get(f"/admin/fieldwork/{model}/").status_code == 200
