"""Strings the words miss: a name jieba cuts into single characters, part of a number. When
a search's words find nothing, its strings are looked for inside the stored words, in the
same scope, on every list that searches."""

from __future__ import annotations

import re

import pytest

from tests.search.helpers import found, problem_ids

pytestmark = pytest.mark.django_db

# jieba has no word 恒和: it cuts the name into 恒 / 和大 or keeps 恒和大, never 恒和.
PHARMACY = "恒和大药房门口排队未保持一米线"
PHONE = "值守人员电话13812345678无人接听"


def test_a_name_without_a_word_of_its_own_is_found_by_its_characters(world, api_as, login):
    pharmacy = world.problem(title=PHARMACY)
    world.problem(title="卡口登记不全")
    api = api_as("county_office")
    assert problem_ids(api, "恒和") == [pharmacy.pk]
    listed = api.get("/problems", {"q": "恒和"})
    assert listed.status_code == 200, listed.content
    assert [item["id"] for item in listed.json()["items"]] == [pharmacy.pk]
    assert listed.json()["stats"]["found"] == 1
    page = login(world, "county_office").get("/problems/", {"q": "恒和"})
    assert page.status_code == 200
    text = page.content.decode()
    assert re.findall(r'data-problem="(\d+)"', text) == [str(pharmacy.pk)]
    assert "<mark>恒和</mark>" in text


def test_part_of_a_number_is_found_when_no_word_matches(world, api_as):
    problem = world.problem(title="卡口值守缺岗", description=PHONE)
    world.problem(title="卡口值守缺岗", description="电话13900000000无人接听")
    api = api_as("county_office")
    assert problem_ids(api, "12345678") == [problem.pk]
    # The whole number is a word: found by it, as before.
    assert problem_ids(api, "13812345678") == [problem.pk]
    listed = api.get("/problems", {"q": "12345678"}).json()
    assert [item["id"] for item in listed["items"]] == [problem.pk]


def test_words_that_match_keep_the_strings_out(world, api_as):
    # 药房 is a word of both: the strings (恒和大药房) are not needed, and not asked.
    pharmacy = world.problem(title=PHARMACY)
    other = world.problem(title="社区药房未登记购药人员")
    assert sorted(problem_ids(api_as("county_office"), "药房")) == sorted([pharmacy.pk, other.pk])


def test_the_strings_stay_inside_the_scope(world, api_as):
    world.problem(by="sibling_office", region="sibling", title=PHARMACY)
    api = api_as("county_office")
    assert problem_ids(api, "恒和") == []
    listed = api.get("/problems", {"q": "恒和"}).json()
    assert listed["items"] == [] and listed["stats"]["found"] == 0
    assert found(api, "12345678")["problems"]["count"] == 0


def test_a_string_of_one_character_is_still_refused(world, api_as):
    response = api_as("county_office").get("/problems", {"q": "恒 和"})
    assert response.status_code == 422, response.content
