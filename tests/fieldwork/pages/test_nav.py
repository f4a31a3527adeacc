"""Each role finds the field-work pages it uses in the main navigation, and no others."""

import re

import pytest

from tests.fieldwork.pages.helpers import text

pytestmark = pytest.mark.django_db


def tabs(response) -> list[str]:
    return re.findall(r'data-nav="fieldwork:([a-z_]+)"', text(response))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("county_office", ["my_tasks", "meetings", "revisits", "checklists", "burden"]),
        ("county_team_member", ["my_tasks", "revisits"]),
        ("county_leader", ["burden"]),
        ("county_handler", ["my_tasks"]),
        ("outsider", []),
    ],
)
def test_field_tabs_follow_the_roles(world, login, persona, expected):
    assert tabs(login(world, persona).get("/problems/queue/")) == expected


@pytest.mark.parametrize(
    "path",
    [
        "/field/tasks/",
        "/field/meetings/",
        "/field/revisits/",
        "/field/checklists/",
        "/field/burden/",
    ],
)
def test_pages_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "path",
    [
        "/field/tasks/",
        "/field/meetings/",
        "/field/revisits/",
        "/field/checklists/",
        "/field/burden/",
    ],
)
def test_pages_open_for_an_office_and_carry_no_inline_script(world, login, path):
    response = login(world, "county_office").get(path)
    assert response.status_code == 200
    html = text(response)
    assert "<script>" not in html and " style=" not in html and "<style" not in html
