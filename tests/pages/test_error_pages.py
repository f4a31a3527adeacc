"""Missing and out-of-scope pages answer with the project's own page in the reader's
language, also with DUCHA_DEBUG on where DUCHA_STYLED_ERRORS asks for it (the demo)."""

import pytest

from tests.pages.helpers import text

pytestmark = pytest.mark.django_db

NOT_FOUND = {"zh-hans": "未找到", "en": "Not found"}


def _foreign_problem_page(world, login, language):
    problem = world.problem(region="sibling", by="sibling_office")
    client = login(world, "county_office")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client.get(f"/problems/{problem.pk}/")


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_foreign_problem_gives_the_styled_not_found_page(world, login, settings, language, debug):
    settings.DEBUG = debug
    settings.DUCHA_STYLED_ERRORS = True
    response = _foreign_problem_page(world, login, language)
    assert response.status_code == 404
    html = text(response)
    assert f'<html lang="{language}">' in html
    assert f'data-testid="not-found">{NOT_FOUND[language]}</h1>' in html
    # The reader's own menu: the page is drawn in the layout, signed in.
    assert 'data-testid="user-menu"' in html
    assert "Django" not in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_unknown_address_gives_the_styled_page_with_debug_on(world, login, settings, language):
    settings.DEBUG = True
    settings.DUCHA_STYLED_ERRORS = True
    client = login(world, "county_office")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = text(response)
    assert 'data-testid="not-found"' in html and f'<html lang="{language}">' in html


def test_debugging_keeps_the_technical_page_unless_asked(world, login, settings):
    settings.DEBUG = True
    settings.DUCHA_STYLED_ERRORS = False
    response = _foreign_problem_page(world, login, "en")
    assert response.status_code == 404
    assert 'data-testid="not-found"' not in text(response)
    assert "Django" in text(response)


def test_the_api_keeps_its_json_not_found(world, settings):
    settings.DEBUG = True
    settings.DUCHA_STYLED_ERRORS = True
    from django.test import Client

    response = Client().get("/api/v2/anything")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
