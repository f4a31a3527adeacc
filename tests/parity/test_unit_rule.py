"""交's rule on every path that hands a problem to a unit: the page's choices, the action's
check, the bulk path of imports and the ledger's names agree, org by org."""

from __future__ import annotations

import pytest

from ducha.orgs.models import Org
from ducha.problems import actions
from ducha.problems.bulk import BulkRowRefused, NewProblem, do_create_problems
from ducha.problems.choosers import RESPONSIBLE_UNIT, UnitCheck, responsible_units
from ducha.problems.models import FocusArea, Problem
from tests.api.conftest import field_errors
from tests.ledger.conftest import api_upload, row, workbook

pytestmark = pytest.mark.django_db

OFFICES = ["province_office", "city_office", "county_office", "town_office", "sibling_office"]


def test_the_query_and_the_bulk_check_agree_on_every_org(world):
    """`near` (a query) and `lies_near` (rows already read) are one rule written twice."""
    problems = [
        world.problem(region=region, by=by)
        for region, by in [
            ("county", "county_office"),
            ("town", "town_office"),
            ("sibling", "sibling_office"),
            ("city", "city_office"),
        ]
    ]
    orgs = list(Org.objects.all())
    checked = 0
    for persona in OFFICES:
        user = world.users[persona]
        check = UnitCheck(user, orgs)
        for problem in problems:
            offered = set(responsible_units(user, problem).values_list("pk", flat=True))
            for org in orgs:
                try:
                    check.check(problem, org)
                    allowed = True
                except actions.InvalidInput:
                    allowed = False
                assert allowed == (org.pk in offered), (persona, problem.region.name, org.name)
                checked += 1
    assert checked == len(OFFICES) * len(problems) * len(orgs)


def test_the_city_sees_the_neighbouring_bureau_but_may_not_hand_it_a_county_problem(world):
    problem = world.problem()
    city = world.users["city_office"]
    sibling_dept = world.orgs["sibling_dept"]
    assert Org.objects.visible_to(city).filter(pk=sibling_dept.pk).exists()
    with pytest.raises(actions.InvalidInput) as refused:
        actions.do_assign(problem, acting_user=city, responsible_org=sibling_dept)
    assert refused.value.field == "responsible_org"
    assert refused.value.message == str(RESPONSIBLE_UNIT.message)
    assert Problem.objects.get(pk=problem.pk).state == "new"
    assigned = actions.do_assign(
        problem, acting_user=city, responsible_org=world.orgs["county_dept"]
    )
    assert assigned.responsible_org == world.orgs["county_dept"]


def test_the_bulk_path_refuses_the_same_unit_and_keeps_nothing(world):
    area = FocusArea.objects.get(code="screening")
    items = [
        NewProblem(
            title="本区问题",
            region=world.orgs["county"],
            focus_area=area,
            responsible_org=world.orgs["county_dept"],
        ),
        NewProblem(
            title="交给邻区",
            region=world.orgs["county"],
            focus_area=area,
            responsible_org=world.orgs["sibling_dept"],
        ),
    ]
    with pytest.raises(BulkRowRefused) as refused:
        do_create_problems(items, acting_user=world.users["city_office"])
    assert refused.value.index == 1
    assert refused.value.error.field == "responsible_org"
    assert not Problem.objects.exists()


def test_a_ledger_row_naming_the_neighbouring_bureau_is_refused(world, api_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = workbook(
        [
            row(**{"地区": "河北省/承德市/双桥区", "承办单位": "双滦区卫健局"}),
            row(**{"地区": "河北省/承德市/双滦区", "承办单位": "双滦区卫健局"}),
        ]
    )
    response = api_upload(api_as("city_office"), data)
    assert response.status_code == 201, response.content
    errors = response.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "responsible_org")]


def test_the_api_names_the_field_it_refuses(world, api_as):
    problem = world.problem()
    response = api_as("city_office").act(
        problem, "assign", responsible_org=world.orgs["sibling_dept"].pk
    )
    assert response.status_code == 422
    assert field_errors(response) == {"responsible_org"}
