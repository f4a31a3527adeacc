"""The demo's sweeps (举一反三): the pharmacy crowd circulated to every community of 三岔街道,
and the dialysis patient of 后西村 turned into a survey of the patient groups with special
needs in Hui'an. Their progress, on the page and over the API, is counted from the records."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from ducha.orgs.models import Org
from ducha.problems.models import Problem
from ducha.sweeps.models import SelfCheck, Sweep, SweepEvent, SweepProblem

pytestmark = pytest.mark.django_db

ZONE, HUIAN = "510109", "350521"
FIGURES = ("asked", "answered", "waiting", "none_found", "problems", "fixed")


def sweep_of(county_code: str) -> Sweep:
    return Sweep.objects.get(county__code=county_code)


def counted(sweep: Sweep, unit: Org | None = None) -> dict[str, int]:
    """The progress figures counted here from the rows, the way a clerk would tally them."""
    checks = list(SelfCheck.objects.filter(sweep=sweep))
    if unit is not None:
        checks = [check for check in checks if check.unit_id == unit.pk]
    states = [check.state for check in checks]
    problems = [
        link.problem
        for link in SweepProblem.objects.filter(sweep=sweep).select_related("problem")
        if link.self_check_id in {check.pk for check in checks}
    ]
    return {
        "asked": len(states),
        "answered": len([s for s in states if s != "waiting"]),
        "waiting": states.count("waiting"),
        "none_found": states.count("none_found"),
        "found": states.count("found"),
        "problems": len(problems),
        "fixed": len([p for p in problems if p.state == "closed"]),
    }


def street_of(sweep: Sweep) -> Org:
    """The street whose pharmacy the zone's sweep started from."""
    site = sweep.origin.site
    assert site is not None
    return site.region


def api_sweep(client: Client, sweep: Sweep) -> dict[str, Any]:
    response = client.get(f"/api/v1/sweeps/{sweep.pk}")
    assert response.status_code == 200
    return response.json()


def page_figures(client: Client, sweep: Sweep) -> dict[str, int]:
    page = client.get(f"/sweeps/{sweep.pk}/")
    assert page.status_code == 200
    found = re.findall(r'data-figure="(\w+)">(\d+)<', page.content.decode())
    return {name: int(value) for name, value in found}


def test_the_street_asked_every_one_of_its_communities_with_a_prompt_letter(demo, signed_in):
    sweep = sweep_of(ZONE)
    street = street_of(sweep)
    communities = set(Org.objects.filter(parent=street, kind="region").values_list("pk", flat=True))
    checks = SelfCheck.objects.filter(sweep=sweep).select_related("document")
    assert len(communities) > 1
    assert {check.unit_id for check in checks} == communities
    assert sweep.office.region == street
    letters = [check.document for check in checks if check.document is not None]
    assert len(letters) == len(checks)
    assert {doc.kind for doc in letters} == {"prompt_letter"}
    assert len({doc.reference for doc in letters}) == len(letters)
    body = api_sweep(signed_in("chengdu.office"), sweep)
    assert {item["letter"] for item in body["checks"]} == {doc.reference for doc in letters}


@pytest.mark.parametrize(
    ("code", "username"),
    [(ZONE, "chengdu.office"), (ZONE, "chengdu.leader"), (HUIAN, "huian.office")],
)
def test_progress_on_the_page_and_over_the_api_is_counted_from_the_records(
    demo, signed_in, code, username
):
    sweep = sweep_of(code)
    client = signed_in(username)
    expected = counted(sweep)
    assert api_sweep(client, sweep)["progress"] == expected
    assert page_figures(client, sweep) == {name: expected[name] for name in FIGURES}


def test_the_zones_sweep_had_every_kind_of_answer_and_every_problem_it_found_is_closed(demo):
    sweep = sweep_of(ZONE)
    figures = counted(sweep)
    assert figures["none_found"] > 0 and figures["found"] > 0
    assert figures["waiting"] == 0
    assert figures["problems"] == figures["fixed"] >= figures["found"]
    found = Problem.objects.filter(
        pk__in=SweepProblem.objects.filter(sweep=sweep).values("problem")
    )
    # They are part of the zone's line: found in the zone, by the communities themselves.
    assert set(found.values_list("county__code", flat=True)) == {ZONE}
    assert set(found.values_list("village__parent", flat=True)) == {street_of(sweep).pk}
    assert all(p.team_id is None for p in found)


def test_huian_found_problems_some_fixed_some_still_with_their_units(demo, signed_in):
    sweep = sweep_of(HUIAN)
    figures = counted(sweep)
    assert figures["waiting"] > 0 and figures["none_found"] > 0
    assert 0 < figures["fixed"] < figures["problems"]
    links = SweepProblem.objects.filter(sweep=sweep).select_related("problem", "self_check")
    for link in links:
        # Each problem was handed to the unit that found it, and links back to the dialysis case.
        assert link.problem.responsible_org_id == link.self_check.unit_id
        assert link.origin_id == sweep.origin_id
    health = Org.objects.get(name="惠安县卫健局")
    asked = set(SelfCheck.objects.filter(sweep=sweep).values_list("unit_id", flat=True))
    towns = set(Org.objects.filter(parent=sweep.region, kind="region").values_list("pk", flat=True))
    assert asked == towns | {health.pk}


def test_a_unit_reads_its_own_self_check_and_counts_only_its_own(demo, signed_in):
    sweep = sweep_of(HUIAN)
    client = signed_in("huian.handler")
    body = api_sweep(client, sweep)
    (check,) = body["checks"]
    assert check["unit"]["name"] == "惠安县卫健局"
    unit = Org.objects.get(pk=check["unit"]["id"])
    assert body["progress"] == counted(sweep, unit)
    assert body["progress"]["asked"] < counted(sweep)["asked"]
    queue = client.get("/api/v1/sweeps/checks").json()
    assert [item["id"] for item in queue["items"]] == [check["id"]]
    # The zone's sweep asks no unit of the county's.
    assert client.get(f"/api/v1/sweeps/{sweep_of(ZONE).pk}").status_code == 404


def test_a_linked_problem_shows_its_sweep_and_the_original_problem(demo, signed_in):
    sweep = sweep_of(HUIAN)
    link = SweepProblem.objects.filter(sweep=sweep).order_by("pk")[0]
    page = signed_in("huian.office").get(f"/problems/{link.problem_id}/").content.decode()
    assert sweep.title in page
    assert f"/problems/{sweep.origin_id}/" in page


def test_each_answer_is_one_event_at_its_replayed_moment(demo):
    for sweep in Sweep.objects.all():
        answered = SelfCheck.objects.filter(sweep=sweep).exclude(state="waiting")
        events = SweepEvent.objects.filter(sweep=sweep, action="answer")
        assert set(events.values_list("self_check", flat=True)) == {c.pk for c in answered}
        assert events.count() == len(answered)
        for check in answered:
            event = events.get(self_check=check)
            assert event.created_at == check.answered_at
            assert event.created_at > sweep.launched_at
        (launch,) = SweepEvent.objects.filter(sweep=sweep, action="launch")
        assert launch.created_at == sweep.launched_at > sweep.origin.found_at
