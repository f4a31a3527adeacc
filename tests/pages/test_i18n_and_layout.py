"""Language (zh-Hans by default, zh-Hant and English on request) and the shared layout."""

import re

import pytest

from tests.pages.helpers import text

pytestmark = pytest.mark.django_db

LOGIN = {"zh-hans": "登录", "zh-hant": "登入", "en": "Log in"}
LIST_STATS = {
    "zh-hans": "发现问题 1 个，已完成整改 0 个，整改率 0.00%",
    "zh-hant": "發現問題 1 個，已完成整改 0 個，整改率 0.00%",
    "en": "Problems found: 1; rectified: 0; rectification rate: 0.00%",
}
NAV = {"zh-hans": "我的待办", "zh-hant": "我的待辦", "en": "My queue"}


def choose(client, language: str, next_url: str = "/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


def test_login_page_is_in_simplified_chinese_by_default(client):
    html = text(client.get("/accounts/login/"))
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "督查督办" in html


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_login_page_in_the_chosen_language(client, language):
    response = choose(client, language, "/accounts/login/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    html = text(client.get("/accounts/login/"))
    assert f'<html lang="{language}">' in html
    assert LOGIN[language] in html
    assert LOGIN["zh-hans"] not in html.replace("登录名", "")


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_list_in_each_language(world, login, language):
    world.problem()
    client = login(world, "county_office")
    if language != "zh-hans":
        choose(client, language)
    html = text(client.get("/problems/"))
    assert LIST_STATS[language] in html
    assert NAV[language] in html


def test_the_language_switch_is_on_every_page_and_returns_to_it(world, login):
    problem = world.problem()
    client = login(world, "county_office")
    for url in ["/problems/queue/", "/problems/", "/problems/new/", f"/problems/{problem.pk}/"]:
        html = text(client.get(url))
        assert 'action="/i18n/setlang/"' in html, url
        assert f'name="next" value="{url}"' in html, url
        for code in ["zh-hans", "zh-hant", "en"]:
            assert f'name="language" value="{code}"' in html, url
    assert choose(client, "en", f"/problems/{problem.pk}/")["Location"] == (
        f"/problems/{problem.pk}/"
    )
    assert "What you can do" in text(client.get(f"/problems/{problem.pk}/"))


def test_login_lands_on_my_queue(world, client):
    response = client.post(
        "/accounts/login/",
        {"username": "county_office", "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/problems/queue/"


def test_a_wrong_password_stays_on_the_login_page(world, client):
    response = client.post("/accounts/login/", {"username": "county_office", "password": "x"})
    assert response.status_code == 200
    assert 'data-testid="form-error"' in text(response)


def test_logout_is_a_post(world, login):
    client = login(world, "county_office")
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/problems/queue/").status_code == 302


def test_top_bar_names_the_user_and_roles(world, login):
    html = text(login(world, "county_office").get("/problems/queue/"))
    assert "区督查办干部" in html
    roles = re.search(r'data-testid="user-roles">([^<]*)<', html).group(1)
    assert roles == "督查办工作人员"


def test_several_roles_are_all_shown(world, login):
    from ducha.accounts.models import Membership

    Membership.objects.create(
        user=world.users["county_office"], org=world.orgs["county_office"], role="leader"
    )
    html = text(login(world, "county_office").get("/problems/queue/"))
    roles = re.search(r'data-testid="user-roles">([^<]*)<', html).group(1)
    assert roles == "督查办工作人员 · 领导"


@pytest.mark.parametrize("url", ["/accounts/login/", "/problems/queue/", "/problems/", "detail"])
def test_pages_load_nothing_from_other_hosts_and_have_no_inline_code(world, login, client, url):
    problem = world.problem()
    if url != "/accounts/login/":
        login(world, "county_office")
    response = client.get(f"/problems/{problem.pk}/" if url == "detail" else url)
    assert response.status_code == 200
    html = text(response)
    for attribute in re.findall(r'(?:src|href|action)="([^"]*)"', html):
        assert not re.match(r"^(https?:)?//", attribute), attribute
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert not re.search(r"<script(?![^>]*\ssrc=)", html), "inline script"
    assert not re.search(r'\sstyle="', html), "inline style"
    for asset in ["vendor/bootstrap.min.css", "vendor/htmx.min.js", "ducha/ducha.css"]:
        assert f"/static/{asset}" in html


def test_static_assets_are_served_by_the_app(client, settings):
    # Production serves collected files; finders let WhiteNoise serve them straight from
    # STATICFILES_DIRS, as the middleware does when DEBUG is on.
    settings.WHITENOISE_USE_FINDERS = True
    for asset in [
        "vendor/bootstrap.min.css",
        "vendor/bootstrap.bundle.min.js",
        "vendor/htmx.min.js",
        "ducha/ducha.css",
        "ducha/ducha.js",
    ]:
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200, asset


def test_styled_not_found_page(world, login):
    response = login(world, "county_office").get("/problems/999999/")
    assert response.status_code == 404
    assert "不在您的辖区范围内" in text(response)
