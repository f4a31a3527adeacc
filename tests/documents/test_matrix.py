"""Documents: role × relation (self, ancestor, descendant, sibling, outsider) × action, over
the API and the pages. Out of scope is 404, a role that may not act 403, an issued document
409; lists show exactly what the oracle says each persona sees."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ducha.documents import actions
from ducha.documents.models import Document, DocumentEvent
from tests.documents.helpers import referral
from tests.documents.matrix_oracle import SEES, expected
from tests.matrix.harness import Endpoint, check_each, check_matrix, listed_ids
from tests.world import World

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
    "notice": lambda w: _issued(w, "notice"),
    "referral_letter": lambda w: _issued(w, "referral_letter", referral=referral(w).pk),
}


API = {
    "view": Endpoint("get", lambda d: f"/documents/{d.pk}"),
    "download": Endpoint("get", lambda d: f"/documents/{d.pk}/files/docx"),
    "edit": Endpoint("patch", lambda d: f"/documents/{d.pk}", {"texts": {"intro": "改"}}),
    "issue": Endpoint("post", lambda d: f"/documents/{d.pk}/issue"),
}
PAGES = {
    "view": Endpoint("get", lambda d: f"/documents/{d.pk}/", surface="page"),
    "download": Endpoint("get", lambda d: f"/documents/{d.pk}/files/docx/", surface="page"),
    "edit": Endpoint(
        "post", lambda d: f"/documents/{d.pk}/edit/", {"title": "改", "addressee": ""}, "page"
    ),
    "issue": Endpoint("post", lambda d: f"/documents/{d.pk}/issue/", surface="page"),
}
# A page that acted redirects to the document.
SUCCESS = {"api": {200}, "page": {200, 302}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("surface", ["api", "page"])
@pytest.mark.parametrize("action", sorted(API))
@pytest.mark.parametrize("obj", sorted(OBJECTS))
def test_document_matrix(world, obj, action, surface):
    world.assigned()  # a problem of 卫健局, for the letter and the list
    endpoints = API if surface == "api" else PAGES
    check_matrix(
        world,
        OBJECTS[obj],
        endpoints[action],
        lambda persona, document: expected(persona, obj, action),
        ok=SUCCESS[surface],
        unchanged=lambda document: DocumentEvent.objects.count(),
        # A draft that a persona may issue is issued by it: each gets its own.
        fresh=action in ("edit", "issue") and obj == "draft",
    )


@pytest.mark.parametrize("obj", sorted(OBJECTS))
def test_lists_equal_the_oracle(world, obj):
    world.assigned()
    target = OBJECTS[obj](world)

    def listed(client: Client) -> tuple[bool, bool]:
        page = client.get("/documents/").content.decode()
        return target.pk in listed_ids(client, "/documents?page_size=200"), (
            f'data-document="{target.pk}"' in page
        )

    check_each(world, listed, lambda persona: (persona in SEES[obj],) * 2)
