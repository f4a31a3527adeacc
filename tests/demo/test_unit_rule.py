"""The 交 rule on the demo: a problem goes to a unit near its own region, through the API too."""

from __future__ import annotations

import pytest

from ducha.orgs.models import Org
from ducha.problems.choices import State
from ducha.problems.models import FocusArea, Problem

pytestmark = pytest.mark.django_db

KAIPING = "130205"


def _new_problem_in_kaiping(demo, client) -> Problem:
    """A problem the city office records in 开平区 (the demo's own there are all assigned)."""
    response = client.post(
        "/api/v1/problems",
        {
            "title": "开平区某卡口测温登记缺失",
            "region": demo.region(KAIPING).pk,
            "focus_area": FocusArea.objects.filter(active=True).first().pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return Problem.objects.get(pk=response.json()["id"])


def _assign(client, problem: Problem, unit: Org):
    return client.post(
        f"/api/v1/problems/{problem.pk}/actions/assign",
        {"responsible_org": unit.pk},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )


def test_tangshan_office_may_not_hand_a_kaiping_problem_to_zunhua(demo, signed_in):
    office = signed_in("tangshan.office")
    problem = _new_problem_in_kaiping(demo, office)
    zunhua_health = Org.objects.get(name="遵化市卫生健康局")
    response = _assign(office, problem, zunhua_health)
    assert response.status_code == 422
    assert response.json()["field"] == "responsible_org"
    problem.refresh_from_db()
    assert problem.state == State.NEW and problem.responsible_org_id is None


def test_tangshan_office_hands_it_to_a_kaiping_bureau(demo, signed_in):
    office = signed_in("tangshan.office")
    problem = _new_problem_in_kaiping(demo, office)
    kaiping_industry = Org.objects.get(name="开平区工业和信息化局")
    response = _assign(office, problem, kaiping_industry)
    assert response.status_code == 200, response.content
    problem.refresh_from_db()
    assert problem.state == State.ASSIGNED
    assert problem.responsible_org_id == kaiping_industry.pk
