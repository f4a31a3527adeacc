"""The admin: scoped to the staff user's jurisdiction, and read-only where actions own the data."""

import re

import pytest
from django.contrib.auth.models import Permission

from ducha.accounts.models import ApiToken, Membership, User
from ducha.orgs.models import Org
from ducha.problems.models import Problem
from tests.pages.helpers import text
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def rows(response) -> set[str]:
    """The linked first column of an admin change list."""
    return set(re.findall(r'<th class="field-[^"]*"><a href="[^"]+">([^<]+)</a>', text(response)))


@pytest.fixture
def staff(world, client):
    """The county's administrator, made staff with every model permission of our apps."""
    user = world.users["county_admin"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["orgs", "accounts", "problems"])
    )
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def superuser(world, client):
    User.objects.create_superuser("root", password=PASSWORD)
    assert client.login(username="root", password=PASSWORD)
    return client


def test_superuser_sees_every_org(world, superuser):
    names = rows(superuser.get("/admin/orgs/org/"))
    assert {"四川省", "双滦区", "双桥区"} <= names


def test_staff_sees_only_its_jurisdiction(world, staff):
    county = world.problem(title="本区问题")
    world.problem(by="sibling_office", region="sibling", title="邻区问题")
    orgs = rows(staff.get("/admin/orgs/org/"))
    assert {"双桥区", "双桥区卫健局", "水泉沟镇", "水泉沟镇督查办"} <= orgs
    assert not orgs & {"双滦区", "双滦区卫健局", "四川省", "承德市", "河北省"}
    # The system administrator (三员分立) sees no problem, not even the county's own.
    assert rows(staff.get("/admin/problems/problem/")) == set()
    sibling = Problem.objects.get(title="邻区问题")
    assert staff.get(f"/admin/problems/problem/{sibling.pk}/change/").status_code == 302
    assert staff.get(f"/admin/problems/problem/{county.pk}/change/").status_code == 302
    events = text(staff.get("/admin/problems/problemevent/"))
    assert "本区问题" not in events and "邻区问题" not in events
    memberships = rows(staff.get("/admin/accounts/membership/"))
    assert "卫健局经办人" in memberships and "双滦区督查办干部" not in memberships
    users = rows(staff.get("/admin/accounts/user/"))
    assert {"county_handler", "county_team_member"} <= users
    assert not users & {"sibling_office", "other_office", "city_office"}
    assert rows(staff.get("/admin/orgs/site/")) == {"双桥区高速卡口"}


def test_problems_and_events_cannot_be_written_through_the_admin(world, staff):
    problem = world.problem()
    event = problem.events.get()
    assert staff.get("/admin/problems/problem/add/").status_code == 403
    assert staff.get("/admin/problems/problemevent/add/").status_code == 403
    page = text(staff.get(f"/admin/problems/problem/{problem.pk}/change/"))
    assert 'name="_save"' not in page
    response = staff.post(f"/admin/problems/problem/{problem.pk}/change/", {"title": "改了"})
    assert response.status_code == 403
    assert staff.post(f"/admin/problems/problem/{problem.pk}/delete/").status_code == 403
    assert staff.post(f"/admin/problems/problemevent/{event.pk}/delete/").status_code == 403
    assert Problem.objects.get(pk=problem.pk).title == problem.title


def test_tokens_are_read_mostly(world, staff):
    ApiToken.issue(world.users["county_handler"], "经办人脚本")
    ApiToken.issue(world.users["sibling_handler"], "邻区脚本")
    html = text(staff.get("/admin/accounts/apitoken/"))
    assert "经办人脚本" in html and "邻区脚本" not in html
    assert staff.get("/admin/accounts/apitoken/add/").status_code == 403


def test_staff_cannot_attach_orgs_outside_its_jurisdiction(world, staff):
    response = staff.post(
        "/admin/orgs/org/add/",
        {"kind": "department", "name": "外区部门", "parent": world.orgs["sibling"].pk},
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not Org.objects.filter(name="外区部门").exists()
    response = staff.post("/admin/orgs/org/add/", {"kind": "region", "name": "新省", "level": 1})
    assert not Org.objects.filter(name="新省").exists()
    response = staff.post(
        "/admin/orgs/org/add/",
        {"kind": "department", "name": "双桥区应急管理局", "parent": world.orgs["county"].pk},
    )
    assert response.status_code == 302
    assert Org.objects.get(name="双桥区应急管理局").path.startswith(world.orgs["county"].path)


def test_moving_an_org_with_children_is_a_form_error(world, superuser):
    county = world.orgs["county"]
    response = superuser.post(
        f"/admin/orgs/org/{county.pk}/change/",
        {"kind": "region", "name": county.name, "level": 3, "parent": world.orgs["province"].pk},
    )
    assert response.status_code == 200
    assert "有下级的机构不能移动" in text(response)
    county.refresh_from_db()
    assert county.parent == world.orgs["city"]


def test_staff_cannot_grant_itself_more_rights(world, staff):
    user = world.users["county_admin"]
    page = text(staff.get(f"/admin/accounts/user/{user.pk}/change/"))
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page
    staff.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "username": user.username,
            "name": user.name,
            "is_superuser": "on",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    user.refresh_from_db()
    assert not user.is_superuser


def test_memberships_inline_offers_only_visible_orgs(world, staff):
    handler = world.users["county_handler"]
    page = text(staff.get(f"/admin/accounts/user/{handler.pk}/change/"))
    assert f'<option value="{world.orgs["county_dept"].pk}"' in page
    assert f'<option value="{world.orgs["sibling_dept"].pk}"' not in page
    assert Membership.objects.filter(user=handler).count() == 1
