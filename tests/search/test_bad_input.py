"""Whatever is typed, the search answers: a message naming `q` (422 in the API, the field's
error on the page), or results; never a 5xx, never a database error."""

from __future__ import annotations

import pytest

from tests.api.conftest import field_errors

pytestmark = pytest.mark.django_db

REFUSED = {
    "empty": "",
    "blank": "   ",
    "one character": "报",
    "one letter": "a",
    "10,000 characters": "报表" * 5_000,
    "only operators": "*",
    "only punctuation": '"" () -',
    "NUL": "报表\x00整改",
}
# Operators and quotes are separators: what is left of them is searched as words.
ANSWERED = [
    '"a" OR b -c',
    "NEAR(",
    'NEAR("报表" 整改',
    '"报表" OR 整改 -消防 AND NOT',
    "报表' OR '1'='1",
    "报表 & | ! : <-> ()",
    "col:报表 ^报表 报表*",
]


@pytest.mark.parametrize("q", REFUSED.values(), ids=REFUSED.keys())
def test_the_api_refuses_naming_q(world, api_as, q):
    response = api_as("county_office").get("/search", {"q": q})
    assert response.status_code == 422, response.content
    assert field_errors(response) == {"q"}


@pytest.mark.parametrize("q", REFUSED.values(), ids=REFUSED.keys())
def test_the_page_shows_the_error_on_q(world, login, q):
    response = login(world, "county_office").get("/search/", {"q": q})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="q"' in page and 'data-testid="field-error"' in page
    assert 'data-testid="search-section"' not in page


@pytest.mark.parametrize("q", ANSWERED)
def test_operators_and_quotes_are_only_words(world, api_as, login, q):
    world.problem(title="卡口报表未整改")
    response = api_as("county_office").get("/search", {"q": q})
    assert response.status_code in (200, 422), response.content
    if response.status_code == 422:
        assert field_errors(response) == {"q"}
    page = login(world, "county_office").get("/search/", {"q": q})
    assert page.status_code in (200, 400)


def test_quoted_words_and_operators_still_find_the_words(world, api_as):
    problem = world.problem(title="卡口报表未整改")
    response = api_as("county_office").get("/search", {"q": '"报表" OR 整改 -NEAR('})
    # "or" and "near" are words too; no problem holds them.
    assert response.status_code == 200
    assert response.json()["words"] == ["报表", "or", "整改", "near"]
    ok = api_as("county_office").get("/search", {"q": '"报表" 整改*'})
    [problems] = [s for s in ok.json()["sections"] if s["kind"] == "problems"]
    assert [item["id"] for item in problems["items"]] == [problem.pk]


def test_too_many_words_are_refused(world, api_as):
    q = " ".join(f"词{n}{n}" for n in range(11))
    response = api_as("county_office").get("/search", {"q": q})
    assert response.status_code == 422
    assert field_errors(response) == {"q"}


def test_a_bad_kind_or_page_is_refused(world, api_as):
    api = api_as("county_office")
    wrong_kind = api.get("/search", {"q": "报表", "kind": "tasks"})
    assert wrong_kind.status_code == 422 and field_errors(wrong_kind) == {"kind"}
    assert api.get("/search", {"q": "报表", "page": "0"}).status_code == 422
    assert api.get("/search", {"q": "报表", "page": "x"}).status_code == 422


def test_a_missing_q_is_refused(world, api_as):
    response = api_as("county_office").get("/search")
    assert response.status_code == 422
    assert field_errors(response) == {"q"}
