"""Every 403 answer, and every object that exists but lies outside the caller's scope (the
access helper answers 404 for it), is a PERMISSION_DENIED event, bounded per minute."""

from __future__ import annotations

import pytest

from ducha.accounts.choices import SecurityEventKind as Kind
from tests.audit.conftest import ADDRESS, AGENT, browser, events, only, page_login

pytestmark = pytest.mark.django_db


def signed_in(key: str, **extra):
    client = browser(**extra)
    assert page_login(client, key).status_code == 302
    return client


def test_a_page_refusing_a_role_is_recorded(world):
    client = signed_in("county_handler")
    response = client.get("/ledger/template/")
    assert response.status_code == 403

    event = only(Kind.PERMISSION_DENIED)
    assert event.actor == world.users["county_handler"]
    assert event.path == "/ledger/template/"
    assert event.address == ADDRESS
    assert event.user_agent == AGENT
    assert event.detail == {"method": "GET", "reason": "forbidden", "status": 403}


def test_an_api_refusal_is_recorded(world):
    client = signed_in("county_handler")
    response = client.get("/api/v1/ledger/template")
    assert response.status_code == 403

    event = only(Kind.PERMISSION_DENIED)
    assert event.actor == world.users["county_handler"]
    assert event.path == "/api/v1/ledger/template"


@pytest.mark.parametrize("url", ["/problems/{}/", "/api/v1/problems/{}"])
def test_an_object_out_of_scope_is_recorded_though_the_answer_is_404(world, url):
    problem = world.problem()  # in the county
    client = signed_in("sibling_office")
    assert client.get(url.format(problem.pk)).status_code == 404

    event = only(Kind.PERMISSION_DENIED)
    assert event.actor == world.users["sibling_office"]
    assert event.path == url.format(problem.pk)
    assert event.detail == {
        "method": "GET",
        "reason": "out_of_scope",
        "model": "problems.problem",
        "id": problem.pk,
        "status": 404,
    }


def test_a_missing_object_is_not_a_refusal(world):
    problem = world.problem()
    client = signed_in("sibling_office")
    assert client.get(f"/problems/{problem.pk + 1000}/").status_code == 404
    assert not events(Kind.PERMISSION_DENIED)
    # And one's own jurisdiction is no refusal either.
    assert signed_in("county_office").get(f"/problems/{problem.pk}/").status_code == 200
    assert not events(Kind.PERMISSION_DENIED)


def test_refusals_are_bounded_per_minute(world, settings):
    settings.DUCHA_AUDIT_BURST_PER_MINUTE = 3
    client = signed_in("county_handler")
    # The same page again and again within the minute: one row.
    for _ in range(5):
        assert client.get("/ledger/template/").status_code == 403
    assert len(events(Kind.PERMISSION_DENIED)) == 1
    # Made-up paths: at most the burst per minute.
    problems = [world.problem() for _ in range(5)]
    crawler = signed_in("sibling_office")
    for problem in problems:
        assert crawler.get(f"/problems/{problem.pk}/").status_code == 404
    assert len(events(Kind.PERMISSION_DENIED, actor=world.users["sibling_office"])) == 3
