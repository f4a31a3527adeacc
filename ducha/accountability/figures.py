"""The figures of 督查问效 for a jurisdiction and a period, and the sentences that say them.

Counted: accountability records decided or carried out (a proposal may still be withdrawn, a
withdrawn record was never a measure), and commendations likewise, by the day they were
decided (`decided_on`). A jurisdiction is a region and everything below it: one indexed
equality on the record's region column at that level, as the dashboards count problems.

The figures carry no names, only kinds and counts: they are for every role of the loop who
may see the jurisdiction, whether or not they may read who the records are about.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext, pgettext

from ducha.accountability.choices import BuiltinKind, CommendationKind, RecordState, SubjectKind
from ducha.accountability.models import Accountability, AccountabilityKind, Commendation
from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.orgs.models import Org

# A decision taken stays a result once carried out; proposed and withdrawn records are not.
COUNTED_STATES = (RecordState.DECIDED, RecordState.CARRIED_OUT)
PERSON, UNIT = SubjectKind.PERSON.value, SubjectKind.UNIT.value
# The order a sentence and a table name the commendations in.
COMMENDATION_ORDER = (CommendationKind.ADVANCED, CommendationKind.PRAISE, CommendationKind.MODEL)


@dataclass(frozen=True)
class Period:
    """Both ends included; an open end counts from the first record or up to the last."""

    first: date | None = None
    last: date | None = None

    def condition(self) -> Q:
        condition = Q(decided_on__isnull=False)
        if self.first is not None:
            condition &= Q(decided_on__gte=self.first)
        if self.last is not None:
            condition &= Q(decided_on__lte=self.last)
        return condition


@dataclass
class KindCount:
    """One kind of accountability: the built-in code ("" for an office's own kind)."""

    kind_id: int
    code: str
    name: str
    position: int
    persons: int = 0
    units: int = 0

    @property
    def label(self) -> str:
        return str(BuiltinKind(self.code).label) if self.code else self.name


@dataclass
class Results:
    """One jurisdiction's (or one child region's) figures of a period."""

    kinds: list[KindCount] = field(default_factory=list)  # in kind order, non-zero only
    # (commendation kind, subject kind) → count
    commendations: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def persons(self) -> int:
        return sum(kind.persons for kind in self.kinds)

    @property
    def units(self) -> int:
        return sum(kind.units for kind in self.kinds)

    def commended(self, subject: str) -> int:
        return sum(n for (_kind, who), n in self.commendations.items() if who == subject)

    @property
    def units_commended(self) -> int:
        return self.commended(UNIT)

    @property
    def persons_commended(self) -> int:
        return self.commended(PERSON)

    @property
    def empty(self) -> bool:
        return not self.kinds and not self.commendations

    def commendation_rows(self) -> list[tuple[str, str, int, int]]:
        """(kind, label, units, persons) of each kind commended, in their order."""
        rows = []
        for kind in COMMENDATION_ORDER:
            units = self.commendations.get((kind.value, UNIT), 0)
            persons = self.commendations.get((kind.value, PERSON), 0)
            if units or persons:
                rows.append((kind.value, str(kind.label), units, persons))
        return rows

    def as_data(self) -> dict[str, Any]:
        """Plain data to freeze into a document or a summary (no names: kinds and counts)."""
        return {
            "kinds": [
                {
                    "kind_id": k.kind_id,
                    "code": k.code,
                    "name": k.name,
                    "position": k.position,
                    "persons": k.persons,
                    "units": k.units,
                }
                for k in self.kinds
            ],
            "commendations": [
                {"kind": kind, "subject": subject, "count": n}
                for (kind, subject), n in sorted(self.commendations.items())
            ],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Results:
        data = data or {}
        return cls(
            kinds=[KindCount(**row) for row in data.get("kinds", [])],
            commendations={
                (row["kind"], row["subject"]): row["count"] for row in data.get("commendations", [])
            },
        )


def level_field(region: Org) -> str:
    assert region.level is not None, "a jurisdiction is a region"
    return LEVEL_FIELDS[RegionLevel(region.level)]


def in_jurisdiction(regions: list[Org]) -> Q:
    """Records of any of these regions' subtrees (each an indexed equality)."""
    condition = Q(pk__in=[])
    for region in regions:
        condition |= Q(**{f"{level_field(region)}_id": region.pk})
    return condition


def results(regions: Org | list[Org] | None, period: Period) -> Results:
    """The figures of the regions' subtrees (None: every region) in the period: two grouped
    queries, and the kinds counted read by primary key."""
    return _count(regions, period, None)[None]


def results_by_child(
    regions: Org | list[Org] | None, period: Period, child_level: int
) -> tuple[Results, dict[int, Results]]:
    """The whole and each region one level down (`child_level`), from the same queries. A
    record kept at the region itself has no child: it counts in the whole only."""
    found = _count(regions, period, LEVEL_FIELDS[RegionLevel(child_level)])
    whole = found.pop(None, None) or Results()
    return whole, {key: one for key, one in found.items() if key is not None}


def _count(
    regions: Org | list[Org] | None, period: Period, child_field: str | None
) -> dict[int | None, Results]:
    if isinstance(regions, Org):
        regions = [regions]
    where = period.condition() & Q(state__in=COUNTED_STATES)
    if regions is not None:
        where &= in_jurisdiction(regions)
    group = [f"{child_field}_id"] if child_field else []
    measures = (
        Accountability.objects.filter(where)
        .order_by()
        .values(*group, "kind_id", "subject_kind")
        .annotate(n=Count("pk"))
    )
    praised = (
        Commendation.objects.filter(where)
        .order_by()
        .values(*group, "kind", "subject_kind")
        .annotate(n=Count("pk"))
    )
    kinds: dict[int | None, dict[int, KindCount]] = defaultdict(dict)
    commended: dict[int | None, dict[tuple[str, str], int]] = defaultdict(dict)
    keys: list[int | None] = [None]
    rows = list(measures)
    # Named apart by primary key: grouping by the kinds' names too made the sort several
    # times wider and the province's figures twice as slow (docs/performance.md).
    named = AccountabilityKind.objects.in_bulk({row["kind_id"] for row in rows})
    for row in rows:
        for key in _keys(row, child_field):
            one = kinds[key].get(row["kind_id"])
            if one is None:
                kind = named[row["kind_id"]]
                one = kinds[key][kind.pk] = KindCount(kind.pk, kind.code, kind.name, kind.position)
            if row["subject_kind"] == UNIT:
                one.units += row["n"]
            else:
                one.persons += row["n"]
    for row in praised:
        for key in _keys(row, child_field):
            cell = (row["kind"], row["subject_kind"])
            commended[key][cell] = commended[key].get(cell, 0) + row["n"]
    keys += [key for key in {*kinds, *commended} if key is not None]
    return {
        key: Results(
            sorted(kinds[key].values(), key=lambda k: (k.position, k.kind_id)), commended[key]
        )
        for key in keys
    }


def _keys(row: dict[str, Any], child_field: str | None) -> list[int | None]:
    """The whole, and the row's child region when the figures are broken down by one."""
    if child_field is None:
        return [None]
    child = row[f"{child_field}_id"]
    return [None] if child is None else [None, child]


# --- sentences --------------------------------------------------------------------------------


def _measure(kind: KindCount) -> str:
    """What was done to them, as a verb phrase after the count ("通报批评", "作停职处理")."""
    phrases = {
        BuiltinKind.INTERVIEW: pgettext("accountability measure", "given an admonishing talk"),
        BuiltinKind.INTERVIEW_WARNING: pgettext(
            "accountability measure", "given an admonishing talk with a warning"
        ),
        BuiltinKind.PUBLIC_CRITICISM: pgettext("accountability measure", "criticised by bulletin"),
        BuiltinKind.ORDERED_SELF_EXAMINATION: pgettext(
            "accountability measure", "ordered to make a self-examination"
        ),
        BuiltinKind.ADMONISHMENT: pgettext("accountability measure", "admonished"),
        BuiltinKind.SUSPENSION: pgettext("accountability measure", "suspended from duty"),
        BuiltinKind.DISMISSAL: pgettext("accountability measure", "removed from office"),
        BuiltinKind.CASE_FILED: pgettext("accountability measure", "placed under case review"),
        BuiltinKind.RECOMMENDATION: pgettext(
            "accountability measure", "recommended for accountability"
        ),
    }
    if kind.code:
        return phrases[BuiltinKind(kind.code)]
    return pgettext("accountability measure", "given: %(kind)s") % {"kind": kind.name}


def _who(subject: str, count: int, first: bool) -> str:
    """Who, counted: the first clause names them, the next ones only count them
    (对6名党员干部…，1名…)."""
    if subject == PERSON:
        if first:
            return ngettext(
                "%(count)s party member or cadre", "%(count)s party members and cadres", count
            ) % {"count": count}
        return npgettext("persons after the first clause", "%(count)s", "%(count)s", count) % {
            "count": count
        }
    if first:
        return ngettext("%(count)s unit", "%(count)s units", count) % {"count": count}
    return npgettext("units after the first clause", "%(count)s", "%(count)s", count) % {
        "count": count
    }


def _clauses(kinds: list[KindCount], subject: str) -> str:
    clauses: list[str] = []
    for kind in kinds:
        count = kind.units if subject == UNIT else kind.persons
        if count:
            clauses.append(
                pgettext("who and what was done to them", "%(who)s %(measure)s")
                % {"who": _who(subject, count, not clauses), "measure": _measure(kind)}
            )
    return pgettext("clause separator", ", ").join(clauses)


def accountability_sentence(figures: Results, *, start: bool = True) -> str:
    """先后对6名党员干部通报批评，1名责令作出检查，1名作停职处理，2名进行立案审查。
    One clause per kind with a count, in kind order; persons and units apart. "" if none.
    `start=False`: it follows words of its own sentence ("From 1 to 7 March, held…")."""
    parts = []
    persons = _clauses(figures.kinds, PERSON)
    if persons:
        # Translators: the clauses that follow start with the first count ("6 party members
        # and cadres criticised by bulletin, 1 …"); zh: 先后对%(clauses)s
        parts.append(_("held to account: %(clauses)s") % {"clauses": persons})
    units = _clauses(figures.kinds, UNIT)
    if units:
        # Translators: zh: 对%(clauses)s (对2个单位通报批评)
        parts.append(_("units held to account: %(clauses)s") % {"clauses": units})
    if not parts:
        return ""
    text = _("%(parts)s.") % {"parts": pgettext("part separator", "; ").join(parts)}
    return capfirst(text) if start else text


def _commended(kind: str, units: int, persons: int) -> str:
    items = []
    if kind == CommendationKind.ADVANCED:
        if units:
            items.append(
                ngettext("%(count)s advanced collective", "%(count)s advanced collectives", units)
                % {"count": units}
            )
        if persons:
            items.append(
                ngettext("%(count)s advanced individual", "%(count)s advanced individuals", persons)
                % {"count": persons}
            )
    else:
        if units:
            items.append(
                npgettext("commended", "%(count)s unit", "%(count)s units", units)
                % {"count": units}
            )
        if persons:
            items.append(
                npgettext("commended", "%(count)s person", "%(count)s people", persons)
                % {"count": persons}
            )
    listed = pgettext("list separator", ", ").join(items)
    if kind == CommendationKind.ADVANCED:
        return _("commended %(items)s") % {"items": listed}
    if kind == CommendationKind.PRAISE:
        return _("praised %(items)s") % {"items": listed}
    return _("held up %(items)s as examples") % {"items": listed}


def commendation_sentence(figures: Results, *, start: bool = True) -> str:
    """表彰先进集体9个、先进个人15名，通报表扬3个单位。 "" if none."""
    clauses = [
        _commended(kind, units, persons)
        for kind, _label, units, persons in figures.commendation_rows()
    ]
    if not clauses:
        return ""
    text = _("%(parts)s.") % {"parts": pgettext("clause separator", ", ").join(clauses)}
    return capfirst(text) if start else text


def results_sentence(figures: Results) -> str:
    """Both sentences, or the words for a period without any result."""
    text = ""
    for part in (accountability_sentence(figures), commendation_sentence(figures)):
        if part:
            # Chinese sentences follow each other without a space, Latin ones after one.
            text += part if not text or text.endswith("。") else f" {part}"
    return text or _("No accountability or commendation was decided in this period.")
