"""Document numbers and references (发文字号 "高新督办函〔2026〕12号").

Each issuing office has one series per kind and calendar year. The number is taken while
issuing, from a counter row locked for the rest of the transaction (SELECT … FOR UPDATE on
PostgreSQL; on SQLite the transaction holds the write lock from BEGIN IMMEDIATE), so
concurrent issues queue and take 1, 2, 3 … in turn, and a draft that is never issued takes
no number. The unique constraint on documents is the backstop.
"""

from __future__ import annotations

from ducha.documents.choices import REFERENCE_WORDS
from ducha.documents.models import DocumentCounter, Letterhead
from ducha.orgs.models import Org

# Endings of Chinese region names dropped from a derived prefix: 惠安县 → 惠安督办. A reference
# is an identifier in the script of the record, so these are data, not translated text.
REGION_ENDINGS = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "街道",
    "省",
    "市",
    "区",
    "县",
    "镇",
    "乡",
)
PREFIX_ENDING = "督办"


def _letterhead(org: Org) -> object | None:
    return Letterhead.objects.filter(org=org).first()


def masthead_of(org: Org) -> str:
    """The issuing body's name at the top of the document."""
    letterhead = _letterhead(org)
    return getattr(letterhead, "masthead", "") or org.name


def derived_prefix(org: Org) -> str:
    """A short name from the office's region: 成都高新区 → 成都高新督办."""
    region = org.region
    name = region.name if region is not None else org.name
    for ending in REGION_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending) + 1:
            name = name[: -len(ending)]
            break
    return name + PREFIX_ENDING


def reference_prefix(org: Org) -> str:
    letterhead = _letterhead(org)
    return getattr(letterhead, "reference_prefix", "") or derived_prefix(org)


def reference(org: Org, kind: str, year: int, number: int) -> str:
    return f"{reference_prefix(org)}{REFERENCE_WORDS[kind]}〔{year}〕{number}号"


def next_number(issuer: Org, kind: str, year: int) -> int:
    """The next number of the series; call inside the issuing transaction."""
    # Creates the series' row if it is missing; a concurrent creator waits, then does nothing.
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(issuer=issuer, kind=kind, year=year)], ignore_conflicts=True
    )
    counter = DocumentCounter.objects.select_for_update().get(issuer=issuer, kind=kind, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number
