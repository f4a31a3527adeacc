"""Documents: role × relation (self, ancestor, descendant, sibling, outsider) × action, over
the API and the pages. Out of scope is 404, a role that may not act 403, an issued document
409; lists show exactly what the oracle says each persona sees."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from ducha.documents import actions
from ducha.documents.models import Document, DocumentEvent
from tests.documents.matrix_oracle import SEES, expected
from tests.matrix.oracle import PERSONAS
from tests.world import PASSWORD, World

pytestmark = pytest.mark.django_db


def _new(world: World, kind: str, **params: Any) -> Document:
    return actions.do_create_draft(
        acting_user=world.users["county_office"],
        kind=kind,
        issuer=world.orgs["county_office"],
        params=params,
    )


def _issued(world: World, kind: str, **params: Any) -> Document:
    return actions.do_issue_document(
        _new(world, kind, **params), acting_user=world.users["county_office"]
    )


OBJECTS: dict[str, Callable[[World], Document]] = {
    "draft": lambda w: _new(w, "bulletin"),
    "bulletin": lambda w: _issued(w, "bulletin"),
    "letter": lambda w: _issued(w, "rectification_letter", recipient=w.orgs["county_dept"].pk),
    "list": lambda w: _issued(w, "problem_list", responsible_org=w.orgs["county_dept"].pk),
    "prompt": lambda w: _issued(w, "prompt_letter", recipient=w.orgs["town_office"].pk),
    "command_prompt": lambda w: _issued(w, "prompt_letter", recipient=w.orgs["city_command"].pk),
}


@dataclass
class Endpoint:
    method: str
    path: Callable[[int], str]
    body: dict[str, Any] | None = None


API = {
    "view": Endpoint("get", lambda pk: f"/api/v1/documents/{pk}"),
    "download": Endpoint("get", lambda pk: f"/api/v1/documents/{pk}/files/docx"),
    "edit": Endpoint("patch", lambda pk: f"/api/v1/documents/{pk}", {"texts": {"intro": "改"}}),
    "issue": Endpoint("post", lambda pk: f"/api/v1/documents/{pk}/issue"),
}
PAGES = {
    "view": Endpoint("get", lambda pk: f"/documents/{pk}/"),
    "download": Endpoint("get", lambda pk: f"/documents/{pk}/files/docx/"),
    "edit": Endpoint("post", lambda pk: f"/documents/{pk}/edit/", {"title": "改", "addressee": ""}),
    "issue": Endpoint("post", lambda pk: f"/documents/{pk}/issue/"),
}
STATUS = {
    "api": {"missing": {404}, "forbidden": {403}, "conflict": {409}, "ok": {200}},
    # A page that acted redirects to the document.
    "page": {"missing": {404}, "forbidden": {403}, "conflict": {409}, "ok": {200, 302}},
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client(world: World, persona: str) -> Client:
    client = Client()
    assert client.login(username=world.users[persona].username, password=PASSWORD)
    return client


def _call(client: Client, endpoint: Endpoint, pk: int, surface: str) -> int:
    url = endpoint.path(pk)
    if endpoint.method == "get":
        return client.get(url).status_code
    if surface == "api":
        send = getattr(client, endpoint.method)
        return send(
            url, json.dumps(endpoint.body or {}), content_type="application/json"
        ).status_code
    return client.post(url, endpoint.body or {}).status_code


@pytest.mark.parametrize("surface", ["api", "page"])
@pytest.mark.parametrize("action", sorted(API))
@pytest.mark.parametrize("obj", sorted(OBJECTS))
def test_document_matrix(world, obj, action, surface):
    world.assigned()  # a problem of 卫健局, for the letter and the list
    endpoints = API if surface == "api" else PAGES
    acts = action in ("edit", "issue")
    shared = None if acts and obj == "draft" else OBJECTS[obj](world)
    mismatches = []
    for persona in PERSONAS:
        # A draft that a persona may issue is issued by it: each gets its own.
        document = shared or OBJECTS[obj](world)
        events = DocumentEvent.objects.count()
        want = expected(persona, obj, action)
        got = _call(_client(world, persona), endpoints[action], document.pk, surface)
        if got not in STATUS[surface][want]:
            mismatches.append(f"{persona}: expected {want}, got {got}")
        if want != "ok":
            assert DocumentEvent.objects.count() == events, persona
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("obj", sorted(OBJECTS))
def test_lists_equal_the_oracle(world, obj):
    world.assigned()
    target = OBJECTS[obj](world)
    mismatches = []
    for persona in PERSONAS:
        client = _client(world, persona)
        listed = {
            row["id"] for row in client.get("/api/v1/documents?page_size=200").json()["items"]
        }
        page = client.get("/documents/").content.decode()
        on_page = f'data-document="{target.pk}"' in page
        want = persona in SEES[obj]
        if (target.pk in listed, on_page) != (want, want):
            mismatches.append(
                f"{persona}: expected {want}, got api={target.pk in listed} page={on_page}"
            )
    assert not mismatches, "\n".join(mismatches)
