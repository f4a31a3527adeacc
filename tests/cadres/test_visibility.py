"""Who sees observations of cadres and the lists, over the pages and the API: the
organisation department of the jurisdiction, the team member their own records, and nobody
else at all."""

from __future__ import annotations

import pytest

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import SecurityEvent
from tests.cadres.personas import listed, observe

pytestmark = pytest.mark.django_db

# Every role of the county with no part in this work, and the neighbours' departments.
NOBODY = [
    "county_office",
    "county_leader",
    "county_discipline",
    "county_handler",
    "city_office",
    "city_leader",
    "city_command",
    "county_admin",
    "outsider",
    "sibling_organisation",
]


def test_the_organisation_department_sees_what_teams_record(people, api_as, login):
    observation = observe(people)
    for key in ("county_organisation", "city_organisation"):
        api = api_as(key)
        body = api.get("/cadres/observations").json()
        assert [item["id"] for item in body["items"]] == [observation.pk], key
        assert api.get(f"/cadres/observations/{observation.pk}").json()["facts"]
    page = login(people, "county_organisation").get("/cadres/")
    assert page.status_code == 200
    assert "周明远" in page.content.decode()
    assert 'data-nav="cadres:list"' in page.content.decode()


def test_a_team_member_sees_their_own_records_only(people, api_as, login):
    own = observe(people)
    # The province's team covers the whole city, the county included.
    other = observe(people, by="province_team_member", person_name="韩立群")
    api = api_as("county_team_member")
    assert [i["id"] for i in api.get("/cadres/observations").json()["items"]] == [own.pk]
    assert api.get(f"/cadres/observations/{own.pk}").status_code == 200
    assert api.get(f"/cadres/observations/{other.pk}").status_code == 404
    client = login(people, "county_team_member")
    assert client.get(f"/cadres/{own.pk}/").status_code == 200
    assert client.get(f"/cadres/{other.pk}/").status_code == 404
    assert "韩立群" not in client.get("/cadres/").content.decode()


def test_a_team_member_never_sees_the_lists(people, api_as, login):
    observation = observe(people)
    candidate = listed(people, observation)
    api = api_as("county_team_member")
    assert api.get("/cadres/candidates").json()["count"] == 0
    assert api.get(f"/cadres/candidates/{candidate.pk}").status_code == 404
    client = login(people, "county_team_member")
    assert client.get("/cadres/candidates/").status_code == 404
    assert client.get(f"/cadres/candidates/{candidate.pk}/").status_code == 404
    # Their own observation does not say which list it stands on.
    assert 'data-testid="on-lists"' not in client.get(f"/cadres/{observation.pk}/").content.decode()


@pytest.mark.parametrize("persona", NOBODY)
def test_nobody_else_sees_anything(people, api_as, persona):
    observation = observe(people)
    candidate = listed(people, observation)
    api = api_as(persona)
    for path in ("/cadres/observations", "/cadres/candidates"):
        answer = api.get(path)
        assert answer.status_code == 200 and answer.json()["count"] == 0, path
    assert api.get(f"/cadres/observations/{observation.pk}").status_code == 404
    assert api.get(f"/cadres/candidates/{candidate.pk}").status_code == 404
    client = api.client
    for path in (
        "/cadres/",
        "/cadres/new/",
        "/cadres/candidates/",
        "/cadres/candidates/new/",
        f"/cadres/{observation.pk}/",
        f"/cadres/candidates/{candidate.pk}/",
        f"/cadres/candidates/{candidate.pk}/remove/",
    ):
        answer = client.get(path)
        # A neighbour's department has its own (empty) pages; the county's rows stay out.
        mine = persona == "sibling_organisation" and not any(c.isdigit() for c in path)
        assert answer.status_code in ({200} if mine else {404, 302}), path
        assert "周明远" not in answer.content.decode(), path
    if persona != "sibling_organisation":
        assert 'data-nav="cadres:list"' not in client.get("/problems/").content.decode()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_RECORD_READ).exists()


def test_every_opening_is_on_the_read_trail(people, api_as, login):
    observation = observe(people)
    candidate = listed(people, observation)
    login(people, "county_organisation").get(f"/cadres/{observation.pk}/")
    api_as("city_organisation").get(f"/cadres/candidates/{candidate.pk}")
    api_as("county_team_member").get(f"/cadres/observations/{observation.pk}")
    reads = SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_RECORD_READ).order_by("pk")
    assert [(e.actor.username, e.detail["record"], e.detail["record_id"]) for e in reads] == [
        ("county_organisation", "cadre_observation", observation.pk),
        ("city_organisation", "cadre_candidate", candidate.pk),
        ("county_team_member", "cadre_observation", observation.pk),
    ]
    # A refused opening reads nothing.
    api_as("county_office").get(f"/cadres/observations/{observation.pk}")
    assert reads.count() == 3


def test_the_departments_empty_queue_leads_to_its_lists(people, login):
    page = login(people, "county_organisation").get("/problems/queue/").content.decode()
    assert 'data-testid="cadre-lists-link"' in page and 'href="/cadres/candidates/"' in page
    # A team member's queue holds its own work, and no such hint.
    member = login(people, "county_team_member").get("/problems/queue/").content.decode()
    assert 'data-testid="cadre-lists-link"' not in member
