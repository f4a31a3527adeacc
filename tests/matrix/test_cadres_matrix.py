"""Every persona × action on a cadre's observation and a candidate in the county, over the
API and the pages, against an oracle written from docs/cadres.md: the organisation
departments of the county and above see and act; the team member who recorded an
observation sees it; nobody else learns that either exists."""

from __future__ import annotations

import pytest

from ducha.cadres.models import CadreCandidate, CadreEvent, CadreObservation
from tests.cadres.personas import DEPARTMENTS, add_organisation, listed, observe
from tests.matrix.harness import Endpoint, check_each, check_matrix, listed_ids
from tests.matrix.oracle import PERSONAS

pytestmark = pytest.mark.django_db

EVERYONE = [*PERSONAS, *DEPARTMENTS]
# The organisation departments whose jurisdiction holds the county.
KEEPERS = {"county_organisation", "city_organisation"}


def observation_status(persona: str) -> str:
    return "ok" if persona in KEEPERS | {"county_team_member"} else "missing"


def candidate_status(persona: str) -> str:
    return "ok" if persona in KEEPERS else "missing"


def _events(candidate: CadreCandidate) -> int:
    return CadreEvent.objects.filter(candidate=candidate).count()


@pytest.fixture
def people(world):
    return add_organisation(world)


@pytest.mark.parametrize("surface", ["api", "page"])
def test_reading_an_observation(people, surface):
    observation = observe(people)
    path = (
        (lambda o: f"/cadres/observations/{o.pk}")
        if surface == "api"
        else (lambda o: f"/cadres/{o.pk}/")
    )
    check_matrix(
        people,
        lambda _w: observation,
        Endpoint("get", path, surface=surface),
        lambda persona, _o: observation_status(persona),
        ok={200},
        fresh=False,
        personas=EVERYONE,
    )


@pytest.mark.parametrize("surface", ["api", "page"])
def test_reading_a_candidate(people, surface):
    candidate = listed(people, observe(people))
    path = (
        (lambda c: f"/cadres/candidates/{c.pk}")
        if surface == "api"
        else (lambda c: f"/cadres/candidates/{c.pk}/")
    )
    check_matrix(
        people,
        lambda _w: candidate,
        Endpoint("get", path, surface=surface),
        lambda persona, _c: candidate_status(persona),
        ok={200},
        fresh=False,
        personas=EVERYONE,
    )


CASES = [("remove", {"reason": "经核实不宜列入"}), ("mark_used", {"comment": "已使用"})]


@pytest.mark.parametrize("surface", ["api", "page"])
@pytest.mark.parametrize(("action", "body"), CASES, ids=[c[0] for c in CASES])
def test_actions_on_a_candidate(people, surface, action, body):
    if surface == "api":
        path = lambda c: f"/cadres/candidates/{c.pk}/actions/{action}"  # noqa: E731
        ok = {200}
    else:
        path = lambda c: f"/cadres/candidates/{c.pk}/{action}/"  # noqa: E731
        ok = {302}
    count = iter(range(1000))
    check_matrix(
        people,
        lambda w: listed(w, observe(w, person_name=f"干部{next(count)}")),
        Endpoint("post", path, body, surface),
        lambda persona, _c: candidate_status(persona),
        ok=ok,
        unchanged=_events,
        personas=EVERYONE,
    )


def test_lists_follow_the_oracle(people):
    observation = observe(people)
    candidate = listed(people, observation)
    check_each(
        people,
        lambda client: listed_ids(client, "/cadres/observations?page_size=200"),
        lambda persona: {observation.pk} if observation_status(persona) == "ok" else set(),
        personas=EVERYONE,
    )
    check_each(
        people,
        lambda client: listed_ids(client, "/cadres/candidates?page_size=200"),
        lambda persona: {candidate.pk} if candidate_status(persona) == "ok" else set(),
        personas=EVERYONE,
    )
    assert CadreObservation.objects.count() == CadreCandidate.objects.count() == 1
