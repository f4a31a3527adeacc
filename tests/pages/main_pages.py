"""The main pages of each main persona, over the county of tests/census/county.py: the pages
the accessibility checks visit, in the browser (axe-core) and through HTTP (labels)."""

from __future__ import annotations

from django.utils import timezone

from tests.census.county import County


def main_pages(county: County, task_id: int) -> dict[str, list[str]]:
    """Paths by persona; `task_id` is a task of the county's team for today."""
    ids = county.ids
    problem, sweep, check = ids["problem"][0], ids["sweep"][0], ids["self_check"][0]
    draft, issued = ids["document"][0], ids["document"][1]
    policy, report, summary = ids["policy"][0], ids["daily_report"][0], ids["daily_summary"][0]
    shared = ["/problems/", f"/problems/{problem}/", "/search/?q=CENSUSMARK"]
    return {
        "county_office": [
            "/",
            "/problems/queue/",
            *shared,
            "/problems/new/",
            "/reports/",
            "/documents/",
            "/documents/new/",
            f"/documents/{draft}/",
            f"/documents/{issued}/",
            "/daily/",
            "/daily/reports/",
            f"/daily/reports/{report}/",
            "/daily/summaries/",
            f"/daily/summaries/{summary}/",
            "/daily/agenda/",
            "/field/tasks/new/",
            f"/field/day/{timezone.localdate().isoformat()}/",
            "/sweeps/",
            f"/sweeps/new/{problem}/",
            f"/sweeps/{sweep}/",
            "/policies/",
            f"/policies/{policy}/",
        ],
        "county_team_member": [
            "/",
            "/field/tasks/",
            f"/field/inspections/new/?task={task_id}",
            "/problems/new/",
            *shared,
            "/daily/",
            f"/daily/reports/{report}/",
            "/policies/",
        ],
        "county_handler": [
            "/",
            "/problems/queue/",
            *shared,
            "/sweeps/queue/",
            f"/sweeps/checks/{check}/",
            "/policies/",
        ],
        "county_leader": [
            "/",
            *shared,
            "/reports/",
            "/documents/",
            f"/documents/{issued}/",
            "/daily/",
            "/daily/agenda/",
            "/sweeps/",
            "/policies/",
        ],
    }
