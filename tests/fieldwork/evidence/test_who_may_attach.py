"""Who may add evidence to which object: 404 out of scope, 403 when the role may not."""

from __future__ import annotations

import pytest

from ducha.fieldwork.models import Evidence, FieldEvent
from ducha.problems import actions
from tests.fieldwork.evidence.conftest import PDF, png, stored_files

pytestmark = pytest.mark.usefixtures("media")


@pytest.mark.parametrize("persona", ["county_office", "county_team_member", "city_office"])
def test_office_and_team_add_to_a_problem_they_see(as_user, problem, persona):
    assert as_user(persona).post(png(), problem=problem).status_code == 201


def test_responsible_unit_adds_to_its_problem(as_user, world):
    problem = world.assigned("county_dept")
    assert as_user("county_handler").post(png(), problem=problem).status_code == 201


@pytest.mark.parametrize(
    "persona",
    [
        "sibling_office",
        "other_office",
        "outsider",
        "market_handler",
        "town_office",
        "county_admin",  # administrators (三员) see nothing of the loop
    ],
)
def test_problem_out_of_scope_is_not_found(as_user, problem, media, persona):
    response = as_user(persona).post(png(), problem=problem)

    assert response.status_code == 404
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_missing_problem_reads_like_an_invisible_one(as_user, problem):
    response = as_user("county_office").post(png(), problem=problem.pk + 1000)
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["county_leader", "county_discipline"])
def test_readers_may_not_add(as_user, problem, persona):
    response = as_user(persona).post(png(), problem=problem)
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_anonymous_gets_401(client, problem):
    response = client.post("/api/v1/evidence", {"client_key": "0" * 32, "problem": problem.pk})
    assert response.status_code == 401


def _rectified(world):
    problem = world.assigned("county_dept")
    actions.do_submit_rectification(
        problem, acting_user=world.users["county_handler"], text="已补登记并张贴告示"
    )
    return problem, problem.events.get(action="submit_rectification")


def test_unit_handler_documents_its_rectification(as_user, world):
    problem, report = _rectified(world)

    response = as_user("county_handler").post(
        PDF, content_type="application/pdf", problem_event=report
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["problem_event"] == report.pk
    assert body["problem"] == problem.pk
    listed = as_user("county_office").get("/api/v1/evidence", problem_event=report.pk)
    assert [item["id"] for item in listed.json()["items"]] == [body["id"]]


def test_only_the_unit_handler_documents_a_rectification(as_user, world):
    _problem, report = _rectified(world)

    assert as_user("county_office").post(png(), problem_event=report).status_code == 403
    assert as_user("sibling_handler").post(png(), problem_event=report).status_code == 404


def test_rectification_evidence_needs_a_rectification_report(as_user, world):
    problem, _report = _rectified(world)
    created = problem.events.get(action="create")

    response = as_user("county_handler").post(png(), problem_event=created)

    assert response.status_code == 422
    assert response.json()["field"] == "problem_event"


def test_team_member_adds_to_their_visit(as_user, inspection):
    response = as_user("county_team_member").post(png(), inspection=inspection)

    assert response.status_code == 201, response.content
    assert response.json()["inspection"] == inspection.pk
    event = FieldEvent.objects.get(action="attach_evidence")
    assert event.inspection == inspection


def test_office_adds_to_a_visit_in_its_jurisdiction(as_user, inspection):
    assert as_user("county_office").post(png(), inspection=inspection).status_code == 201


def test_member_of_another_team_may_not_add_to_the_visit(as_user, inspection):
    # The provincial team covers the whole city and so sees the visit, but it is not theirs.
    response = as_user("province_team_member").post(png(), inspection=inspection)
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["sibling_office", "sibling_team_member", "outsider"])
def test_visit_out_of_scope_is_not_found(as_user, inspection, persona):
    assert as_user(persona).post(png(), inspection=inspection).status_code == 404


def test_upload_with_an_api_token(world, problem):
    from django.test import Client

    from ducha.accounts.models import ApiToken
    from tests.fieldwork.evidence.conftest import Uploader

    _, raw = ApiToken.issue(world.users["county_team_member"], "phone")
    uploader = Uploader(Client(headers={"Authorization": f"Bearer {raw}"}))

    response = uploader.post(png(), problem=problem)

    assert response.status_code == 201, response.content
    assert response.json()["uploaded_by"]["id"] == world.users["county_team_member"].pk
