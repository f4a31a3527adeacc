"""Sweeps over /api/v1/: launching from a problem, the units' answers, the progress, and the
refusals of bad input (nothing half-saved)."""

from __future__ import annotations

from typing import Any

from ducha.documents.models import Document
from ducha.problems.models import Problem
from ducha.sweeps.models import SelfCheck, Sweep, SweepEvent, SweepProblem
from tests.api.conftest import field_errors
from tests.sweeps.conftest import launch_body, origin


def _launch(api, world, problem, **extra):
    return api.post("/sweeps", launch_body(world, problem, **extra))


def _check_of(sweep_id, world, unit):
    return SelfCheck.objects.get(sweep_id=sweep_id, unit=world.orgs[unit])


def test_launch_issues_a_prompt_letter_and_a_self_check_per_unit(world, api_as):
    problem = origin(world)
    response = _launch(api_as("county_office"), world, problem)
    assert response.status_code == 201, response.content
    sweep = response.json()
    assert sweep["origin"] == problem.pk and sweep["office"]["name"] == "双桥区督查办"
    assert sweep["progress"] == {
        "asked": 2,
        "answered": 0,
        "waiting": 2,
        "none_found": 0,
        "found": 0,
        "problems": 0,
        "fixed": 0,
    }
    letters = Document.objects.filter(kind="prompt_letter", state="issued")
    assert sorted(letters.values_list("recipient__name", flat=True)) == [
        "双桥区卫健局",
        "双桥区市场监管局",
    ]
    assert all(check["letter"] for check in sweep["checks"])
    assert all(letter.files.exists() for letter in letters)
    assert list(SweepEvent.objects.values_list("action", flat=True)) == ["launch"]


def test_units_answer_and_the_progress_follows(world, api_as):
    problem = origin(world)
    sweep_id = _launch(api_as("county_office"), world, problem).json()["id"]
    dept = _check_of(sweep_id, world, "county_dept")
    market = _check_of(sweep_id, world, "county_market_dept")
    handler = api_as("county_handler")
    # Each unit sees its own self-check only.
    assert [c["id"] for c in handler.get("/sweeps/checks").json()["items"]] == [dept.pk]
    answered = handler.post(
        f"/sweeps/checks/{dept.pk}/answer",
        {"outcome": "none_found", "note": "已逐一检查辖区药店，未发现类似问题"},
        headers={"If-Match": f'"{dept.pk}-0"'},
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["state"] == "none_found"
    found = api_as("market_handler").post(
        f"/sweeps/checks/{market.pk}/answer",
        {
            "outcome": "found",
            "problems": [{"title": "城南药店排队未设一米线", "description": "高峰时段拥挤"}],
        },
    )
    assert found.status_code == 200, found.content
    [new_id] = found.json()["problems"]
    new = Problem.objects.get(pk=new_id)
    assert new.focus_area_id == problem.focus_area_id and new.state == "new"
    link = SweepProblem.objects.get(problem=new)
    assert link.origin_id == problem.pk and link.sweep_id == sweep_id
    progress = api_as("county_office").get(f"/sweeps/{sweep_id}").json()["progress"]
    assert progress == {
        "asked": 2,
        "answered": 2,
        "waiting": 0,
        "none_found": 1,
        "found": 1,
        "problems": 1,
        "fixed": 0,
    }
    # The linked problem shows its group on its own page.
    page = api_as("county_office").client.get(f"/problems/{new_id}/")
    assert b'data-testid="sweep-group"' in page.content
    assert problem.title.encode() in page.content


def test_answering_twice_or_another_units_task_is_refused(world, api_as):
    sweep_id = _launch(api_as("county_office"), world, origin(world)).json()["id"]
    dept = _check_of(sweep_id, world, "county_dept")
    handler = api_as("county_handler")
    assert (
        handler.post(
            f"/sweeps/checks/{dept.pk}/answer", {"outcome": "none_found", "note": "无"}
        ).status_code
        == 200
    )
    again = handler.post(f"/sweeps/checks/{dept.pk}/answer", {"outcome": "none_found", "note": "x"})
    assert again.status_code == 409
    market = _check_of(sweep_id, world, "county_market_dept")
    other = handler.post(
        f"/sweeps/checks/{market.pk}/answer", {"outcome": "none_found", "note": "x"}
    )
    assert other.status_code == 404
    stale = api_as("market_handler").post(
        f"/sweeps/checks/{market.pk}/answer",
        {"outcome": "none_found", "note": "x"},
        headers={"If-Match": '"0-9"'},
    )
    assert stale.status_code == 412
    assert SelfCheck.objects.get(pk=market.pk).state == "waiting"


def test_bad_answers_name_the_field_and_save_nothing(world, api_as):
    sweep_id = _launch(api_as("county_office"), world, origin(world)).json()["id"]
    dept = _check_of(sweep_id, world, "county_dept")
    handler = api_as("county_handler")
    before = Problem.objects.count()
    for body, field in [
        ({"outcome": "none_found", "note": ""}, "note"),
        ({"outcome": "found", "problems": []}, "problems"),
        ({"outcome": "found", "problems": [{"title": " "}]}, "problems.0.title"),
        ({"outcome": "none_found", "note": "无", "problems": [{"title": "x"}]}, "problems"),
        ({"outcome": "maybe", "note": "无"}, "outcome"),
    ]:
        response = handler.post(f"/sweeps/checks/{dept.pk}/answer", body)
        assert response.status_code == 422, (body, response.content)
        assert field in field_errors(response), (body, response.json())
    assert Problem.objects.count() == before
    assert SelfCheck.objects.get(pk=dept.pk).state == "waiting"


def test_bad_launches_name_the_field_and_save_nothing(world, api_as):
    problem = origin(world)
    county = api_as("county_office")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"check_text": ""}, "check_text"),
        ({"units": []}, "units"),
        ({"units": [world.orgs["sibling_dept"].pk]}, "units"),
        ({"units": [], "sites": [world.sites["sibling_market"].pk]}, "sites"),
        ({"units": [], "region": world.orgs["sibling"].pk}, "region"),
        ({"units": [], "site_kind": "volcano"}, "site_kind"),
    ]
    for extra, field in cases:
        response = _launch(county, world, problem, **extra)
        assert response.status_code == 422, (extra, response.content)
        assert field in field_errors(response), (extra, response.json())
    assert not Sweep.objects.exists()
    assert not Document.objects.filter(kind="prompt_letter").exists()


