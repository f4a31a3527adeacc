"""一表通 and 数据共享, read side: what a kept form's collection asks, which committees fill
it, and each department's view of the answers in its own form's layout — or, for a form
served from shared data, the same layout produced from what the platform holds
(docs/collection-forms.md)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ducha.accounts.choices import Role
from ducha.core.scope import grants_for
from ducha.orgs.choices import LEVEL_FIELDS, OrgKind, RegionLevel
from ducha.orgs.models import Org
from ducha.reportforms import shared
from ducha.reportforms.choices import Decision, Frequency, ItemKind
from ducha.reportforms.models import FormItem, FormReturn, ReportForm

# Who reads a department's view besides the department itself: the jurisdiction's office,
# leaders and command HQ.
JURISDICTION_READERS = frozenset({Role.OFFICE_STAFF, Role.LEADER, Role.COMMAND})


def collection_form(form: ReportForm) -> ReportForm:
    """The form a return of `form` is filled on: the one it was merged into, or itself."""
    if form.decision == Decision.MERGE and form.merged_into_id is not None:
        return ReportForm.objects.get(pk=form.merged_into_id)
    return form


def collection_items(form: ReportForm) -> list[FormItem]:
    """The items of a kept form's collection: its own and those of every form merged into
    it, once per key, in the order of the forms' numbers and then of their positions.

    An item asked by several forms takes the definition of the lowest-numbered one (label,
    kind, unit, position). Where the definitions disagree, the strictest bounds of them all
    hold, so that an answer fits every department's form: required if any requires it, the
    highest minimum, the lowest maximum, the shortest text, and only the choices every form
    offers (when that leaves none, the first form's choices stand: the register needs
    mending, and the village must still be able to answer). The items returned are copies,
    never saved."""
    kept = collection_form(form)
    forms = [kept.pk, *kept.merged.filter(decision=Decision.MERGE).values_list("pk", flat=True)]
    items = FormItem.objects.filter(form_id__in=forms).order_by(
        "form__number", "form_id", "position", "pk"
    )
    merged: dict[str, FormItem] = {}
    for item in items:
        first = merged.get(item.key)
        if first is None:
            merged[item.key] = copy.copy(item)
        else:
            _tighten(first, item)
    return list(merged.values())


def _tighten(first: FormItem, other: FormItem) -> None:
    first.required = first.required or other.required
    if other.min_value is not None:
        first.min_value = max(v for v in (first.min_value, other.min_value) if v is not None)
    if other.max_value is not None:
        first.max_value = min(v for v in (first.max_value, other.max_value) if v is not None)
    if other.max_length is not None:
        first.max_length = min(v for v in (first.max_length, other.max_length) if v is not None)
    if first.choices and other.choices:
        common = [choice for choice in first.choices if choice in other.choices]
        first.choices = common or first.choices
    elif other.choices:
        first.choices = list(other.choices)


def period_of(frequency: str, day: date) -> date:
    """The first day of the period `day` falls in: the day, the Monday of its week, the first
    of its month or of its quarter."""
    if frequency == Frequency.WEEKLY:
        return date.fromordinal(day.toordinal() - day.weekday())
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    if frequency == Frequency.QUARTERLY:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day


def committees_of(user: Any) -> list[Org]:
    """The village, community, town or street committees the user handles."""
    units = [grant.org_id for grant in grants_for(user) if grant.role == Role.UNIT_HANDLER]
    rows = Org.objects.filter(pk__in=units, kind=OrgKind.DEPARTMENT)
    return [org for org in rows.order_by("tree_order") if _committee_level(org) is not None]


def _committee_level(org: Org) -> int | None:
    found = org.region_id_and_level
    if found is None or found[1] < RegionLevel.TOWN:
        return None
    return found[1]


def region_of(committee: Org) -> Org:
    """The village, community, town or street a committee belongs to."""
    found = committee.region_id_and_level
    if found is None:
        raise ValueError("A committee lies in a region.")
    return Org.objects.get(pk=found[0])


def fills(org: Org, form: ReportForm) -> bool:
    """Whether `org` is one of the committees that fill `form`."""
    found = org.region_id_and_level
    return (
        org.kind == OrgKind.DEPARTMENT
        and found is not None
        and found[1] == form.filled_by
        and f"/{form.region_id}/" in org.path
    )


# --- who reads a view ---------------------------------------------------------------------


def handles(user: Any, org_id: int) -> bool:
    return any(
        grant.role == Role.UNIT_HANDLER and grant.org_id == org_id for grant in grants_for(user)
    )


def may_read_view(user: Any, form: ReportForm, roles: frozenset[str]) -> bool:
    """A department reads its own form's view; the office, leaders and command HQ of the
    jurisdiction read every department's. `roles` are the user's roles that see the form."""
    if roles & JURISDICTION_READERS:
        return True
    return Role.UNIT_HANDLER in roles and handles(user, form.department_id)


# --- a department's view ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str
    kind: str

    @property
    def header(self) -> str:
        """The label as the old form printed it, with its unit: 返乡人数（人）."""
        return (
            _("%(label)s (%(unit)s)") % {"label": self.label, "unit": self.unit}
            if self.unit
            else self.label
        )


@dataclass(frozen=True)
class Row:
    region_id: int
    region: str
    period: date
    values: list[Any]


@dataclass(frozen=True)
class View:
    """A form's table: its title, its own columns in its own order, one row per place and
    period."""

    form: ReportForm
    place: str
    when: str
    columns: list[Column]
    rows: list[Row]

    @property
    def title(self) -> str:
        return self.form.name

    @property
    def header(self) -> list[str]:
        return [self.place, self.when, *(column.header for column in self.columns)]


def columns_of(form: ReportForm) -> list[Column]:
    return [
        Column(item.key, item.label, item.unit, item.kind)
        for item in FormItem.objects.filter(form=form).order_by("position", "pk")
    ]


def _place(form: ReportForm) -> str:
    return str(RegionLevel(form.filled_by).label)


def view_returns(user: Any, form: ReportForm, period: date | None = None) -> QuerySet:
    """The returns a department's view of `form` reads: those of its collection, in the
    form's jurisdiction, that the user sees; one period's when `period` is given."""
    kept = collection_form(form)
    level = form.region.level
    rows = FormReturn.objects.visible_to(user).filter(form=kept)
    if level is not None:
        rows = rows.filter(**{f"{LEVEL_FIELDS[RegionLevel(level)]}_id": form.region_id})
    if period is not None:
        rows = rows.filter(period=period_of(kept.frequency, period))
    return rows


def department_view(form: ReportForm, returns: QuerySet) -> View:
    """部门视图: `returns` (of the collection `form` is filled in) read in `form`'s own
    layout: its items as columns, in its order, with nothing of the other departments'."""
    columns = columns_of(form)
    rows = [
        Row(
            filled.region_id,
            filled.region.name,
            filled.period,
            [filled.values.get(column.key) for column in columns],
        )
        for filled in returns.select_related("region").order_by(
            "-period", "region__tree_order", "pk"
        )
    ]
    return View(form, _place(form), _("Period"), columns, rows)


def shared_view(form: ReportForm, day: date) -> View:
    """数据共享: a form served from shared data, produced for `day` without anyone filling
    it — one row per region at the level that used to fill it. An item the platform does
    not hold stays blank."""
    columns = columns_of(form)
    figures = {
        item.key: item.shared_figure
        for item in FormItem.objects.filter(form=form).exclude(shared_figure="")
    }
    regions = list(shared.regions_at(form.region, form.filled_by).values_list("pk", "name"))
    counted = shared.values(form.region, form.filled_by, day, figures.values())
    rows = []
    for pk, name in regions:
        values = []
        for column in columns:
            figure = figures.get(column.key)
            values.append(counted[figure].get(pk, 0) if figure in counted else None)
        rows.append(Row(pk, name, day, values))
    return View(form, _place(form), _("As of"), columns, rows)


def is_shared(form: ReportForm) -> bool:
    return form.decision == Decision.SHARED


def display(kind: str, value: Any) -> Any:
    """A stored value as a person reads it (yes/no in words)."""
    if kind == ItemKind.YES_NO and isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value
