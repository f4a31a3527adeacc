"""Every text field of the API, read from /api/v1/openapi.json, refuses the hostile corpus with
a 422 naming the field and saves nothing; legal oddities are stored and read back unchanged."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from ducha.core.search import query_strings
from ducha.problems.models import FocusArea
from tests.hostile.corpus import ILLEGAL, LEGAL, SURROGATE_JSON, nest, text_fields

pytestmark = pytest.mark.django_db

HUGE = {"10 MB"}


@pytest.fixture
def spec(api_as):
    response = api_as("county_office").client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _rows() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _send(api, field, value: str | None, raw: str | None = None):
    url = field.path.replace("{file_format}", "docx")
    url = url.split("{")[0] + "".join(
        "1" + part.split("}", 1)[1] for part in field.path.split("{")[1:]
    )
    url = url.removeprefix("/api/v1")
    if field.where == "query":
        return api.get(url, {field.name[0]: value})
    body = raw if raw is not None else json.dumps(nest(field.name, value))
    if raw is not None:
        body = json.dumps(nest(field.name, "@@")).replace('"@@"', raw)
    send = getattr(api.client, field.method.lower())
    return send("/api/v1" + url, body, content_type="application/json")


def _named(response) -> set[str]:
    detail = response.json()["detail"]
    if isinstance(detail, list):
        return {item["field"] for item in detail}
    return {response.json().get("field")}


def test_the_schema_lists_the_text_fields_and_each_has_a_maximum_length(spec):
    fields = text_fields(spec)
    labels = {field.label for field in fields}
    # A few known ones, to prove the walk reaches bodies, nested lists, maps and queries.
    assert "POST /api/v1/problems title" in labels
    assert "POST /api/v1/inspections answers.[0].note" in labels
    assert "POST /api/v1/documents filters.q" in labels
    assert "POST /api/v1/documents texts.key" in labels
    assert "GET /api/v1/problems q" in labels
    assert len(fields) >= 40
    assert [field.label for field in fields if not field.max_length] == []


def test_every_text_field_refuses_the_hostile_corpus_naming_the_field(spec, api_as):
    api = api_as("county_office")
    before = _rows()
    failures = []
    huge = {}  # operation → its one text field sent the largest text
    for field in text_fields(spec):
        huge.setdefault((field.method, field.path), field)
    for field in text_fields(spec):
        # Past every field's maximum length at 1 MB already; the largest text, a body
        # beyond what any request needs, once per operation (each is 10 MB of JSON to write
        # and to read).
        cases = [
            (label, value)
            for label, value in ILLEGAL.items()
            if label not in HUGE or huge[field.method, field.path] is field
        ]
        if field.where == "body":
            cases.append(("lone surrogate", None))
        for label, value in cases:
            raw = SURROGATE_JSON if value is None else None
            response = _send(api, field, value, raw)
            if response.status_code != 422 or field.reported not in _named(response):
                failures.append((field.label, label, response.status_code))
    assert sorted({(f, s) for f, _, s in failures}) == []
    assert _rows() == before


def test_a_one_line_field_refuses_a_line_break_and_a_long_text_keeps_it(world, api_as):
    api = api_as("county_office")
    body = {
        "title": "卡口\n登记表",
        "region": world.orgs["county"].pk,
        "focus_area": FocusArea.objects.get(code="screening").pk,
    }
    response = api.post("/problems", body)
    assert response.status_code == 422 and _named(response) == {"title"}
    response = api.post("/problems", {**body, "title": "卡口", "description": "一\n\t二\r\n三"})
    assert response.status_code == 201
    assert api.get(f"/problems/{response.json()['id']}").json()["description"] == "一\n\t二\r\n三"


@pytest.mark.parametrize("label", list(LEGAL))
def test_legal_oddities_are_stored_and_read_back_unchanged(world, api_as, label):
    value = LEGAL[label]
    api = api_as("county_office")
    found_at = (timezone.now() - timedelta(hours=1)).isoformat()
    created = api.post(
        "/problems",
        {
            "title": value,
            "description": f"{value}\n{value}",
            "region": world.orgs["county"].pk,
            "focus_area": FocusArea.objects.get(code="screening").pk,
            "found_at": found_at,
        },
    )
    assert created.status_code == 201, created.content
    problem = api.get(f"/problems/{created.json()['id']}").json()
    assert (problem["title"], problem["description"]) == (value, f"{value}\n{value}")
    # Searching for it finds it, whatever it holds; a text with no word in it (emoji,
    # single characters) is refused on q, saying what a search needs.
    searched = api.get("/problems", {"q": value})
    if query_strings(value):
        assert [item["id"] for item in searched.json()["items"]] == [problem["id"]]
    else:
        assert searched.status_code == 422 and _named(searched) == {"q"}
    acted = api.post(
        f"/problems/{problem['id']}/actions/assign",
        {"responsible_org": world.orgs["county_dept"].pk, "comment": value},
    )
    assert acted.status_code == 200, acted.content
    assert acted.json()["events"][-1]["comment"] == value
    meeting = api.post(
        "/meetings",
        {
            "held_on": timezone.localdate().isoformat(),
            "title": value,
            "attendees": value,
            "decisions": value,
        },
    )
    assert meeting.status_code == 201, meeting.content
    read = api.get(f"/meetings/{meeting.json()['id']}").json()
    assert (read["title"], read["attendees"], read["decisions"]) == (value, value, value)
