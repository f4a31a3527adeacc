"""What a bulletin says of 督查问效: the accountability and commendations decided in its period.

A bulletin is read by units and by offices below the issuer, so it never names a person: an
accountability record or a commendation of a person is counted, never named (the sentence
"先后对6名党员干部通报批评…" is all the bulletin says of them), whatever the kind. Units are
different: commending a unit is public by nature, so the commended collectives are named in
the praise section. Units held to account are counted too: naming them is the discipline
body's decision, in its own notice, not the bulletin's.

The period runs from the day after the as-of day of the issuer's previous issued bulletin of
the same region to this bulletin's as-of day; the first bulletin counts everything before.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ducha.accountability.choices import CommendationKind, SubjectKind
from ducha.accountability.figures import (
    COMMENDATION_ORDER,
    COUNTED_STATES,
    Period,
    Results,
    accountability_sentence,
    commendation_sentence,
    in_jurisdiction,
    results,
)
from ducha.accountability.models import Commendation
from ducha.documents.choices import DocState, Kind
from ducha.documents.kinds.common import Block, joined, paragraph
from ducha.documents.models import Document
from ducha.orgs.models import Org
from ducha.problems.sentences import day_label

UNIT_LABELS = {
    CommendationKind.ADVANCED: gettext_lazy("Advanced collectives"),
    CommendationKind.PRAISE: gettext_lazy("Units praised"),
    CommendationKind.MODEL: gettext_lazy("Units held up as examples"),
}
# A bulletin names at most this many commended units; it counts the rest.
MAX_UNITS = 100


def bulletin_period(issuer: Org, region: Org, as_of: date) -> Period:
    previous = (
        Document.objects.filter(
            issuer=issuer,
            kind=Kind.BULLETIN,
            state=DocState.ISSUED,
            as_of__lt=as_of,
            params__region=region.pk,
        )
        .order_by("-as_of", "-pk")
        .values_list("as_of", flat=True)
        .first()
    )
    return Period(previous + timedelta(days=1) if previous else None, as_of)


def commended_units(region: Org, period: Period) -> tuple[list[dict[str, Any]], int]:
    """The units commended in the period, by kind, named; and how many more were left off."""
    rows = (
        Commendation.objects.filter(
            in_jurisdiction([region]),
            period.condition(),
            state__in=COUNTED_STATES,
            subject_kind=SubjectKind.UNIT,
        )
        .order_by("kind", "org__name", "org_id")
        .values_list("kind", "org_id", "org__name")
        .distinct()
    )
    order = {kind.value: position for position, kind in enumerate(COMMENDATION_ORDER)}
    found = sorted(rows, key=lambda row: (order.get(row[0], 99), row[2], row[1]))
    units = [{"kind": kind, "unit_id": pk, "name": name} for kind, pk, name in found]
    return units[:MAX_UNITS], max(0, len(units) - MAX_UNITS)


def results_data(issuer: Org, region: Org, as_of: date) -> dict[str, Any]:
    period = bulletin_period(issuer, region, as_of)
    units, more = commended_units(region, period)
    return {
        "results": results(region, period).as_data(),
        "results_from": period.first.isoformat() if period.first else None,
        "commended_units": units,
        "commended_more": more,
    }


def _period_words(data: dict[str, Any]) -> str:
    last = day_label(date.fromisoformat(data["as_of"]))
    if data.get("results_from"):
        first = day_label(date.fromisoformat(data["results_from"]))
        return _("From %(first)s to %(last)s") % {"first": first, "last": last}
    return _("Up to %(last)s") % {"last": last}


def praise_blocks(data: dict[str, Any]) -> list[Block]:
    """The commendations of the period: counted, and the collectives named. A reader outside
    the jurisdiction has no counts (`readers`), only the units they reach."""
    blocks = []
    if "results" in data:
        sentence = commendation_sentence(Results.from_data(data["results"]), start=False)
        if sentence:
            words = {"period": _period_words(data), "sentence": sentence}
            blocks.append(paragraph(_("%(period)s, %(sentence)s") % words))
    for kind in COMMENDATION_ORDER:
        names = [unit["name"] for unit in data.get("commended_units", []) if unit["kind"] == kind]
        if names:
            words = {"kind": str(UNIT_LABELS[kind]), "units": joined(names)}
            blocks.append(paragraph(_("%(kind)s: %(units)s.") % words))
    more = data.get("commended_more", 0)
    if more:
        others = ngettext("And %(count)s other unit.", "And %(count)s other units.", more)
        blocks.append(paragraph(others % {"count": more}))
    return blocks


def criticism_blocks(data: dict[str, Any]) -> list[Block]:
    """The accountability of the period, counted."""
    if "results" not in data:
        return []  # drafted before these figures were stated, or not for this reader
    sentence = accountability_sentence(Results.from_data(data["results"]), start=False)
    if not sentence:
        return []
    words = {"period": _period_words(data), "sentence": sentence}
    return [paragraph(_("%(period)s, %(sentence)s") % words)]
