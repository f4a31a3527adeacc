"""The block a problem's page can show: the visit that found it and its photos."""

import pytest
from django.template import engines
from django.test import RequestFactory

from ducha.fieldwork.evidence import do_attach_evidence
from ducha.problems.models import Problem
from tests.fieldwork.domain.factory import fail, inspect, item
from tests.fieldwork.pages.conftest import photo

pytestmark = pytest.mark.django_db

TEMPLATE = "{% load fieldwork_tags %}{% problem_field_work problem %}"


def render(user, problem) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = engines["django"].from_string(TEMPLATE)
    return template.render({"problem": problem}, request)


def test_the_visit_and_the_photos_for_those_who_may_see_them(world):
    inspection = inspect(world, [fail(item(world))])
    problem = Problem.objects.get()
    evidence = do_attach_evidence(
        acting_user=world.users["county_team_member"], upload=photo(), problem=problem
    )
    html = render(world.users["county_office"], problem)
    assert f'href="/field/inspections/{inspection.pk}/"' in html
    assert f'src="/field/evidence/{evidence.pk}/thumb/"' in html
    assert render(world.users["sibling_office"], problem).strip() == ""


def test_nothing_for_a_problem_recorded_by_hand(world):
    problem = world.problem()
    assert render(world.users["county_office"], problem).strip() == ""


def test_the_problem_page_shows_the_block(world, login):
    inspection = inspect(world, [fail(item(world))])
    problem = Problem.objects.get()
    page = login(world, "county_office").get(f"/problems/{problem.pk}/").content.decode()
    assert 'data-testid="problem-field-work"' in page
    assert f'href="/field/inspections/{inspection.pk}/"' in page
