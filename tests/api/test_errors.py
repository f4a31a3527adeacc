"""Errors answer in JSON, in the caller's language, and never as a 500."""

import re

import pytest

from tests.api.conftest import BASE

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_validation_messages_follow_accept_language(world, api_as):
    api = api_as("county_office")
    zh = api.post("/problems", {}, headers={"Accept-Language": "zh-hans"})
    en = api.post("/problems", {}, headers={"Accept-Language": "en"})
    assert zh.status_code == en.status_code == 422
    zh_title = next(e for e in zh.json()["detail"] if e["field"] == "title")
    en_title = next(e for e in en.json()["detail"] if e["field"] == "title")
    assert en_title["msg"] == "This field is required."
    assert CHINESE.search(zh_title["msg"])
    assert zh_title["loc"] == ["body", "payload", "title"]
    assert zh_title["type"] == "missing"


def test_default_language_is_simplified_chinese(world, api_as):
    response = api_as("county_office").get("/problems", {"page": "x"})
    assert CHINESE.search(response.json()["detail"][0]["msg"])


def test_bounds_are_named_in_the_message(world, api_as):
    response = api_as("county_office").get(
        "/problems", {"page_size": 201}, headers={"Accept-Language": "en"}
    )
    assert response.json()["detail"][0]["msg"] == (
        "Ensure this value is less than or equal to 200."
    )


def test_action_and_auth_errors_are_translated_too(world, api_as, anonymous):
    problem = world.problem()
    api = api_as("county_office")
    for language, check in [("en", lambda m: not CHINESE.search(m)), ("zh-hans", CHINESE.search)]:
        headers = {"Accept-Language": language}
        refused = api.post(f"/problems/{problem.pk}/actions/verify_accept", headers=headers)
        assert refused.status_code == 409
        assert check(refused.json()["detail"])
        missing = api.get("/problems/999999", headers=headers)
        assert check(missing.json()["detail"])
        unauthenticated = anonymous.get("/me", headers=headers)
        assert check(unauthenticated.json()["detail"])


def test_action_errors_carry_detail_and_field(world, api_as):
    problem = world.problem()
    response = api_as("county_office").act(problem, "report_up", to_org=999999, comment="呈")
    assert response.status_code == 422
    assert set(response.json()) == {"detail", "field"}
    assert response.json()["field"] == "to_org"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/problems/999999", 404),
        ("get", "/problems/abc", 422),
        ("post", "/problems/abc/actions/urge", 422),
        ("get", "/tokens/1", 405),
        ("get", "/no/such/thing", 404),
        ("post", "/no/such/thing", 404),
    ],
)
def test_error_answers_are_json(world, api_as, method, path, status):
    response = api_as("county_office").call(method, path, {})
    assert response.status_code == status
    if status != 405:
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b"\xff\xfe"),
        ("application/json", b'{"title": "a",}'),
        ("text/plain", b"title=a"),
        ("application/x-www-form-urlencoded", b"title=a&region=1"),
    ],
)
def test_unreadable_bodies_are_4xx_not_500(world, api_as, content_type, body):
    client = api_as("county_office").client
    response = client.post(BASE + "/problems", body, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_permission_denied_is_json_403(world, api_as):
    problem = world.assigned()
    response = api_as("county_leader").act(problem, "assign", responsible_org=1)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
