"""q= of the documents list (page and API) and of the inspections list (API): full-text,
in either script, inside the list's scope; refused like the search."""

from __future__ import annotations

import pytest

from ducha.documents import actions as document_actions
from tests.api.conftest import field_errors
from tests.search.helpers import visit

pytestmark = pytest.mark.django_db


def _document(world, title: str, **texts: str):
    office = world.users["county_office"]
    return document_actions.do_create_draft(
        acting_user=office,
        kind="bulletin",
        issuer=world.orgs["county_office"],
        params={},
        title=title,
        texts=texts,
    )


def test_the_documents_list_searches_titles_and_texts(world, api_as, login):
    by_title = _document(world, "关于核酸采样点秩序的通报")
    by_text = _document(world, "第二期通报", criticism="部分核酸采样点排队过长")
    _document(world, "第三期通报")
    api = api_as("county_office")
    response = api.get("/documents", {"q": "核酸採樣點"})
    assert response.status_code == 200, response.content
    assert {item["id"] for item in response.json()["items"]} == {by_title.pk, by_text.pk}
    assert response.json()["count"] == 2
    page = login(world, "county_office").get("/documents/", {"q": "核酸采样点"})
    assert page.status_code == 200
    text = page.content.decode()
    assert f'data-document="{by_title.pk}"' in text and f'data-document="{by_text.pk}"' in text
    assert text.count('data-testid="document-row"') == 2
    assert "关于<mark>核酸</mark><mark>采样点</mark>秩序的通报" in text or "<mark>" in text


def test_an_edit_keeps_the_words_current(world, api_as):
    document = _document(world, "第二期通报")
    api = api_as("county_office")
    assert api.get("/documents", {"q": "排队过长"}).json()["count"] == 0
    response = api.call(
        "patch", f"/documents/{document.pk}", {"texts": {"criticism": "采样点排队过长"}}
    )
    assert response.status_code == 200, response.content
    assert api.get("/documents", {"q": "排队过长"}).json()["count"] == 1


def test_the_documents_list_refuses_a_bad_q(world, api_as, login):
    for q in ("报", "*", "报表\x00"):
        response = api_as("county_office").get("/documents", {"q": q})
        assert response.status_code == 422 and field_errors(response) == {"q"}
        page = login(world, "county_office").get("/documents/", {"q": q})
        assert page.status_code == 400
        assert 'data-field="q"' in page.content.decode()


def test_the_inspections_list_searches_notes(world, api_as):
    mine = visit(world, "登记本字迹潦草")
    visit(world, "一切正常")
    visit(
        world,
        "登记本字迹潦草",
        by="sibling_team_member",
        team="sibling_team",
        site="sibling_market",
        office="sibling_office",
    )
    response = api_as("county_office").get("/inspections", {"q": "字跡潦草"})
    assert response.status_code == 200, response.content
    assert [item["id"] for item in response.json()["items"]] == [mine.pk]
    assert response.json()["count"] == 1
    bad = api_as("county_office").get("/inspections", {"q": "字"})
    assert bad.status_code == 422 and field_errors(bad) == {"q"}
