"""Filing and resumption rates (备案率, 复工率) of a jurisdiction as of any day, computed from
the ledger's rows, never typed (docs/resumption-figures.md).

As of day D an enterprise counts when it was registered on or before D; it has filed when
its `filed_on` is on or before D, and it is working when one of its spells began on or
before D and had not stopped by D (spells never overlap, so a count of spells is a count of
enterprises). Enterprises outside the jurisdiction's supervision are counted apart, never in
a rate. The counting is two grouped queries whatever the size of the jurisdiction: one over
the enterprises, one over the spells, each read through the level column the rates indexes
start with; every breakdown (category, area, region one level down) is summed from those
groups. The rates are rounded as the rectification rate is (`ducha.problems.querysets.rate`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ducha.core.errors import InvalidInput
from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.orgs.models import Org
from ducha.problems.querysets import rate
from ducha.problems.sentences import day_label
from ducha.resumption.choices import INDUSTRY, Category
from ducha.resumption.models import Enterprise, ResumptionSpell

# The excluded enterprises a page or a document names; the rest are counted.
MAX_LISTED = 200
# The earliest day a rate may be asked for, as for every date the API takes (Bounded).
FIRST_DAY = date(2000, 1, 1)
BREAKDOWNS = ("category", "area", "region")
INDUSTRY_KEY = "industry"
# The level columns the spells carry (a village's spells are read through their enterprise).
SPELL_LEVELS = frozenset({"province", "city", "county", "town"})

# What a sentence calls the enterprises of each category ("…规上工业企业354家…").
NOUNS = {
    INDUSTRY_KEY: gettext_lazy("industrial enterprises"),
    Category.INDUSTRY_ABOVE_SCALE: gettext_lazy("industrial enterprises above designated size"),
    Category.INDUSTRY_OTHER: gettext_lazy("other industrial enterprises"),
    Category.SERVICES: gettext_lazy("service enterprises (real estate excluded)"),
    Category.REAL_ESTATE: gettext_lazy("real-estate enterprises"),
    Category.KEY_SUPPLIES: gettext_lazy("key producers of epidemic-control supplies"),
}


@dataclass(frozen=True)
class Scope:
    """Which rows a count reads: a condition on the enterprises, the same on the spells, and
    the column naming the region one level down (None: no such breakdown)."""

    enterprises: Q
    spells: Q
    child: str | None = None
    spell_child: str | None = None


def _spell_column(name: str) -> str:
    return name if name in SPELL_LEVELS else f"enterprise__{name}"


def region_scope(region: Org) -> Scope:
    """Everything located in `region`: one equality on the column of its level."""
    if region.level is None:
        raise ValueError(f"{region} is not a region")
    column = LEVEL_FIELDS[RegionLevel(region.level)]
    below = LEVEL_FIELDS.get(RegionLevel(region.level + 1)) if region.level < 5 else None
    return Scope(
        enterprises=Q(**{f"{column}_id": region.pk}),
        spells=Q(**{f"{_spell_column(column)}_id": region.pk}),
        child=below,
        spell_child=_spell_column(below) if below else None,
    )


def enterprises_scope(enterprises: QuerySet[Enterprise]) -> Scope:
    """The enterprises of a queryset (a unit's own, say), broken down by street."""
    ids = enterprises.order_by().values("pk")
    return Scope(Q(pk__in=ids), Q(enterprise__in=ids), "town", "town")


@dataclass(frozen=True)
class Rates:
    """One row of figures: a category, an area, a region or the whole."""

    key: str
    label: str
    total: int = 0
    filed: int = 0
    resumed: int = 0
    excluded: int = 0

    @property
    def filing_rate(self) -> str:
        return rate(self.filed, self.total)

    @property
    def resumption_rate(self) -> str:
        return rate(self.resumed, self.total)

    def __add__(self, other: Rates) -> Rates:
        return replace(
            self,
            total=self.total + other.total,
            filed=self.filed + other.filed,
            resumed=self.resumed + other.resumed,
            excluded=self.excluded + other.excluded,
        )

    def as_data(self) -> dict[str, Any]:
        return asdict(self) | {
            "filing_rate": self.filing_rate,
            "resumption_rate": self.resumption_rate,
        }


@dataclass(frozen=True)
class Excluded:
    """An enterprise outside the jurisdiction's supervision, listed apart."""

    id: int
    name: str
    kind: str
    category: str
    area: str
    reason: str


@dataclass
class Board:
    """Every figure of a scope as of a day."""

    as_of: date
    whole: Rates
    categories: list[Rates]
    # 工业企业 as a whole (above-scale and other); None when the scope has no industry.
    industry: Rates | None
    areas: list[Rates]
    regions: list[Rates]
    excluded: list[Excluded] = field(default_factory=list)

    def breakdown(self, by: str) -> list[Rates]:
        if by == "category":
            return self.categories
        if by == "area":
            return self.areas
        if by == "region":
            return self.regions
        raise ValueError(f"no breakdown by {by!r}")

    @property
    def category_rows(self) -> list[Rates]:
        """Industry as a whole first, then each category (its two parts among them)."""
        return ([self.industry] if self.industry else []) + self.categories

    @property
    def empty(self) -> bool:
        return not (self.whole.total or self.whole.excluded)


# The figures of one group as they are summed: total, filed, resumed, excluded. Plain
# integers: a zone has a thousand groups and more, summed three ways on every request.
Counts = list[int]
GroupKey = tuple[str, str, int | None]


def _grouped(scope: Scope, as_of: date, by: tuple[str, ...]) -> dict[GroupKey, Counts]:
    """The figures per group of the breakdowns `by` (a key holds "" or None for those not
    asked): the two queries. The fewer the breakdowns, the fewer the groups to count."""
    regions = "region" in by and scope.child is not None
    areas = "area" in by
    # Always by category: the fewest groups, and what every other breakdown sits next to.
    columns = [
        "category",
        *(["area"] if areas else []),
        *([f"{scope.child}_id"] if regions else []),
    ]
    spell_columns = [*columns[:-1], f"{scope.spell_child}_id"] if regions else columns

    def key_of(row: tuple[Any, ...]) -> GroupKey:
        # (category, area?, child?, counts…): the columns asked for, in that order.
        return (row[0], row[1] if areas else "", row[1 + areas] if regions else None)

    counted = (
        Enterprise.objects.filter(scope.enterprises, registered_on__lte=as_of)
        .order_by()
        .values_list(*columns)
        .annotate(
            # Counting a column of the index (never null) keeps the scan on the index.
            total=Count("registered_on", filter=Q(supervised=True)),
            filed=Count("registered_on", filter=Q(supervised=True, filed_on__lte=as_of)),
            excluded=Count("registered_on", filter=Q(supervised=False)),
        )
    )
    groups: dict[GroupKey, Counts] = {}
    for row in counted:
        groups[key_of(row)] = [row[-3], row[-2], 0, row[-1]]
    began = ResumptionSpell.objects.filter(scope.spells, supervised=True, resumed_on__lte=as_of)
    # Said as two parts so that each reads its own index (models.py): the spells still open,
    # and those that ended after the day.
    still_open = began.filter(stopped_on__isnull=True)
    ended_after = began.filter(stopped_on__isnull=False, stopped_on__gt=as_of)
    working = (
        still_open.order_by()
        .values_list(*spell_columns)
        .annotate(resumed=Count("resumed_on"))
        .union(
            ended_after.order_by()
            .values_list(*spell_columns)
            .annotate(resumed=Count("resumed_on")),
            all=True,
        )
    )
    for row in working:
        groups.setdefault(key_of(row), [0, 0, 0, 0])[2] += row[-1]
    return groups


def _summed(groups: dict[GroupKey, Counts], part: int | None) -> dict[Any, Counts]:
    """The groups summed by one part of their key (0 category, 1 area, 2 child region), or
    all in one (None)."""
    sums: dict[Any, Counts] = {}
    for key, (total, filed, resumed, excluded) in groups.items():
        into = sums.get(None if part is None else key[part])
        if into is None:
            sums[None if part is None else key[part]] = [total, filed, resumed, excluded]
        else:
            into[0] += total
            into[1] += filed
            into[2] += resumed
            into[3] += excluded
    return sums


def _rates(key: Any, label: str, counts: Counts) -> Rates:
    return Rates(str(key or ""), label, *counts)


def _category_order(key: str) -> int:
    values = list(Category.values)
    return values.index(key) if key in values else len(values)


def board(
    scope: Scope | Org, *, as_of: date, by: tuple[str, ...] = BREAKDOWNS, listed: bool = True
) -> Board:
    """The figures of `scope` (or of everything in a region) as of the end of `as_of`, with
    the breakdowns `by` (the others are left empty) and, if `listed`, the excluded named."""
    if isinstance(scope, Org):
        scope = region_scope(scope)
    groups = _grouped(scope, as_of, by)
    labels = {key: str(label) for key, label in Category.choices}
    # Every group has its category: the few category sums make the whole.
    by_category = _summed(groups, 0)
    categories: list[Rates] = []
    if "category" in by:
        categories = sorted(
            (_rates(key, labels.get(key, key), c) for key, c in by_category.items()),
            key=lambda row: _category_order(row.key),
        )
    industry_rows = [row for row in categories if row.key in INDUSTRY]
    industry = None
    if industry_rows:
        industry = sum(industry_rows[1:], replace(industry_rows[0], key=INDUSTRY_KEY))
        industry = replace(industry, label=_("Industry as a whole"))
    no_area = _("No area")
    areas: list[Rates] = []
    if "area" in by:
        areas = sorted(
            (_rates(key, key or no_area, counts) for key, counts in _summed(groups, 1).items()),
            key=lambda row: (row.key == "", row.key),
        )
    regions: list[Rates] = []
    if "region" in by and scope.child:
        by_region = _summed(groups, 2)
        names = dict(
            Org.objects.filter(pk__in=[pk for pk in by_region if pk]).values_list("pk", "name")
        )
        outside = _("Not in a region below")
        regions = sorted(
            (_rates(pk, names.get(pk, outside), counts) for pk, counts in by_region.items()),
            key=lambda row: (row.key == "", row.label, row.key),
        )
    whole = _rates("", _("All"), _summed(by_category, None).get(None, [0, 0, 0, 0]))
    excluded: list[Excluded] = []
    if listed and whole.excluded:
        excluded = listed_excluded(scope, as_of)
    return Board(as_of, whole, categories, industry, areas, regions, excluded)


def rates(scope: Scope | Org, *, as_of: date, by: str = "category") -> list[Rates]:
    """One breakdown of the figures: by "category", "area" or "region" (one level down)."""
    if by not in BREAKDOWNS:
        raise ValueError(f"no breakdown by {by!r}")
    return board(scope, as_of=as_of, by=(by,), listed=False).breakdown(by)


def listed_excluded(scope: Scope, as_of: date) -> list[Excluded]:
    rows = (
        Enterprise.objects.filter(scope.enterprises, supervised=False, registered_on__lte=as_of)
        .order_by("category", "name", "pk")
        .values_list("pk", "name", "kind", "category", "area", "excluded_reason")
    )
    return [Excluded(*row) for row in rows[:MAX_LISTED]]


def has_enterprises(scope: Scope | Org) -> bool:
    if isinstance(scope, Org):
        scope = region_scope(scope)
    return Enterprise.objects.filter(scope.enterprises).exists()


def as_of_day(raw: Any, today: date) -> date:
    """The day a rate is asked for: a date from 2000 on and not after today. The page and the
    API refuse a bad one with the same words."""
    if raw in (None, ""):
        return today
    day = raw if isinstance(raw, date) else _parsed(str(raw))
    if day is None:
        raise InvalidInput(_("Enter a valid date (YYYY-MM-DD)."), "as_of")
    if day < FIRST_DAY:
        raise InvalidInput(
            _("The rates cannot be asked for a day before %(day)s.")
            % {"day": FIRST_DAY.isoformat()},
            "as_of",
        )
    if day > today:
        raise InvalidInput(_("The rates cannot be stated for a future day."), "as_of")
    return day


def _parsed(text: str) -> date | None:
    # Exactly YYYY-MM-DD: fromisoformat takes other forms too (20200218, 2020-W08-2).
    if len(text) != 10 or text[4] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# --- sentences -------------------------------------------------------------------------------


def filing_sentence(row: Rates, *, where: str, as_of: date) -> str:
    """截至2020年2月18日，全区规上工业企业354家，303家通过备案，占比85.59%。"""
    words = _words(row, where, as_of) | {"filed": row.filed, "rate": row.filing_rate}
    if row.key == Category.CONSTRUCTION:
        template = _(
            "As of %(day)s, %(where)s had %(total)s construction projects; %(filed)s had filed "
            "their resumption plans, %(rate)s%% of them."
        )
    else:
        template = _(
            "As of %(day)s, %(where)s had %(total)s %(what)s; %(filed)s had filed their "
            "resumption plans, %(rate)s%% of them."
        )
    return template % words


def resumption_sentence(row: Rates, *, where: str, as_of: date) -> str:
    """截至2020年2月18日，全区规上工业企业354家，已复工复产280家，复工率79.10%。"""
    words = _words(row, where, as_of) | {"resumed": row.resumed, "rate": row.resumption_rate}
    if row.key == Category.CONSTRUCTION:
        template = _(
            "As of %(day)s, %(where)s had %(total)s construction projects; %(resumed)s had "
            "resumed work, a resumption rate of %(rate)s%%."
        )
    else:
        template = _(
            "As of %(day)s, %(where)s had %(total)s %(what)s; %(resumed)s had resumed work, "
            "a resumption rate of %(rate)s%%."
        )
    return template % words


def category_sentence(row: Rates, *, where: str, as_of: date) -> str:
    """截至2020年2月18日，高新区规上工业企业354家，303家通过备案，占比85.59%；已复工280家，
    复工率79.10%。 Both rates of one row in one sentence, as a document says them."""
    words = _words(row, where, as_of) | {
        "filed": row.filed,
        "filing_rate": row.filing_rate,
        "resumed": row.resumed,
        "resumption_rate": row.resumption_rate,
    }
    if row.key == Category.CONSTRUCTION:
        template = _(
            "As of %(day)s, %(where)s had %(total)s construction projects; %(filed)s had filed "
            "their resumption plans, %(filing_rate)s%% of them, and %(resumed)s had resumed "
            "work, a resumption rate of %(resumption_rate)s%%."
        )
    else:
        template = _(
            "As of %(day)s, %(where)s had %(total)s %(what)s; %(filed)s had filed their "
            "resumption plans, %(filing_rate)s%% of them, and %(resumed)s had resumed work, "
            "a resumption rate of %(resumption_rate)s%%."
        )
    return template % words


def excluded_sentence(count: int) -> str:
    return ngettext(
        "%(count)s enterprise or project outside the jurisdiction's supervision is listed "
        "apart and not counted in the rates.",
        "%(count)s enterprises and projects outside the jurisdiction's supervision are listed "
        "apart and not counted in the rates.",
        count,
    ) % {"count": count}


def _words(row: Rates, where: str, as_of: date) -> dict[str, Any]:
    return {
        "day": day_label(as_of, with_year=True),
        "where": where,
        "total": row.total,
        "what": str(NOUNS.get(row.key, row.label)),
    }


def board_data(found: Board) -> dict[str, Any]:
    """The figures as stored in a document or a summary (JSON), to be said again later."""
    return {
        "as_of": found.as_of.isoformat(),
        "whole": found.whole.as_data(),
        "categories": [row.as_data() for row in found.categories],
        "industry": found.industry.as_data() if found.industry else None,
        "excluded": found.whole.excluded,
    }


def stated(region: Org, as_of: date) -> dict[str, Any] | None:
    """The figures a document or a summary stores (`board_data`, and the region's name),
    for a region with enterprises in the ledger; None for one without."""
    if not has_enterprises(region):
        return None
    found = board(region, as_of=as_of, by=("category",), listed=False)
    return board_data(found) | {"where": region.name}


def stored_rows(data: dict[str, Any]) -> list[Rates]:
    """The rows a document says, in order: industry as a whole, then each category."""
    keep = ("key", "label", "total", "filed", "resumed", "excluded")
    rows = [data["industry"]] if data.get("industry") else []
    rows += data.get("categories", [])
    labels = {key: str(label) for key, label in Category.choices}
    # Labelled again in the reader's language: the stored label is the drafter's.
    labels[INDUSTRY_KEY] = _("Industry as a whole")
    return [
        Rates(**{name: row[name] for name in keep} | {"label": labels.get(row["key"], "")})
        for row in rows
    ]


def stored_sentences(data: dict[str, Any], *, where: str) -> list[str]:
    """One line per category (both rates), then the excluded, in the reader's
    language, from the figures a document or summary stored."""
    as_of = date.fromisoformat(data["as_of"])
    rows = [row for row in stored_rows(data) if row.total]
    lines = [category_sentence(row, where=where, as_of=as_of) for row in rows]
    if data.get("excluded"):
        lines.append(excluded_sentence(data["excluded"]))
    return lines
