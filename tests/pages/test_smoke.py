import pytest

pytestmark = pytest.mark.django_db


def test_pages_render_for_office(world, login):
    problem = world.problem()
    client = login(world, "county_office")
    for url in ["/problems/queue/", "/problems/", "/problems/new/", f"/problems/{problem.pk}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
