"""The daily summary and the meeting agenda say the jurisdiction's accountability and
commendations in a line, counted from the records and naming nobody."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ducha.daily.models import DailySummary
from tests.daily.test_pages import login_as, text
from tests.results.records import SECRET_NAMES, accountability, chengdu, commendation

pytestmark = pytest.mark.django_db

CHENGDU = "先后对6名党员干部通报批评，1名责令作出检查，1名作停职处理，2名进行立案审查。"


@pytest.fixture
def records(world):
    today = timezone.localdate()
    chengdu(world, today)
    commendation(world, "advanced", count=2, decided_on=today, subject="person")
    accountability(world, "interview", count=3, decided_on=today - timedelta(days=3))
    accountability(world, "dismissal", decided_on=today - timedelta(days=7))
    accountability(
        world, "interview", count=5, region="sibling", unit="sibling_dept", decided_on=today
    )
    accountability(world, "interview", decided_on=today, state="withdrawn")
    return world


def _no_names(body: str) -> None:
    for name in SECRET_NAMES:
        assert name not in body


def test_the_summary_says_the_days_results(records, api_as):
    office = api_as("county_office")
    today = timezone.localdate()
    drafted = office.post(
        "/daily/draft", {"day": today.isoformat(), "office": records.orgs["county_office"].pk}
    ).json()
    (summary_id,) = drafted["summaries"]
    body = office.get(f"/daily/summaries/{summary_id}").json()
    assert body["region"]["results_sentence"] == CHENGDU + "表彰先进个人2名。"
    page = login_as(Client(), records, "county_leader").get(f"/daily/summaries/{summary_id}/")
    assert CHENGDU in text(page)
    _no_names(text(page))
    _no_names(str(body))


def test_a_summary_drafted_before_the_results_were_counted_says_nothing_of_them(records, api_as):
    office = api_as("county_office")
    day = timezone.localdate().isoformat()
    office.post("/daily/draft", {"day": day, "office": records.orgs["county_office"].pk})
    summary = DailySummary.objects.get()
    summary.details.pop("results")
    DailySummary.objects.filter(pk=summary.pk).update(details=summary.details)
    body = office.get(f"/daily/summaries/{summary.pk}").json()
    assert body["region"]["results_sentence"] == ""


def test_the_agenda_says_the_last_weeks_results(records, api_as):
    body = api_as("county_office").get("/daily/agenda").json()
    assert body["results_sentence"] == (
        "先后对3名党员干部进行约谈，6名通报批评，1名责令作出检查，1名作停职处理，"
        "2名进行立案审查。表彰先进个人2名。"
    )
    assert body["results_from"] == (timezone.localdate() - timedelta(days=6)).isoformat()
    page = login_as(Client(), records, "county_office").get("/daily/agenda/")
    assert 'data-testid="results-sentence"' in text(page)
    assert "先后对3名党员干部进行约谈" in text(page)
    _no_names(text(page))


def test_an_agenda_without_results_says_so(world, api_as):
    body = api_as("county_office").get("/daily/agenda").json()
    assert body["results_sentence"] == "本期未作出问责或表彰决定。"
