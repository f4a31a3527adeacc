"""The schema and the interactive docs, served without any outside host (政务内网)."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation

from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href"} and value:
                self.urls.append(value)


def _refs(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    return parser.urls


def test_openapi_schema(anonymous):
    response = anonymous.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Ducha API"
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    create = schema["paths"]["/api/v1/problems"]["post"]
    assert "422" in create["responses"] and "403" in create["responses"]
    assign = schema["paths"]["/api/v1/problems/{problem_id}/actions/assign"]["post"]
    body = assign["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/AssignIn")


def test_docs_load_nothing_from_another_host(world, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    refs = _refs(html)
    assert refs, "the page should reference its scripts and styles"
    outside = [url for url in refs if re.match(r"^(https?:)?//", url)]
    assert outside == []
    for url in refs:
        # Each one is a file this installation serves itself.
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    # Swagger UI would otherwise fetch a validator badge from its makers' server.
    settings_json = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S)
    assert settings_json is not None
    assert json.loads(settings_json.group(1))["validatorUrl"] is None


def test_docs_send_the_csrf_token_for_session_calls(world, api_as):
    html = api_as("county_office").client.get("/api/v1/docs").content.decode()
    assert 'data-api-csrf="true"' in html
    assert re.search(r'data-csrf-token="[^"]+"', html)


def test_schema_is_public_but_data_is_not(anonymous):
    assert anonymous.get("/openapi.json").status_code == 200
    assert Api(anonymous.client).get("/problems").status_code == 401


def test_the_schema_is_built_once_per_language(anonymous, monkeypatch):
    import ninja.main

    built: list[str] = []
    build = ninja.main.get_schema

    def counted(api, path_prefix):
        built.append(path_prefix)
        return build(api=api, path_prefix=path_prefix)

    monkeypatch.setattr(ninja.main, "get_schema", counted)
    from ducha.api.urls import api

    api._schemas.clear()
    with translation.override("en"):
        # A caller's copy is its own: changing it changes nothing served.
        api.get_openapi_schema()["info"]["title"] = "changed by a caller"
    again = anonymous.get("/openapi.json", headers={"Accept-Language": "en"}).json()
    assert len(built) == 1 and again["info"]["title"] == "Ducha API"
    chinese = anonymous.get("/openapi.json", headers={"Accept-Language": "zh-Hans"}).json()
    assert len(built) == 2
    assert chinese["paths"].keys() == again["paths"].keys()
