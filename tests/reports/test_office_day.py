"""An office's day with no number typed twice: the dashboard, the daily summary, the meeting
agenda and a numbered bulletin all state the same figures, each computed from the data."""

from __future__ import annotations

import pytest

from tests.documents.conftest import media  # noqa: F401  (the bulletin's files: a tmp dir)
from tests.documents.helpers import county, issue, open_docx, paragraphs

pytestmark = pytest.mark.django_db


def test_the_dashboards_figures_reach_the_summary_the_meeting_and_the_bulletin(world, api_as):
    county(world)
    api = api_as("county_office")
    region, office = world.orgs["county"].pk, world.orgs["county_office"].pk

    board = api.get("/dashboard", {"region": region}).json()
    totals = board["totals"]
    assert (totals["found"], totals["rectified"], totals["overdue"]) == (7, 3, 1)

    drafted = api.post("/daily/draft", {"office": office}).json()
    (summary_id,) = drafted["summaries"]
    summary = api.get(f"/daily/summaries/{summary_id}").json()["region"]
    assert summary["cumulative_found"] == totals["found"]
    assert summary["cumulative_rectified"] == totals["rectified"]
    assert summary["rate"] == totals["rate"]
    assert summary["overdue_in_region"] == totals["overdue"]
    assert summary["sentence"] == board["sentence"]

    agenda = api.get("/daily/agenda", {"office": office}).json()
    overdue = next(section for section in agenda["sections"] if section["reason"] == "overdue")
    assert overdue["total"] == totals["overdue"]

    bulletin = issue(api, "bulletin")
    assert (bulletin["number"], bulletin["serial"]) == (1, "第1期")
    data = bulletin["data"]
    assert (data["found"], data["rectified"], data["overdue"]) == (
        totals["found"],
        totals["rectified"],
        totals["overdue"],
    )
    assert board["sentence"] in "".join(paragraphs(open_docx(api, bulletin)))
