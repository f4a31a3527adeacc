"""The matters pages and lists cost the same number of queries however many batches,
matters and offices they show."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.matters.conftest import batch_from_city


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_do_not_grow_with_batches(world, login):
    batch_from_city(world)
    client = login(world, "city_office")
    one = (_queries(client, "/matters/"), _queries(client, "/api/v1/matter-batches"))
    for _ in range(3):
        batch_from_city(world, "county_office", "sibling_office", "town_office", count=4)
    many = (_queries(client, "/matters/"), _queries(client, "/api/v1/matter-batches"))
    assert many == one


def test_a_batch_does_not_grow_with_its_matters(world, login):
    small = batch_from_city(world, "county_office", count=1)
    large = batch_from_city(world, "county_office", "sibling_office", "town_office", count=8)
    for persona in ("city_office", "county_office"):
        client = login(world, persona)
        assert _queries(client, f"/matters/{large.pk}/") == _queries(
            client, f"/matters/{small.pk}/"
        ), persona
        assert _queries(client, f"/api/v1/matter-batches/{large.pk}") == _queries(
            client, f"/api/v1/matter-batches/{small.pk}"
        ), persona
