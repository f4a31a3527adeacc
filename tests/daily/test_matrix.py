"""The daily cycle: role × relation × action over the API. Out of scope is 404, role refusals
403, and every list equals what the oracle says the persona sees.

The oracle below is written from the specification, not from the code: team members write
their own team's report; office staff and leaders of the jurisdiction read every team's
report and the summaries; an office's own staff write its summary and return reports;
leaders read the agenda with the offices. Administrators (三员) see none of it.

Each case gets a fresh object (a day of its own) in a state where the action is legal, so
only the permission under test can stop it.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ducha.daily import actions
from ducha.daily.models import DailyEvent
from tests.matrix.harness import Case, Endpoint, check_each, check_matrix, listed_ids
from tests.matrix.oracle import PERSONAS
from tests.world import World

pytestmark = pytest.mark.django_db

# --- the oracle ------------------------------------------------------------------------------

ABOVE = {"city_office", "city_leader", "province_office", "province_leader"}
COUNTY_READERS = {"county_office", "county_leader"} | ABOVE

SEES: dict[str, set[str]] = {
    # The county's own team: its member, and the county's readers and those above.
    "report": COUNTY_READERS | {"county_team_member"},
    # The province's team stationed in the city: the city and the province read it, the
    # county (below the city) does not, nor does the county's own team.
    "province_report": ABOVE | {"province_team_member"},
    "summary": COUNTY_READERS,
    "agenda": COUNTY_READERS,
    "team": COUNTY_READERS | {"county_team_member"},
    "office": COUNTY_READERS,
}

# Who may act, among those who see.
MAY: dict[str, set[str]] = {
    "edit_report": {"county_team_member", "province_team_member"},
    "submit_report": {"county_team_member", "province_team_member"},
    "return_report": {"county_office", "city_office", "province_office"},
    # Only the office's own people write its summary; the offices above read it.
    "edit_summary": {"county_office"},
    "finalise_summary": {"county_office"},
    "view": set(PERSONAS),
    # A team's report is drafted by the team or by an office of its jurisdiction.
    "draft_team": {"county_team_member", "county_office", "city_office"} | {"province_office"},
    "draft_office": {"county_office"},
}


def expected(persona: str, obj: str, action: str) -> str:
    if persona not in SEES[obj]:
        return "missing"
    return "ok" if persona in MAY[action] else "forbidden"


# --- the cases -------------------------------------------------------------------------------

_days = itertools.count(1)


def _day() -> Any:
    return timezone.localdate() - timedelta(days=next(_days))


def _report(world: World, team: str = "county_team") -> Any:
    return actions.do_draft_report(world.teams[team], _day())[0]


def _written(world: World) -> Any:
    report = _report(world)
    return actions.do_edit_report(
        report, acting_user=world.users["county_team_member"], work="走访卡口"
    )


def _submitted(world: World) -> Any:
    report = _written(world)
    return actions.do_submit_report(report, acting_user=world.users["county_team_member"])


def _summary(world: World) -> Any:
    return actions.do_draft_summary(world.orgs["county_office"], _day())[0]


CASES: dict[str, Case] = {
    "report.view": Case("report", "view", _report, "get", lambda o: f"/daily/reports/{o.pk}"),
    "report.edit": Case(
        "report",
        "edit_report",
        _report,
        "patch",
        lambda o: f"/daily/reports/{o.pk}",
        {"difficulties": "人手不足"},
    ),
    "report.refresh": Case(
        "report", "edit_report", _report, "post", lambda o: f"/daily/reports/{o.pk}/refresh"
    ),
    "report.submit": Case(
        "report", "submit_report", _written, "post", lambda o: f"/daily/reports/{o.pk}/submit"
    ),
    "report.return": Case(
        "report",
        "return_report",
        _submitted,
        "post",
        lambda o: f"/daily/reports/{o.pk}/return",
        {"reason": "请补充"},
    ),
    "province_report.view": Case(
        "province_report",
        "view",
        lambda w: _report(w, "province_team"),
        "get",
        lambda o: f"/daily/reports/{o.pk}",
    ),
    "province_report.edit": Case(
        "province_report",
        "edit_report",
        lambda w: _report(w, "province_team"),
        "patch",
        lambda o: f"/daily/reports/{o.pk}",
        {"work": "驻点督查"},
    ),
    "summary.view": Case("summary", "view", _summary, "get", lambda o: f"/daily/summaries/{o.pk}"),
    "summary.edit": Case(
        "summary",
        "edit_summary",
        _summary,
        "patch",
        lambda o: f"/daily/summaries/{o.pk}",
        {"overview": "平稳"},
    ),
    "summary.refresh": Case(
        "summary", "edit_summary", _summary, "post", lambda o: f"/daily/summaries/{o.pk}/refresh"
    ),
    "summary.finalise": Case(
        "summary",
        "finalise_summary",
        _summary,
        "post",
        lambda o: f"/daily/summaries/{o.pk}/finalise",
    ),
    "agenda.view": Case(
        "agenda",
        "view",
        lambda w: w.orgs["county_office"],
        "get",
        lambda o: f"/daily/agenda?office={o.pk}",
    ),
    "team.draft": Case(
        "team",
        "draft_team",
        lambda w: w.teams["county_team"],
        "post",
        lambda o: "/daily/draft",
        lambda w, o: {"team": o.pk},
    ),
    "office.draft": Case(
        "office",
        "draft_office",
        lambda w: w.orgs["county_office"],
        "post",
        lambda o: "/daily/draft",
        lambda w, o: {"office": o.pk},
    ),
}


def _check(world, case: Case, endpoint: Endpoint, ok: set[int]) -> None:
    check_matrix(
        world,
        case.setup,
        endpoint,
        lambda persona, obj: expected(persona, case.obj, case.action),
        ok=ok,
        unchanged=lambda obj: DailyEvent.objects.count(),
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_daily_action_matrix(world, name):
    _check(world, CASES[name], CASES[name].endpoint(), {200})


# A report's and a summary's pages sit at their API paths with a trailing slash and refuse
# what the API refuses; a page that acted redirects back to the record.
RECORDS = {"report", "province_report", "summary"}


@pytest.mark.parametrize("name", sorted(n for n, case in CASES.items() if case.obj in RECORDS))
def test_daily_page_matrix(world, name):
    case = CASES[name]
    method, ok = ("get", {200}) if case.method == "get" else ("post", {302})
    page = Endpoint(method, lambda o: case.path(o) + "/", case.body, "page")
    _check(world, case, page, ok)


LISTS = {
    "report": ("/daily/reports?page_size=200", _report),
    "province_report": ("/daily/reports?page_size=200", lambda w: _report(w, "province_team")),
    "summary": ("/daily/summaries?page_size=200", _summary),
}


@pytest.mark.parametrize("obj", sorted(LISTS))
def test_daily_lists_equal_the_oracle(world, obj):
    path, setup = LISTS[obj]
    target = setup(world)
    check_each(
        world,
        lambda client: target.pk in listed_ids(client, path),
        lambda persona: persona in SEES[obj],
    )
