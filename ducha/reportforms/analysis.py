"""The analyser of a jurisdiction's register (报表精简): items requested by more than one
form, pairs of forms that overlap by a given share of their items, and items the platform
already holds, each with the forms and departments concerned (docs/reportforms.md).

Items of different forms are the same figure when their keys are equal. Every form the
reader sees in the jurisdiction counts, whatever was decided on it: the analysis is what
the office decides from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org
from ducha.problems.querysets import rate
from ducha.reportforms.models import FormItem, ReportForm
from ducha.reportforms.shared import FIGURES

# Two forms overlap when their common items make at least this share of the smaller one.
DEFAULT_SHARE = Decimal("0.5")
MIN_SHARE = Decimal("0.1")
MAX_SHARE = Decimal("1")


def jurisdictions(user: Any) -> QuerySet[Org]:
    """The jurisdictions whose register the user sees some of, the highest first."""
    seen = ReportForm.objects.visible_to(user).values("region")
    return Org.objects.filter(kind=OrgKind.REGION, pk__in=seen).order_by("tree_order")


def register(user: Any, region_id: int | None = None) -> tuple[Org | None, QuerySet[ReportForm]]:
    """The jurisdiction asked for (or the user's first) and its forms the user sees. A
    jurisdiction the user sees nothing of reads as none at all."""
    regions = jurisdictions(user)
    region = regions.filter(pk=region_id).first() if region_id is not None else regions.first()
    if region_id is not None and region is None:
        raise InvalidInput(_("Choose a jurisdiction whose forms you see."), "region")
    rows = ReportForm.objects.visible_to(user)
    return region, rows.filter(region=region) if region is not None else rows.none()


def check_share(share: Any) -> Decimal:
    try:
        value = Decimal(str(share))
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite() or not MIN_SHARE <= value <= MAX_SHARE:
        raise InvalidInput(
            _("Give the share as a number from %(low)s to %(high)s.")
            % {"low": MIN_SHARE, "high": MAX_SHARE},
            "share",
        )
    return value


@dataclass(frozen=True)
class Repeated:
    """One item requested by several forms."""

    key: str
    labels: list[str]
    forms: list[ReportForm]
    departments: list[Org]


@dataclass(frozen=True)
class Overlap:
    """Two forms with at least the given share of the smaller one's items in common."""

    first: ReportForm
    second: ReportForm
    common: list[str]
    # Common items over the smaller form's items, in per cent (94.38).
    percent: str


@dataclass(frozen=True)
class Held:
    """An item the platform already holds, and the forms that still ask for it."""

    key: str
    label: str
    figure: str
    figure_label: str
    forms: list[ReportForm]
    departments: list[Org]


@dataclass(frozen=True)
class Analysis:
    share: Decimal
    forms: int
    repeated: list[Repeated]
    overlaps: list[Overlap]
    held: list[Held]


def _departments(forms: list[ReportForm]) -> list[Org]:
    return list({form.department_id: form.department for form in forms}.values())


def loaded(forms: QuerySet[ReportForm]) -> list[ReportForm]:
    """The forms with their department and items, in one query each."""
    items = Prefetch("items", queryset=FormItem.objects.order_by("position", "pk"))
    return list(forms.select_related("department").prefetch_related(items).order_by("number"))


def analyse(forms: QuerySet[ReportForm], share: Decimal = DEFAULT_SHARE) -> Analysis:
    rows = loaded(forms)
    by_key: dict[str, list[tuple[ReportForm, FormItem]]] = defaultdict(list)
    for form in rows:
        for item in form.items.all():
            by_key[item.key].append((form, item))
    repeated = [
        Repeated(
            key=key,
            labels=list(dict.fromkeys(item.label for _form, item in pairs)),
            forms=[form for form, _item in pairs],
            departments=_departments([form for form, _item in pairs]),
        )
        for key, pairs in by_key.items()
        if len(pairs) > 1
    ]
    repeated.sort(key=lambda row: (-len(row.forms), row.key))
    return Analysis(
        share=share,
        forms=len(rows),
        repeated=repeated,
        overlaps=_overlaps(rows, by_key, share),
        held=_held(by_key),
    )


def _overlaps(
    rows: list[ReportForm], by_key: dict[str, list[tuple[ReportForm, FormItem]]], share: Decimal
) -> list[Overlap]:
    sizes = {form.pk: len(form.items.all()) for form in rows}
    common: dict[tuple[int, int], list[str]] = defaultdict(list)
    # Only pairs that share an item are counted: one pass over the repeated keys.
    for key, pairs in by_key.items():
        ids = sorted({form.pk for form, _item in pairs})
        for pair in combinations(ids, 2):
            common[pair].append(key)
    forms = {form.pk: form for form in rows}
    found = []
    for (first, second), keys in common.items():
        smaller = min(sizes[first], sizes[second])
        if Decimal(len(keys)) >= share * smaller:
            found.append(Overlap(forms[first], forms[second], keys, rate(len(keys), smaller)))
    found.sort(key=lambda row: (-Decimal(row.percent), row.first.number, row.second.number))
    return found


def _held(by_key: dict[str, list[tuple[ReportForm, FormItem]]]) -> list[Held]:
    held = []
    for key, pairs in by_key.items():
        figures = [item.shared_figure for _form, item in pairs if item.shared_figure]
        if not figures:
            continue
        forms = [form for form, item in pairs if item.shared_figure]
        figure = FIGURES.get(figures[0])
        held.append(
            Held(
                key=key,
                label=pairs[0][1].label,
                figure=figures[0],
                figure_label=str(figure.label) if figure else figures[0],
                forms=forms,
                departments=_departments(forms),
            )
        )
    held.sort(key=lambda row: (-len(row.forms), row.key))
    return held
