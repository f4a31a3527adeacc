"""The pages' forms refuse what the API refuses, with the same words, on the field; legal
oddities are stored unchanged; searches and page numbers never fail."""

from __future__ import annotations

import importlib
import inspect
import re
from datetime import timedelta

import pytest
from django import forms
from django.utils import timezone

from ducha.core.search import query_strings
from ducha.core.text import TextField
from ducha.fieldwork.models import Meeting
from ducha.problems.models import FocusArea, Problem
from tests.hostile.corpus import ILLEGAL, LEGAL

pytestmark = pytest.mark.django_db

FORM_MODULES = ["daily", "documents", "fieldwork", "ledger", "problems"]
# The 10 MB case is left to the API test: a page's form field is the same TextField.
PAGE_ILLEGAL = {label: value for label, value in ILLEGAL.items() if label != "10 MB"}


def _problem_form(world, **overrides):
    return {
        "title": "核酸采样点排队未保持间距",
        "description": "上午九时许约四十人聚集",
        "region": world.orgs["county"].pk,
        "site": "",
        "focus_area": FocusArea.objects.get(code="screening").pk,
        "team": "",
        "found_at": timezone.localtime(timezone.now() - timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "urgency": "normal",
        "nature": "individual",
        **overrides,
    }


def _field_errors(html: str, field: str) -> str:
    block = html[html.index(f'data-field="{field}"') :]
    return block[: block.index("</ul>")]


def test_every_text_field_of_the_pages_forms_is_a_bounded_text_field():
    loose = []
    for app in FORM_MODULES:
        module = importlib.import_module(f"ducha.{app}.forms")
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module.__name__:
                continue
            for field_name, field in form.base_fields.items():
                text = isinstance(field, forms.CharField)
                if text and not isinstance(field, TextField | forms.UUIDField):
                    loose.append(f"{name}.{field_name}")
    assert loose == []


@pytest.mark.parametrize("field", ["title", "description"])
def test_recording_a_problem_refuses_the_corpus_on_the_field(world, login, field):
    client = login(world, "county_office")
    for label, value in PAGE_ILLEGAL.items():
        response = client.post("/problems/new/", _problem_form(world, **{field: value}))
        assert response.status_code == 422, label
        errors = _field_errors(response.content.decode(), field)
        assert "控制字符" in errors or "最多" in errors, label
    assert not Problem.objects.exists()


def test_the_page_says_what_the_api_says(world, login, api_as):
    client = login(world, "county_office")
    page = client.post("/problems/new/", _problem_form(world, title="卡口\x07登记"))
    api = api_as("county_office").post(
        "/problems",
        {"title": "卡口\x07登记", "region": world.orgs["county"].pk, "focus_area": 1},
    )
    message = next(e["msg"] for e in api.json()["detail"] if e["field"] == "title")
    assert message == "请删除第 3 个字处的控制字符 U+0007：它无法保存或打印。"
    assert message in _field_errors(page.content.decode(), "title")


@pytest.mark.parametrize("label", list(LEGAL))
def test_legal_oddities_are_recorded_unchanged_from_the_page(world, login, label):
    value = LEGAL[label]
    client = login(world, "county_office")
    response = client.post(
        "/problems/new/", _problem_form(world, title=value, description=f"{value}\r\n{value}")
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    # Browsers send line breaks as CRLF; Django keeps what was sent.
    assert (problem.title, problem.description) == (value, f"{value}\r\n{value}")
    listed = client.get("/problems/", {"q": value})
    if not query_strings(value):
        # Nothing in it is a word (emoji, single characters): the search says what it needs.
        assert listed.status_code == 400
        assert 'data-field="q"' in listed.content.decode()
    else:
        assert listed.status_code == 200
        found = re.findall(r'data-problem="(\d+)"', listed.content.decode())
        assert found == [str(problem.pk)]


def test_a_meeting_refuses_a_control_character_in_each_text_field(world, login):
    client = login(world, "county_office")
    fields = {
        "office": world.orgs["county_office"].pk,
        "held_on": f"{timezone.localdate():%Y-%m-%d}",
        "title": "晚间会商",
        "attendees": "督查办全体",
        "decisions": "明日暗访",
    }
    for name in ("title", "attendees", "decisions"):
        response = client.post("/field/meetings/new/", {**fields, name: "会\x00商"})
        assert response.status_code == 422
        assert "U+0000" in _field_errors(response.content.decode(), name)
    response = client.post("/field/meetings/new/", {**fields, "held_on": "0001-01-01"})
    assert response.status_code == 422
    assert "2000-01-01" in _field_errors(response.content.decode(), "held_on")
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("label", ["U+0000", "U+0001", "U+FFFF", "1 MB"])
def test_searching_the_problem_list_page_with_hostile_text_is_refused_not_failed(
    world, login, label
):
    world.problem()
    response = login(world, "county_office").get("/problems/", {"q": ILLEGAL[label]})
    assert response.status_code == 400
    assert "data-problem=" not in response.content.decode()


@pytest.mark.parametrize("path", ["/problems/", "/documents/"])
@pytest.mark.parametrize("page", ["99999999999999999999", "0", "-1", "x", "1" * 5000])
def test_a_page_number_out_of_range_shows_a_page(world, login, path, page):
    world.problem()
    response = login(world, "county_office").get(path, {"page": page})
    assert response.status_code == 200
