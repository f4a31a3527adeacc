"""Every answer under /api/ is JSON: unknown paths 404, wrong methods 405, any version."""

import pytest

pytestmark = pytest.mark.django_db

METHODS = ["get", "post", "put", "patch", "delete"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "path",
    [
        "/api",
        "/api/",
        "/api/v1/",
        "/api/v2/problems",
        "/api/v0/",
        "/api/v1/no/such/thing",
        "/api/x.php",
    ],
)
def test_unknown_paths_answer_json_404(world, api_as, anonymous, method, path):
    # The signed-in client checks CSRF as a browser would: no token must not turn it into 403.
    signed_in = api_as("county_office", enforce_csrf_checks=True).client
    for client in (signed_in, anonymous.client):
        response = getattr(client, method)(path, headers={"Accept-Language": "en"})
        assert response.status_code == 404, (method, path)
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", "/api/v1/tokens/1", "DELETE"),
        ("put", "/api/v1/problems", "GET"),
        ("delete", "/api/v1/me", "GET"),
        ("patch", "/api/v1/problems/1/actions/urge", "POST"),
    ],
)
def test_wrong_methods_answer_json_405(world, api_as, method, path, allowed):
    response = getattr(api_as("county_office").client, method)(
        path, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "This method is not allowed here."}
    assert allowed in response["Allow"]


def test_pages_keep_their_html_404(world, login):
    response = login(world, "county_office").get("/no/such/page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
