"""Statistics in words: one wording for dashboards, summaries and documents alike.

The numbers come in already counted from the data; this module only says them, with the
rate rounded half up to two decimals as people do by hand (252 ÷ 267 = 94.38%).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ducha.problems.querysets import rate


def day_label(day: date, *, with_year: bool = False) -> str:
    """3月1日 / 2026年3月1日 (1 March / 1 March 2026), in the active language."""
    return _day_label(day, with_year, get_language())


@lru_cache(maxsize=64)
def _day_label(day: date, with_year: bool, language: str | None) -> str:
    # Keyed by the language, which decides the format: a dashboard says the same day on
    # every request, and formatting it anew costs more than its figures' Python.
    return date_format(day, "DATE_FORMAT" if with_year else "MONTH_DAY_FORMAT")


def stats_sentence(*, as_of: date, found: int, rectified: int, with_year: bool = False) -> str:
    """截至3月1日，累计发现问题267个，已完成整改252个，整改率94.38%。"""
    return _(
        "As of %(day)s: %(found)s problems found in all, %(rectified)s rectified, "
        "a rectification rate of %(rate)s%%."
    ) % {
        "day": day_label(as_of, with_year=with_year),
        "found": found,
        "rectified": rectified,
        "rate": rate(rectified, found),
    }
