"""The stats line of a list read from the rollups equals a count of what the caller sees."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.problems import actions
from ducha.problems.choices import State
from ducha.problems.models import Problem
from ducha.problems.rollups.models import RollupCell

pytestmark = pytest.mark.django_db

STATES = [None, *State.values]
REGIONS = ("province", "city", "county", "town", "sibling", "other_province")


@pytest.fixture
def spread(world):
    """Problems in every state, in the county, its town, its sibling and another province."""
    handler = world.users["county_handler"]
    world.problem()
    world.assigned()
    actions.do_dispute(world.assigned(), acting_user=handler, reason="不属于本单位职责")
    actions.do_submit_rectification(world.assigned(), acting_user=handler, text="已整改到位")
    for region in ("county", "town"):
        closed = world.problem(region=region)
        actions.do_close_on_spot(
            closed, acting_user=world.users["county_office"], evidence="已整改"
        )
    world.problem(region="town")
    world.assigned(by="sibling_office", region="sibling", unit="sibling_dept")
    world.problem(by="other_office", region="other_province")
    return world


def counted(user, state, region) -> dict:
    """The stats line counted over the rows the user sees, filtered as the list is."""
    problems = Problem.objects.visible_to(user)
    if state:
        problems = problems.filter(state=state)
    if region is not None:
        problems = problems.filter(**{f"{LEVEL_FIELDS[RegionLevel(region.level)]}_id": region.pk})
    return problems.rectification_stats()


def test_every_persona_gets_the_counted_stats_line_for_every_state_and_region(spread, api_as):
    answered = 0
    for persona, user in spread.users.items():
        api = api_as(persona)
        for state in STATES:
            for region in (None, *(spread.orgs[key] for key in REGIONS)):
                params = {"state": state or "", "region": region.pk if region else ""}
                response = api.get("/problems", {k: v for k, v in params.items() if v})
                if region is not None and response.status_code == 422:
                    continue  # a region outside the caller's jurisdiction is refused
                assert response.status_code == 200, (persona, params, response.content)
                expected = counted(user, state, region)
                assert response.json()["stats"] == expected, (persona, params)
                answered += expected["found"]
    assert answered > 100  # the comparisons were over problems, not over empty lists


def test_a_region_office_reads_the_rollups_and_a_unit_counts_its_problems(spread, api_as):
    table = RollupCell._meta.db_table
    problems = Problem._meta.db_table
    for persona, reads_rollups in (("county_office", True), ("county_handler", False)):
        api = api_as(persona)
        api.get("/problems")  # the session's first request writes; not what is measured
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/problems").status_code == 200
        statements = [query["sql"] for query in queries.captured_queries]
        from_rollups = [sql for sql in statements if table in sql]
        counts = [sql for sql in statements if "COUNT(" in sql.upper() and problems in sql]
        assert bool(from_rollups) is reads_rollups, persona
        assert bool(counts) is not reads_rollups, persona


def test_the_page_shows_the_same_line(spread, login):
    page = login(spread, "city_office").get("/problems/").content.decode()
    line = re.search(r'data-testid="stats">(.*?)</p>', page, re.S).group(1)
    stats = counted(spread.users["city_office"], None, None)
    figures = [str(stats[key]) for key in ("found", "rectified", "rate", "disputed")]
    assert re.findall(r"\d+(?:\.\d+)?", line) == figures
