"""The one normal form and segmentation that stored text and queries share."""

import pytest
from django.utils import translation

from ducha.core.errors import InvalidInput
from ducha.core.search import (
    MAX_WORDS,
    highlight,
    joined,
    normalise,
    parse_query,
    similar_query,
    stored_words,
)


def test_normal_form_is_simplified_half_width_and_lower_case_of_the_same_length():
    text = "報表ＡＢＣ１２３隔離點"
    assert normalise(text) == "报表abc123隔离点"
    assert len(normalise(text)) == len(text)


def test_stored_words_hold_the_work_terms_whole_and_their_parts():
    words = stored_words("卡口值守人員未落實四不兩直要求", "核酸检测点排队").split(" ")
    # Terms of the work's dictionary stay one word, in simplified script.
    assert {"卡口", "四不两直", "核酸检测", "核酸", "检测"} <= set(words)
    # Single characters and punctuation are not words of the index; each word is kept once.
    assert all(len(word) >= 2 for word in words)
    assert len(words) == len(set(words))


def test_joined_adds_only_new_words():
    existing = stored_words("隔离点物资台账")
    assert joined(existing, "物资台账已补齐") == existing + " 补齐"
    assert joined(existing, "") == existing
    assert joined("", "整改") == "整改"


def test_a_query_in_either_script_asks_for_the_same_words():
    assert parse_query("報表").words == parse_query("报表").words == ("报表",)


@pytest.mark.parametrize("text", ['"報表" OR -整改 *', "NEAR(报表 整改)", "报表' & ! 整改"])
def test_operators_and_quotes_are_only_separators(text):
    assert set(parse_query(text).words) <= {"报表", "整改", "or", "near"}
    assert {"报表", "整改"} <= set(parse_query(text).words)


@pytest.mark.parametrize("text", ["药", "!!", "a", "。"])
def test_a_query_without_a_word_of_two_characters_says_what_is_needed(text):
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        parse_query(text)
    assert refused.value.field == "q"
    assert "two characters" in refused.value.message


def test_too_many_words_are_refused():
    many = " ".join(f"w{n}x" for n in range(MAX_WORDS + 1))
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        parse_query(many)
    assert str(MAX_WORDS) in refused.value.message


def test_an_empty_query_asks_for_nothing():
    assert parse_query("   ") is None


def test_highlight_marks_both_scripts_and_escapes_the_rest():
    marked = highlight("<b>藥店</b>报表", parse_query("药店 報表"))
    assert marked == "&lt;b&gt;<mark>藥店</mark>&lt;/b&gt;<mark>报表</mark>"


def test_similar_query_prefers_the_longest_words():
    query = similar_query("药店人员聚集未落实一米线要求")
    assert query is not None
    assert query.words[0] == "一米线"


def test_invisible_format_characters_do_not_split_words():
    hidden = "零\u200b宽\u200c连\u200d接\ufeff符"
    assert parse_query(hidden).words == parse_query("零宽连接符").words
    assert "连接" in stored_words(hidden).split(" ")


def test_a_query_with_no_word_is_matched_by_its_strings():
    query = parse_query("恒和")
    assert query.words == () and query.strings == ("恒和",) and query.by_characters
    assert query.sought == ("恒和",)


def test_a_query_with_words_keeps_its_strings_for_later():
    query = parse_query("惠安縣 12345678")
    assert query.words and not query.by_characters
    assert query.strings == ("惠安县", "12345678")
    assert query.characters().sought == ("惠安县", "12345678")


def test_strings_are_marked_when_they_matched():
    query = parse_query("恒和")
    assert highlight("恒和大药房", query) == "<mark>恒和</mark>大药房"
