"""A zh-Hant page shows the data in traditional script too, not only the labels; what is
posted back (input values, text areas) and downloads keep the stored text."""

import io
import zipfile

import pytest

from ducha.core.hant import convert_page
from tests.pages.helpers import text

pytestmark = pytest.mark.django_db

TITLE = "卡口未登记过往车辆"
TITLE_HANT = "卡口未登記過往車輛"


def _hant(world, login, key="county_office"):
    client = login(world, key)
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    return client


def test_a_problem_page_shows_its_title_and_names_in_traditional_script(world, login):
    problem = world.assigned(title=TITLE)
    html = text(_hant(world, login).get(f"/problems/{problem.pk}/"))
    assert TITLE_HANT in html
    assert "雙橋區衛健局" in html  # the responsible unit's name
    assert TITLE not in html


def test_the_list_too_and_simplified_readers_see_the_stored_text(world, login):
    world.problem(title=TITLE)
    assert TITLE_HANT in text(_hant(world, login).get("/problems/"))
    client = login(world, "county_office")
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert TITLE in text(client.get("/problems/"))


def test_values_that_are_posted_back_stay_as_stored(world, login):
    world.problem(title=TITLE)
    html = text(_hant(world, login).get("/problems/", {"q": "登记"}))
    # The search box writes the query back exactly as it was typed.
    assert 'value="登记"' in html


def test_only_text_between_tags_changes():
    page = (
        '<p title="问题">问题“整改”</p><input value="问题"><textarea>问题</textarea>'
        "<script>var a = '问题';</script><!-- 问题 -->"
    )
    assert convert_page(page) == (
        '<p title="问题">問題「整改」</p><input value="问题"><textarea>问题</textarea>'
        "<script>var a = '问题';</script><!-- 问题 -->"
    )


def test_downloads_are_not_converted(world, login):
    world.problem(title=TITLE)
    response = _hant(world, login).get("/ledger/export/")
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert TITLE in sheet and TITLE_HANT not in sheet
