"""A bulletin's numbers are the problem list's numbers for the same scope, never typed."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from django.utils import timezone, translation

from ducha.problems.sentences import stats_sentence
from tests.documents.helpers import county, issue, list_stats, open_docx, paragraphs, table_rows

pytestmark = pytest.mark.django_db


def test_totals_and_every_unit_row_equal_the_problem_list(world, api_as):
    problems = county(world)
    api = api_as("county_office")
    bulletin = issue(api, "bulletin")
    data = bulletin["data"]
    region = world.orgs["county"].pk
    whole = list_stats(api, region=region)
    assert (data["found"], data["rectified"]) == (whole["found"], whole["rectified"]) == (7, 3)
    assert data["overdue"] == list_stats(api, region=region, overdue=True)["found"] == 1
    assert data["open"] == whole["found"] - whole["rectified"]
    for unit in data["units"]:
        if unit["unit_id"] is None:
            continue
        shown = list_stats(api, region=region, responsible_org=unit["unit_id"])
        assert (unit["found"], unit["rectified"]) == (shown["found"], shown["rectified"])
        overdue = list_stats(api, region=region, responsible_org=unit["unit_id"], overdue=True)
        assert unit["overdue"] == overdue["found"]
    # The sibling county's problem is not in the county's bulletin.
    assert problems.sibling.pk not in bulletin["data"]["problem_ids"]


def test_the_word_file_states_the_sentence_the_table_praise_and_criticism(world, api_as):
    problems = county(world)
    api = api_as("county_office")
    bulletin = issue(api, "bulletin")
    document = open_docx(api, bulletin)
    text = paragraphs(document)
    with translation.override("zh-hans"):
        sentence = stats_sentence(as_of=date.fromisoformat(bulletin["as_of"]), found=7, rectified=3)
    assert sentence in "".join(text)
    assert "42.86%" in sentence
    rows = table_rows(document.tables[0])
    units = {row[1]: row[2:] for row in rows[1:]}
    assert units["双桥区卫健局"] == ["3", "0", "0.00%", "3", "1"]
    assert units["双桥区市场监管局"] == ["1", "1", "100.00%", "0", "0"]
    assert units["水泉沟镇"] == ["1", "1", "100.00%", "0", "0"]
    assert rows[-1][2:] == ["7", "3", "42.86%", "4", "1"]
    assert len(rows) == 1 + len(bulletin["data"]["units"]) + 1
    # Praise: the market unit closed its problem in time; the town closed its own late.
    assert bulletin["data"]["praised"] == ["双桥区市场监管局"]
    blocks = bulletin["body"]["blocks"]
    headings = [n for n, block in enumerate(blocks) if block["level"] == 1]
    praise = blocks[headings[1] + 1]["text"]
    assert "双桥区市场监管局" in praise and "水泉沟镇" not in praise
    assert praise in text
    # Criticism names the unit and its overdue problem.
    assert any("双桥区卫健局" in line for line in text)
    assert any(problems.overdue.title in line for line in text)
    assert problems.open.title not in "".join(text)
    assert [p["problem"]["id"] for p in bulletin["problems"]] == [problems.overdue.pk]


def test_a_region_of_the_jurisdiction_is_its_own_scope(world, api_as):
    county(world)
    api = api_as("county_office")
    bulletin = issue(api, "bulletin", region=world.orgs["town"].pk)
    shown = list_stats(api, region=world.orgs["town"].pk)
    assert (bulletin["data"]["found"], bulletin["data"]["rectified"]) == (
        shown["found"],
        shown["rectified"],
    )
    assert bulletin["data"]["found"] == 1


def test_the_problem_list_page_shows_the_same_line(world, api_as, login):
    county(world)
    bulletin = issue(api_as("county_office"), "bulletin")
    page = login(world, "county_office").get("/problems/", {"region": world.orgs["county"].pk})
    line = re.search(r'data-testid="stats">(.*?)</p>', page.content.decode()).group(1)
    data = bulletin["data"]
    assert re.findall(r"\d+(?:\.\d+)?", line) == [
        str(data["found"]),
        str(data["rectified"]),
        "42.86",
    ]
    issued = timezone.localtime(datetime.fromisoformat(bulletin["issued_at"]))
    assert date.fromisoformat(bulletin["as_of"]) == issued.date()


def test_the_dashboard_shows_the_same_totals_and_unit_lines(world, api_as):
    county(world)
    api = api_as("county_office")
    data = issue(api, "bulletin")["data"]
    dashboard = api.get("/dashboard", {"region": world.orgs["county"].pk}).json()
    totals = dashboard["totals"]
    assert [totals[k] for k in ("found", "rectified", "open", "overdue")] == [
        data[k] for k in ("found", "rectified", "open", "overdue")
    ]
    # The dashboard names the problems without a unit as line 0.
    units = {unit["unit_id"] or 0: unit for unit in data["units"]}
    assert {line["id"] for line in dashboard["by_unit"]} == set(units)
    for line in dashboard["by_unit"]:
        unit, counts = units[line["id"]], line["counts"]
        assert [counts[k] for k in ("found", "rectified", "open", "overdue", "closed_late")] == [
            unit[k] for k in ("found", "rectified", "open", "overdue", "late")
        ]
