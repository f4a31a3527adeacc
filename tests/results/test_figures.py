"""The figures of 督查问效 and their sentences, counted from records."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from ducha.accountability.figures import (
    Period,
    Results,
    accountability_sentence,
    commendation_sentence,
    results,
    results_by_child,
    results_sentence,
)
from ducha.accountability.models import AccountabilityKind
from tests.results.records import accountability, chengdu, commendation

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)
CHENGDU_ZH = "先后对6名党员干部通报批评，1名责令作出检查，1名作停职处理，2名进行立案审查。"


def test_the_chengdu_sentence_in_chinese_and_english(world):
    chengdu(world, DAY)
    figures = results(world.orgs["county"], Period(DAY, DAY))
    with translation.override("zh-hans"):
        assert accountability_sentence(figures) == CHENGDU_ZH
    with translation.override("en"):
        assert accountability_sentence(figures) == (
            "Held to account: 6 party members and cadres criticised by bulletin, "
            "1 ordered to make a self-examination, 1 suspended from duty, "
            "2 placed under case review."
        )
    assert [(k.code, k.persons) for k in figures.kinds] == [
        ("public_criticism", 6),
        ("ordered_self_examination", 1),
        ("suspension", 1),
        ("case_filed", 2),
    ]


def test_withdrawn_and_proposed_records_are_not_counted(world):
    accountability(world, "interview", decided_on=DAY)
    accountability(world, "interview", decided_on=DAY, state="withdrawn")
    accountability(world, "interview", state="proposed")
    commendation(world, "praise", decided_on=DAY, state="withdrawn")
    commendation(world, "praise", state="proposed")
    figures = results(world.orgs["county"], Period())
    assert [(k.code, k.persons) for k in figures.kinds] == [("interview", 1)]
    assert figures.commendations == {}


def test_other_jurisdictions_are_not_counted_and_the_subtree_is(world):
    accountability(world, "interview", decided_on=DAY, region="town")
    accountability(
        world, "interview", count=3, decided_on=DAY, region="sibling", unit="sibling_dept"
    )
    county = results(world.orgs["county"], Period())
    assert county.persons == 1
    assert results(world.orgs["sibling"], Period()).persons == 3
    assert results(world.orgs["city"], Period()).persons == 4
    assert results(world.orgs["other_province"], Period()).empty


def test_the_period_includes_both_ends_and_nothing_outside(world):
    for day in (date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 1)):
        accountability(world, "dismissal", decided_on=day)
    march = results(world.orgs["county"], Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert march.persons == 2
    assert results(world.orgs["county"], Period(last=date(2026, 3, 1))).persons == 2
    assert results(world.orgs["county"], Period(first=date(2026, 4, 1))).persons == 1


def test_persons_and_units_apart_and_an_offices_own_kind(world):
    own = AccountabilityKind.objects.create(
        name="取消评优资格", office=world.orgs["county_office"], position=200
    )
    accountability(world, "public_criticism", count=2, decided_on=DAY)
    accountability(world, "public_criticism", count=2, decided_on=DAY, subject="unit")
    accountability(world, "", kind=own, decided_on=DAY)
    figures = results(world.orgs["county"], Period())
    with translation.override("zh-hans"):
        assert accountability_sentence(figures) == (
            "先后对2名党员干部通报批评，1名给予取消评优资格；对2个单位通报批评。"
        )
    with translation.override("en"):
        assert accountability_sentence(figures) == (
            "Held to account: 2 party members and cadres criticised by bulletin, "
            "1 given: 取消评优资格; units held to account: 2 units criticised by bulletin."
        )


def test_commendations_by_kind_and_subject(world):
    commendation(world, "advanced", count=9, decided_on=DAY)
    commendation(world, "advanced", count=15, decided_on=DAY, subject="person")
    commendation(world, "praise", count=3, decided_on=DAY)
    figures = results(world.orgs["county"], Period())
    assert figures.commended("unit") == 12
    assert figures.commended("person") == 15
    with translation.override("zh-hans"):
        assert commendation_sentence(figures) == "表彰先进集体9个、先进个人15名，通报表扬3个单位。"
    with translation.override("en"):
        assert commendation_sentence(figures) == (
            "Commended 9 advanced collectives, 15 advanced individuals, praised 3 units."
        )


def test_nothing_to_say(world):
    with translation.override("zh-hans"):
        assert results_sentence(Results()) == "本期未作出问责或表彰决定。"
    chengdu(world, DAY)
    commendation(world, "model", decided_on=DAY, subject="person")
    with translation.override("zh-hans"):
        assert results_sentence(results(world.orgs["county"], Period())) == (
            CHENGDU_ZH + "将1名个人树为典型。"
        )


def test_by_child_region_in_two_grouped_queries_and_one_for_kinds(world, django_assert_num_queries):
    accountability(world, "interview", decided_on=DAY, region="county")
    accountability(world, "interview", count=2, decided_on=DAY, region="town")
    accountability(
        world, "interview", count=3, decided_on=DAY, region="sibling", unit="sibling_dept"
    )
    commendation(world, "praise", decided_on=DAY, region="sibling", unit="sibling_dept")
    city = world.orgs["city"]
    with django_assert_num_queries(3):
        whole, children = results_by_child(city, Period(), 3)
    assert whole.persons == 6
    assert children[world.orgs["county"].pk].persons == 3
    assert children[world.orgs["sibling"].pk].persons == 3
    assert children[world.orgs["sibling"].pk].commended("unit") == 1


def test_frozen_data_says_the_same(world):
    chengdu(world, DAY)
    figures = results(world.orgs["county"], Period())
    again = Results.from_data(figures.as_data())
    with translation.override("zh-hans"):
        assert accountability_sentence(again) == CHENGDU_ZH
    assert "张保密" not in str(figures.as_data())


def test_nothing_found_takes_the_two_grouped_queries_only(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert results(world.orgs["county"], Period()).empty
