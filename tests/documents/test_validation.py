"""Bad input is refused with 422 naming the field (API) or marking it (pages); roles that may
not draft get 403; nothing is written when a request is refused."""

from __future__ import annotations

from typing import Any

import pytest

from ducha.documents.models import Document, DocumentEvent
from ducha.problems.models import FocusArea
from tests.api.conftest import field_errors
from tests.documents.helpers import county, draft, patch

pytestmark = pytest.mark.django_db


def _screening() -> int:
    return FocusArea.objects.get(code="screening").pk


CASES: dict[str, tuple[dict[str, Any], str]] = {
    "unknown kind": ({"kind": "memo"}, "kind"),
    "unknown field": ({"kind": "bulletin", "colour": "red"}, "colour"),
    "title too long": ({"kind": "bulletin", "title": "长" * 201}, "title"),
    "letter without a unit": ({"kind": "rectification_letter"}, "recipient"),
    "letter to an office": (
        {"kind": "rectification_letter", "recipient": "@county_office"},
        "recipient",
    ),
    "letter to a unit with nothing open here": (
        {"kind": "rectification_letter", "recipient": "@sibling_dept"},
        "recipient",
    ),
    "prompt to the issuer itself": (
        {"kind": "prompt_letter", "recipient": "@county_office"},
        "recipient",
    ),
    "prompt to a neighbour's office": (
        {"kind": "prompt_letter", "recipient": "@sibling_office"},
        "recipient",
    ),
    "bulletin for a neighbour's region": ({"kind": "bulletin", "region": "@sibling"}, "region"),
    "bulletin with a malformed day": ({"kind": "bulletin", "as_of": "3月1日"}, "as_of"),
    "report on a neighbour's problem": (
        {"kind": "special_report", "problem": "#sibling"},
        "problem",
    ),
    "report on nothing": ({"kind": "special_report"}, "problem"),
    "report on a problem and an area": (
        {"kind": "special_report", "problem": "#overdue", "focus_area": "screening"},
        "problem",
    ),
    "list of nothing": (
        {"kind": "problem_list", "filters": {"q": "不存在的问题"}},
        "filters",
    ),
    "list with a bad state": (
        {"kind": "problem_list", "filters": {"state": "lost"}},
        "state",
    ),
    "issuer of a neighbour": ({"kind": "bulletin", "issuer": "@sibling_office"}, "issuer"),
    "issuer that is no office": ({"kind": "bulletin", "issuer": "@county_dept"}, "issuer"),
}


def _resolve(world, found, value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _resolve(world, found, item) for key, item in value.items()}
    if isinstance(value, str) and value.startswith("@"):
        return world.orgs[value[1:]].pk
    if isinstance(value, str) and value.startswith("#"):
        return getattr(found, value[1:]).pk
    if value == "screening":
        return _screening()
    return value


@pytest.mark.parametrize("name", sorted(CASES))
def test_drafting_refuses_bad_input_on_its_field(world, api_as, name):
    found = county(world)
    body, field = CASES[name]
    response = api_as("county_office").post("/documents", _resolve(world, found, body))
    assert response.status_code == 422, response.content
    assert field in field_errors(response)
    assert Document.objects.count() == 0


def test_editing_refuses_unknown_sections_and_an_empty_title(world, api_as):
    api = api_as("county_office")
    document = draft(api, "bulletin")
    events = DocumentEvent.objects.count()
    unknown = patch(api, f"/documents/{document['id']}", {"texts": {"postscript": "此致"}})
    assert unknown.status_code == 422 and field_errors(unknown) == {"texts.postscript"}
    empty = patch(api, f"/documents/{document['id']}", {"title": "  "})
    assert empty.status_code == 422 and field_errors(empty) == {"title"}
    assert DocumentEvent.objects.count() == events
    assert Document.objects.get().title == document["title"]


@pytest.mark.parametrize(
    "persona", ["county_leader", "county_handler", "county_team_member", "outsider"]
)
def test_roles_that_may_not_draft_get_403(world, api_as, persona):
    response = api_as(persona).post("/documents", {"kind": "bulletin"})
    assert response.status_code == 403
    named = api_as(persona).post(
        "/documents", {"kind": "bulletin", "issuer": world.orgs["county_office"].pk}
    )
    assert named.status_code == 403
    assert Document.objects.count() == 0


def test_the_drafting_page_marks_the_field_and_answers_422(world, login):
    county(world)
    client = login(world, "county_office")
    missing = client.post(
        "/documents/new/?kind=rectification_letter",
        {"kind": "rectification_letter", "issuer": world.orgs["county_office"].pk},
    )
    assert missing.status_code == 422
    assert "recipient" in missing.context["form"].errors
    future = client.post(
        "/documents/new/?kind=bulletin",
        {"kind": "bulletin", "issuer": world.orgs["county_office"].pk, "as_of": "2999-01-01"},
    )
    assert future.status_code == 422
    assert "as_of" in future.context["form"].errors
    assert 'data-testid="field-error"' in future.content.decode()
    assert Document.objects.count() == 0


def test_the_editing_page_marks_an_empty_title(world, login, api_as):
    document = draft(api_as("county_office"), "bulletin")
    client = login(world, "county_office")
    response = client.post(f"/documents/{document['id']}/edit/", {"title": "", "addressee": ""})
    assert response.status_code == 422
    assert "title" in response.context["form"].errors
    assert Document.objects.get().title == document["title"]


def test_the_drafting_page_is_403_for_a_leader(world, login):
    assert login(world, "county_leader").get("/documents/new/").status_code == 403
