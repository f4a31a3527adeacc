"""The sweep pages, as an office and a unit use them on a phone: launching from a problem,
the unit's queue and answer, the progress page; similar problems and the histories."""

from __future__ import annotations

from ducha.problems.models import Problem
from ducha.sweeps.models import SelfCheck, Sweep
from tests.sweeps.conftest import origin


def test_similar_problems_and_histories_stay_in_scope(world, login, client):
    problem = origin(world)
    like = origin(world, title="药店排队人员聚集", region="town")
    closed_elsewhere = origin(
        world,
        title="药店排队人员聚集拥挤",
        by="sibling_office",
        unit="sibling_dept",
        region="sibling",
    )
    unlike = origin(world, title="卡口未登记过往车辆", description="")
    login(world, "county_office")
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    similar = page.split('data-testid="similar"')[1].split("</section>")[0]
    assert f'data-problem="{like.pk}"' in similar
    assert f'data-problem="{unlike.pk}"' not in similar
    assert f'data-problem="{closed_elsewhere.pk}"' not in similar  # the sibling's
    assert f'data-problem="{problem.pk}"' not in similar
    unit = client.get(f"/problems/units/{world.orgs['county_dept'].pk}/")
    assert unit.status_code == 200
    assert f'data-problem="{like.pk}"' in unit.content.decode()
    assert client.get(f"/problems/units/{world.orgs['sibling_dept'].pk}/").status_code == 404
    on_site = world.problem(title="卡口值守人员脱岗", region="town", site=world.sites["checkpoint"])
    site = client.get(f"/problems/sites/{world.sites['checkpoint'].pk}/")
    assert f'data-problem="{on_site.pk}"' in site.content.decode()
    assert client.get(f"/problems/sites/{world.sites['sibling_market'].pk}/").status_code == 404


def test_an_office_launches_and_a_unit_answers_through_the_pages(world, login, client):
    problem = origin(world)
    login(world, "county_office")
    detail = client.get(f"/problems/{problem.pk}/").content.decode()
    assert f"/sweeps/new/{problem.pk}/" in detail
    form = client.get(f"/sweeps/new/{problem.pk}/")
    assert form.status_code == 200
    launched = client.post(
        f"/sweeps/new/{problem.pk}/",
        {
            "check_text": "检查药店排队秩序",
            "units": [world.orgs["county_dept"].pk, world.orgs["county_market_dept"].pk],
        },
    )
    assert launched.status_code == 302, launched.content.decode()[:2000]
    sweep = Sweep.objects.get()
    check = SelfCheck.objects.get(sweep=sweep, unit=world.orgs["county_dept"])
    client.logout()
    login(world, "county_handler")
    queue = client.get("/sweeps/queue/").content.decode()
    assert f'data-check="{check.pk}"' in queue
    answered = client.post(
        f"/sweeps/checks/{check.pk}/answer/",
        {
            "version": "0",
            "outcome": "found",
            "problems": "城东药店排队无人引导\n城西药店未设一米线",
        },
    )
    assert answered.status_code == 302
    assert (
        Problem.objects.filter(title__in=["城东药店排队无人引导", "城西药店未设一米线"]).count()
        == 2
    )
    again = client.post(
        f"/sweeps/checks/{check.pk}/answer/",
        {"version": "1", "outcome": "none_found", "note": "无"},
    )
    assert again.status_code == 409
    client.logout()
    login(world, "county_office")
    progress = client.get(f"/sweeps/{sweep.pk}/").content.decode()
    assert 'data-figure="answered">1<' in progress
    assert 'data-figure="problems">2<' in progress
    assert 'data-figure="waiting">1<' in progress
    assert f'data-sweep="{sweep.pk}"' in client.get("/sweeps/").content.decode()


def test_the_launch_form_names_the_field_and_saves_nothing(world, login, client):
    problem = origin(world)
    login(world, "county_office")
    refused = client.post(
        f"/sweeps/new/{problem.pk}/",
        {"check_text": "检查", "units": [world.orgs["sibling_dept"].pk]},
    )
    assert refused.status_code == 422
    assert refused.context["form"].errors["units"]
    assert not Sweep.objects.exists()
    login(world, "county_handler")
    assert client.get(f"/sweeps/new/{problem.pk}/").status_code == 403