def test_selectors_choose_units_by_region_and_site_kind(world, api_as):
    problem = origin(world)
    county = api_as("county_office")
    by_region = _launch(county, world, problem, units=[], region=world.orgs["county"].pk)
    assert by_region.status_code == 201, by_region.content
    assert [c["unit"]["name"] for c in by_region.json()["checks"]] == ["水泉沟镇"]
    by_site = _launch(county, world, problem, units=[], site_kind="checkpoint")
    assert by_site.status_code == 201, by_site.content
    [check] = by_site.json()["checks"]
    assert check["site"]["name"] == "双桥区高速卡口" and check["unit"]["name"] == "水泉沟镇"
    similar = origin(world, title="药店排队人员聚集", unit="county_market_dept")
    by_similar = _launch(county, world, similar, units=[], similar_units=True)
    assert by_similar.status_code == 201, by_similar.content
    assert [c["unit"]["name"] for c in by_similar.json()["checks"]] == ["双桥区卫健局"]


def test_who_launches_and_who_reads(world, api_as):
    problem = origin(world)
    for persona in ("county_leader", "county_handler", "sibling_office"):
        response = _launch(api_as(persona), world, problem)
        assert response.status_code in (403, 422), (persona, response.content)
    assert not Sweep.objects.exists()
    sweep_id = _launch(api_as("county_office"), world, problem).json()["id"]
    assert api_as("county_leader").get(f"/sweeps/{sweep_id}").status_code == 200
    assert api_as("city_office").get(f"/sweeps/{sweep_id}").status_code == 200
    assert api_as("sibling_office").get(f"/sweeps/{sweep_id}").status_code == 404
    assert api_as("sibling_handler").get(f"/sweeps/{sweep_id}").status_code == 404
    handler = api_as("county_handler").get(f"/sweeps/{sweep_id}").json()
    assert [c["unit"]["name"] for c in handler["checks"]] == ["双桥区卫健局"]
    assert api_as("sibling_office").get("/sweeps").json()["count"] == 0
