"""/search/: the page of a search, the header's box on every page, marks in the lists."""

from __future__ import annotations

import re

import pytest

from ducha.documents import actions as document_actions
from tests.search.helpers import visit

pytestmark = pytest.mark.django_db


def hits(page: str, kind: str) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(rf'data-testid="search-hit" data-kind="{kind}" data-id="(\d+)"', page)
    ]


def counts(page: str) -> dict[str, int]:
    return {
        kind: int(count)
        for kind, count in re.findall(r'data-kind="(\w+)" data-count="(\d+)"', page)
    }


def test_the_page_finds_each_kind_in_either_script(world, login):
    problem = world.problem(title="隔离点报表填写不全")
    inspection = visit(world, "隔离点报表已更新")
    office = world.users["county_office"]
    draft = document_actions.do_create_draft(
        acting_user=office,
        kind="bulletin",
        issuer=world.orgs["county_office"],
        params={},
        title="关于隔离点报表问题的通报",
    )
    document = document_actions.do_issue_document(draft, acting_user=office)
    client = login(world, "county_office")
    response = client.get("/search/", {"q": "隔離點報表"})
    assert response.status_code == 200
    page = response.content.decode()
    assert hits(page, "problems") == [problem.pk]
    assert hits(page, "inspections") == [inspection.pk]
    assert hits(page, "documents") == [document.pk]
    assert counts(page) == {"problems": 1, "inspections": 1, "documents": 1}
    assert "<mark>隔离点</mark><mark>报表</mark>" in page or "<mark>隔离点报表</mark>" in page


def test_a_draft_is_not_a_search_result(world, login):
    office = world.users["county_office"]
    document_actions.do_create_draft(
        acting_user=office,
        kind="bulletin",
        issuer=world.orgs["county_office"],
        params={},
        title="关于隔离点报表问题的通报",
    )
    page = login(world, "county_office").get("/search/", {"q": "隔离点报表"}).content.decode()
    assert counts(page)["documents"] == 0


def test_one_kind_is_paged(world, login, settings):
    settings.DUCHA_PAGE_SIZE = 3
    made = [world.problem(title=f"第{n}号卡口报表缺失") for n in range(5)]
    client = login(world, "county_office")
    first = client.get("/search/", {"q": "报表", "kind": "problems"}).content.decode()
    second = client.get("/search/", {"q": "报表", "kind": "problems", "page": 2}).content.decode()
    assert len(hits(first, "problems")) == 3 and len(hits(second, "problems")) == 2
    assert set(hits(first, "problems")) | set(hits(second, "problems")) == {p.pk for p in made}
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert counts(first) == {"problems": 5}


def test_the_page_keeps_to_the_users_scope(world, login):
    world.problem(by="sibling_office", region="sibling", title="冷链仓库消杀记录缺失")
    page = login(world, "county_office").get("/search/", {"q": "冷链仓库"}).content.decode()
    assert counts(page) == {"problems": 0, "inspections": 0, "documents": 0}


def test_the_header_has_a_search_box_on_every_page(world, login):
    client = login(world, "county_handler")
    for path in ("/problems/", "/problems/queue/", "/documents/", "/search/"):
        page = client.get(path).content.decode()
        assert 'data-testid="header-search"' in page, path
        assert 'action="/search/"' in page
    empty = client.get("/search/")
    assert empty.status_code == 200
    assert 'data-testid="search-section"' not in empty.content.decode()


def test_the_search_page_needs_a_login(client):
    response = client.get("/search/", {"q": "报表"})
    assert response.status_code == 302


def test_the_problem_list_marks_the_words_of_q(world, login):
    world.problem(title="卡口报表未按时上报")
    page = login(world, "county_office").get("/problems/", {"q": "報表"}).content.decode()
    assert "卡口<mark>报表</mark>未按时上报" in page
    plain = login(world, "county_office").get("/problems/").content.decode()
    assert "卡口报表未按时上报" in plain and "<mark>" not in plain
