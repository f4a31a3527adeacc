"""The statistics sentence: wording per language and rounding as people do by hand."""

from datetime import date

import pytest
from django.utils import translation

from ducha.problems.querysets import rate
from ducha.problems.sentences import stats_sentence


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (252, 267, "94.38"),
        (1, 800, "0.13"),  # 0.125: half up, not to even
        (3, 800, "0.38"),  # 0.375
        (2, 3, "66.67"),
        (1, 6, "16.67"),
        (267, 267, "100.00"),
        (0, 267, "0.00"),
        (0, 0, "0.00"),
    ],
)
def test_rate_rounds_half_up_to_two_decimals(part, whole, expected):
    assert rate(part, whole) == expected


def test_the_zone_sentence_in_simplified_chinese():
    with translation.override("zh-hans"):
        sentence = stats_sentence(as_of=date(2020, 3, 1), found=267, rectified=252)
    assert sentence == "截至3月1日，累计发现问题267个，已完成整改252个，整改率94.38%。"


def test_traditional_chinese_and_english():
    with translation.override("zh-hant"):
        hant = stats_sentence(as_of=date(2020, 3, 1), found=267, rectified=252)
    with translation.override("en"):
        english = stats_sentence(as_of=date(2020, 3, 1), found=267, rectified=252)
    assert hant == "截至3月1日，累計發現問題267個，已完成整改252個，整改率94.38%。"
    assert english == (
        "As of 1 March: 267 problems found in all, 252 rectified, a rectification rate of 94.38%."
    )


def test_the_year_is_said_when_asked():
    with translation.override("zh-hans"):
        sentence = stats_sentence(as_of=date(2026, 11, 29), found=8, rectified=1, with_year=True)
    assert sentence.startswith("截至2026年11月29日，")
    assert sentence.endswith("整改率12.50%。")
