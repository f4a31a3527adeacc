"""A bulletin and a daily summary state the resumption rates of their jurisdiction as of
their day, in the dashboard's words; a jurisdiction without enterprises has no such section."""

from __future__ import annotations

import pytest

from ducha.resumption.choices import Category
from tests.documents.helpers import draft
from tests.resumption_figures.scene import county_ledger

pytestmark = pytest.mark.django_db


def _section(bulletin, heading):
    blocks = bulletin["body"]["blocks"]
    start = next(n for n, block in enumerate(blocks) if block["text"] == heading)
    following = [n for n, block in enumerate(blocks) if block["level"] == 1 and n > start]
    return blocks[start + 1 : following[0] if following else len(blocks)]


def test_the_bulletin_says_what_the_dashboard_shows(world, api_as, login):
    ledger = county_ledger(world)
    api = api_as("county_office")
    day = ledger.day(10).isoformat()
    dashboard = api.get("/reports/resumption", {"as_of": day}).json()
    bulletin = draft(api, "bulletin", as_of=day)
    headings = [block["text"] for block in bulletin["body"]["blocks"] if block["level"] == 1]
    (heading,) = [text for text in headings if "复工" in text or "esumption" in text]
    section = _section(bulletin, heading)
    paragraphs = [block["text"] for block in section if block["kind"] == "paragraph"]
    assert paragraphs[:4] == dashboard["sentences"]
    assert "1" in paragraphs[4] and "机场" not in paragraphs[4]  # the excluded, counted apart
    (table,) = [block for block in section if block["kind"] == "table"]
    above = next(row for row in table["rows"] if row[0] == str(Category.INDUSTRY_ABOVE_SCALE.label))
    assert above[1:] == ["3", "2", "66.67%", "1", "33.33%"]
    # The page of the bulletin shows the same sentence.
    page = login(world, "county_office").get(f"/documents/{bulletin['id']}/")
    assert dashboard["sentences"][1] in page.content.decode()


def test_a_bulletin_of_an_earlier_day_counts_that_day(world, api_as):
    ledger = county_ledger(world)
    api = api_as("county_office")
    day = ledger.day(4).isoformat()
    dashboard = api.get("/reports/resumption", {"as_of": day}).json()
    earlier = draft(api, "bulletin", as_of=day)
    texts = [block["text"] for block in earlier["body"]["blocks"]]
    for sentence in dashboard["sentences"]:
        assert sentence in texts
    later = api.get("/reports/resumption", {"as_of": ledger.day(10).isoformat()}).json()
    assert later["sentences"][1] != dashboard["sentences"][1]
    assert later["sentences"][1] not in texts


def test_no_section_where_there_are_no_enterprises(world, api_as):
    county_ledger(world)
    bulletin = draft(api_as("other_office"), "bulletin")
    texts = " ".join(block["text"] for block in bulletin["body"]["blocks"])
    assert "复工" not in texts and "esumption" not in texts


def test_the_daily_summary_states_the_rates_of_its_day(world, api_as, login):
    ledger = county_ledger(world)
    api = api_as("county_office")
    day = ledger.day(10).isoformat()
    drafted = api.post("/daily/draft", {"day": day, "office": world.orgs["county_office"].pk})
    assert drafted.status_code == 200, drafted.content
    (summary_id,) = drafted.json()["summaries"]
    summary = api.get(f"/daily/summaries/{summary_id}").json()
    dashboard = api.get("/reports/resumption", {"as_of": day}).json()
    lines = summary["region"]["resumption_sentences"]
    assert lines[:4] == dashboard["sentences"]
    assert len(lines) == 5  # and the excluded, counted apart
    page = login(world, "county_office").get(f"/daily/summaries/{summary_id}/")
    assert page.content.decode().count('data-testid="resumption-sentence"') == 5
    assert dashboard["sentences"][0] in page.content.decode()
    other = api_as("other_office")
    drafted = other.post("/daily/draft", {"day": day, "office": world.orgs["other_office"].pk})
    (other_id,) = drafted.json()["summaries"]
    assert other.get(f"/daily/summaries/{other_id}").json()["region"]["resumption_sentences"] == []


def test_a_bulletin_before_the_ledger_began_says_so(world, api_as):
    ledger = county_ledger(world)
    bulletin = draft(api_as("county_office"), "bulletin", as_of=ledger.day(-1).isoformat())
    headings = [block["text"] for block in bulletin["body"]["blocks"] if block["level"] == 1]
    (heading,) = [text for text in headings if "复工" in text or "esumption" in text]
    section = _section(bulletin, heading)
    assert [block["kind"] for block in section] == ["paragraph"]
    assert "%" not in section[0]["text"]
