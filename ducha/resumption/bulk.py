"""Many enterprises of the 复工复产 ledger at once: what an Excel import makes of its rows.

A row names one enterprise — new, or an existing one of the jurisdiction matched by its
credit code (or, without a code, by its name in its region) — and up to three dated
statuses: filed, resumed, stopped. The statuses are taken in date order, each through
`status.refusal()` with the rule of the enterprise's jurisdiction and then `status.apply()`,
exactly as a single change is; a refused one refuses the row, naming its column.

One `ResumptionEvent` per change: `import` for a new enterprise, `edit` for an existing one
whose columns changed, and one per status with the day it took effect (`on`). The
enterprise's `filed_on`, `status` and `status_on`, its spells and its `version` follow.

Everything a chunk of rows refers to is fetched once for the chunk, and everything it makes
is inserted at once (`ducha.core.bulk.insert`): tens of thousands of rows cost a few queries
a chunk, not a few a row. The caller's transaction holds a chunk: nothing of it is
half-saved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.bulk import insert
from ducha.core.errors import InvalidInput
from ducha.core.scope import grants_for
from ducha.orgs.models import Org
from ducha.resumption import status
from ducha.resumption.actions import SPELL_COPIES, unfiled_problem
from ducha.resumption.choices import ACTION_ROLES, EnterpriseAction, Status
from ducha.resumption.models import (
    Enterprise,
    ResumptionEvent,
    ResumptionRule,
    ResumptionSpell,
)

# The columns of a row an import may change on an existing enterprise.
EDITABLE = (
    "kind",
    "name",
    "category",
    "region_id",
    "area",
    "supervisor_id",
    "supervised",
    "excluded_reason",
)
# An unfiled resumption the rule makes a problem of: marked while planning, made on writing.
PROBLEM_WANTED = "problem_wanted"
# A row's statuses, in the order they are taken when dated the same day.
STATUS_COLUMNS = (
    (EnterpriseAction.FILE, "filed_on"),
    (EnterpriseAction.RESUME, "resumed_on"),
    (EnterpriseAction.STOP, "stopped_on"),
)
# Rows whose references are fetched by one query (IN lists stay short).
LOOKUP_CHUNK = 1000


@dataclass(frozen=True)
class EnterpriseRow:
    """One row: an enterprise as the import should leave it, and its dated statuses."""

    number: int  # the row's number in its file, carried back in refusals
    kind: str
    name: str
    category: str
    region_id: int
    credit_code: str = ""
    area: str = ""
    supervisor_id: int | None = None
    supervised: bool = True
    excluded_reason: str = ""
    registered_on: date | None = None
    filed_on: date | None = None
    resumed_on: date | None = None
    stopped_on: date | None = None


@dataclass(frozen=True)
class Refusal:
    """Why a row cannot be imported: its number, the column at fault, a message."""

    number: int
    column: str
    message: str


class RowRefused(InvalidInput):
    """A row of `import_enterprises` was refused; nothing of its chunk was written."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message, refusal.column)
        self.refusal = refusal


@dataclass
class Imported:
    row: int
    enterprise: Enterprise
    created: bool


@dataclass
class _Change:
    action: str
    on: date | None
    from_status: str
    to_status: str
    payload: dict[str, Any]


@dataclass
class _NewSpell:
    resumed_on: date
    stopped_on: date | None = None


@dataclass
class _Plan:
    """What one row will do, in plain values: the check needs no model objects."""

    row: EnterpriseRow
    region: Org
    existing: Enterprise | None
    standing: status.Standing
    changed: dict[str, list[Any]] = field(default_factory=dict)
    changes: list[_Change] = field(default_factory=list)
    new_spells: list[_NewSpell] = field(default_factory=list)
    # The existing enterprise's spells, and the one the row closes with the day.
    spells: list[ResumptionSpell] = field(default_factory=list)
    closes: tuple[ResumptionSpell, date] | None = None


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _in_chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _References:
    """What a chunk of rows refers to, fetched once: regions, rules, existing enterprises."""

    def __init__(self, rows: Sequence[EnterpriseRow], user: Any, *, lock: bool) -> None:
        self.regions = Org.objects.in_bulk({row.region_id for row in rows})
        ancestors = {pk for r in self.regions.values() for pk in _ancestor_ids(r.path)}
        self.rules = {
            region_id: (filing_first, problem_when_unfiled)
            for region_id, filing_first, problem_when_unfiled in ResumptionRule.objects.filter(
                region_id__in=ancestors
            ).values_list("region_id", "filing_first", "problem_when_unfiled")
        }
        self._rule: dict[int, tuple[bool, bool]] = {}
        roles = ACTION_ROLES[EnterpriseAction.REGISTER]
        self.paths = [g.region_path for g in grants_for(user) if g.role in roles and g.region_path]
        codes = sorted({row.credit_code for row in rows if row.credit_code})
        names = sorted({row.name for row in rows if not row.credit_code})
        # The candidates first, by the credit code's index, then those the user may edit:
        # together, the planner scans the whole jurisdiction when its statistics are stale.
        candidates = set(
            Enterprise.objects.filter(credit_code__in=codes).order_by().values_list("pk", flat=True)
        )
        candidates |= set(
            Enterprise.objects.filter(credit_code="", name__in=names, region_id__in=self.regions)
            .order_by()
            .values_list("pk", flat=True)
        )
        editable = Enterprise.objects.visible_to(user, EnterpriseAction.EDIT)
        ids = set(editable.filter(pk__in=candidates).order_by().values_list("pk", flat=True))
        found = Enterprise.objects.filter(pk__in=ids).order_by("pk")
        if lock:  # the rows the chunk will change, locked until it commits
            found = found.select_for_update(of=("self",))
        self.by_code: dict[str, list[Enterprise]] = defaultdict(list)
        self.by_name: dict[tuple[str, int], list[Enterprise]] = defaultdict(list)
        for enterprise in found:
            if enterprise.credit_code:
                self.by_code[enterprise.credit_code].append(enterprise)
            else:
                self.by_name[(enterprise.name, enterprise.region_id)].append(enterprise)
        self.spells: dict[int, list[ResumptionSpell]] = defaultdict(list)
        for spell in ResumptionSpell.objects.filter(enterprise_id__in=ids).order_by("resumed_on"):
            self.spells[spell.enterprise_id].append(spell)

    def rule(self, region: Org) -> tuple[bool, bool]:
        """The nearest rule up the region tree (filing first? an unfiled resumption a
        problem?); filing first and no problem where none is set."""
        if region.pk not in self._rule:
            self._rule[region.pk] = next(
                (self.rules[pk] for pk in reversed(_ancestor_ids(region.path)) if pk in self.rules),
                (True, False),
            )
        return self._rule[region.pk]

    def may_register_in(self, region: Org) -> bool:
        return any(region.path.startswith(prefix) for prefix in self.paths)

    def existing(self, row: EnterpriseRow) -> tuple[Enterprise | None, Refusal | None]:
        if row.credit_code:
            matches = self.by_code.get(row.credit_code, [])
            column = "credit_code"
        else:
            matches = self.by_name.get((row.name, row.region_id), [])
            column = "name"
        if len(matches) > 1:
            message = _("Several enterprises of your jurisdiction match this row.")
            return None, Refusal(row.number, column, message)
        return (matches[0] if matches else None), None


def _plan_row(row: EnterpriseRow, refs: _References, today: date) -> _Plan | Refusal:
    region = refs.regions.get(row.region_id)
    if region is None or not refs.may_register_in(region):
        return Refusal(row.number, "region", _("Your role may not register enterprises here."))
    if not row.supervised and not row.excluded_reason:
        message = _("Say why the enterprise is not supervised here.")
        return Refusal(row.number, "excluded_reason", message)
    existing, refused = refs.existing(row)
    if refused:
        return refused
    plan = _new(row, region) if existing is None else _update(row, region, existing)
    if isinstance(plan, Refusal):
        return plan
    return _statuses(plan, refs, today) or plan


def _new(row: EnterpriseRow, region: Org) -> _Plan | Refusal:
    if row.registered_on is None:
        message = _("A new enterprise needs the day it was registered.")
        return Refusal(row.number, "registered_on", message)
    plan = _Plan(row, region, None, status.Standing(registered_on=row.registered_on))
    plan.changes.append(_Change(EnterpriseAction.IMPORT, None, "", Status.REGISTERED, {}))
    return plan


def _update(row: EnterpriseRow, region: Org, enterprise: Enterprise) -> _Plan | Refusal:
    if row.registered_on and row.registered_on != enterprise.registered_on:
        message = _(
            "This enterprise was registered on %(day)s; an import does not change that day."
        ) % {"day": enterprise.registered_on.isoformat()}
        return Refusal(row.number, "registered_on", message)
    standing = status.Standing(
        registered_on=enterprise.registered_on,
        filed_on=enterprise.filed_on,
        status=enterprise.status,
        status_on=enterprise.status_on,
    )
    plan = _Plan(row, region, enterprise, standing)
    wanted = {name: getattr(row, name) for name in EDITABLE}
    if row.supervised:
        wanted["excluded_reason"] = ""
    plan.changed = {
        name: [getattr(enterprise, name), value]
        for name, value in wanted.items()
        if getattr(enterprise, name) != value
    }
    if plan.changed:
        changes = {name.removesuffix("_id"): pair for name, pair in plan.changed.items()}
        now = enterprise.status
        plan.changes.append(_Change(EnterpriseAction.EDIT, None, now, now, {"changes": changes}))
    return plan


def _recorded(action: str, on: date, plan: _Plan, spells: list[ResumptionSpell]) -> bool:
    """The status is on record already (a ledger imported again, or exported and edited)."""
    if plan.existing is None:
        return False
    if action == EnterpriseAction.FILE:
        return plan.existing.filed_on == on
    if action == EnterpriseAction.RESUME:
        return any(spell.resumed_on == on for spell in spells)
    return any(spell.stopped_on == on for spell in spells)


def _statuses(plan: _Plan, refs: _References, today: date) -> Refusal | None:
    row, standing = plan.row, plan.standing
    spells = plan.spells = refs.spells.get(plan.existing.pk, []) if plan.existing else []
    filing_first, problem_when_unfiled = refs.rule(plan.region)
    wanted = sorted(
        (getattr(row, column), order, action, column)
        for order, (action, column) in enumerate(STATUS_COLUMNS)
        if getattr(row, column) is not None
    )
    for on, _order, action, column in wanted:
        if _recorded(action, on, plan, spells):
            continue
        refused = status.refusal(standing, action, on, today=today, filing_first=filing_first)
        if refused:
            return Refusal(row.number, column, refused)
        payload: dict[str, Any] = {}
        if status.unfiled(standing, action):
            # The problem is made once the enterprise is written (import_enterprises).
            payload = {"unfiled": True, PROBLEM_WANTED: problem_when_unfiled}
        after, spell = status.apply(standing, action, on)
        plan.changes.append(_Change(action, on, standing.status, after.status, payload))
        if spell.opens:
            plan.new_spells.append(_NewSpell(spell.opens))
        if spell.closes:
            # The spell open now: one this row opened, else the enterprise's last one.
            opened = [s for s in plan.new_spells if s.stopped_on is None]
            if opened:
                opened[-1].stopped_on = spell.closes
            else:
                still_open = [s for s in spells if s.stopped_on is None]
                if still_open:
                    plan.closes = (still_open[-1], spell.closes)
        standing = after
    plan.standing = standing
    return None


def _plans(
    rows: Sequence[EnterpriseRow], user: Any, *, lock: bool
) -> tuple[list[_Plan], list[Refusal]]:
    today = timezone.localdate()
    plans: list[_Plan] = []
    refusals: list[Refusal] = []
    for chunk in _in_chunks(rows):
        refs = _References(chunk, user, lock=lock)
        for row in chunk:
            planned = _plan_row(row, refs, today)
            if isinstance(planned, Refusal):
                refusals.append(planned)
            else:
                plans.append(planned)
    return plans, refusals


def refusals(rows: Sequence[EnterpriseRow], *, acting_user: Any) -> list[Refusal]:
    """Why each refused row could not be imported now; nothing is written.

    Rows are taken each against the data as it stands: a file that names one enterprise
    twice is the caller's to refuse."""
    return _plans(rows, acting_user, lock=False)[1]


@transaction.atomic
def import_enterprises(
    rows: Sequence[EnterpriseRow], *, acting_user: Any, batch: Any = None
) -> list[Imported]:
    """Create or update the rows' enterprises and record their statuses, all or none.

    Raises RowRefused for the first row refused. `batch` (an import batch) is noted in the
    events' payload, with each row's number."""
    plans, refused = _plans(rows, acting_user, lock=True)
    if refused:
        raise RowRefused(refused[0])
    now = timezone.now()
    enterprises = [_enterprise(plan, acting_user, now) for plan in plans]
    insert(Enterprise, [e for e, plan in zip(enterprises, plans, strict=True) if not plan.existing])
    edited = [
        e for e, plan in zip(enterprises, plans, strict=True) if plan.existing and plan.changes
    ]
    if edited:
        fields = [*EDITABLE, "province_id", "city_id", "county_id", "town_id", "village_id"]
        fields += ["filed_on", "status", "status_on", "version"]
        Enterprise.objects.bulk_update(edited, [name.removesuffix("_id") for name in fields])
    new_spells: list[ResumptionSpell] = []
    touched: list[ResumptionSpell] = []
    for plan, enterprise in zip(plans, enterprises, strict=True):
        for new in plan.new_spells:
            spell = ResumptionSpell(resumed_on=new.resumed_on, stopped_on=new.stopped_on)
            new_spells.append(_spell(spell, enterprise))
        # Changed columns change every spell's copies; a stop changes the spell it closes.
        mine = list(plan.spells) if plan.changed else []
        if plan.closes:
            spell, on = plan.closes
            spell.stopped_on = on
            if spell not in mine:
                mine.append(spell)
        touched.extend(_spell(spell, enterprise) for spell in mine)
    insert(ResumptionSpell, new_spells)
    if touched:
        names = ["stopped_on", *(name.removesuffix("_id") for name in SPELL_COPIES)]
        ResumptionSpell.objects.bulk_update(touched, names)
    for plan, enterprise in zip(plans, enterprises, strict=True):
        for change in plan.changes:
            if change.payload.pop(PROBLEM_WANTED, False) and change.on is not None:
                change.payload["problem"] = unfiled_problem(enterprise, acting_user, change.on).pk
    insert(ResumptionEvent, _events(plans, enterprises, acting_user, batch, now))
    return [
        Imported(plan.row.number, enterprise, plan.existing is None)
        for plan, enterprise in zip(plans, enterprises, strict=True)
    ]


def _enterprise(plan: _Plan, user: Any, now: Any) -> Enterprise:
    row, standing = plan.row, plan.standing
    if plan.existing is None:
        enterprise = Enterprise(
            kind=row.kind,
            name=row.name,
            credit_code=row.credit_code,
            category=row.category,
            region=plan.region,
            area=row.area,
            supervisor_id=row.supervisor_id,
            supervised=row.supervised,
            excluded_reason="" if row.supervised else row.excluded_reason,
            registered_on=standing.registered_on,
            created_at=now,
            created_by=user,
        )
    else:
        enterprise = plan.existing
        for name, (_old, value) in plan.changed.items():
            setattr(enterprise, name, value)
    enterprise.copy_levels_from(plan.region)
    enterprise.filed_on = standing.filed_on
    enterprise.status = standing.status
    enterprise.status_on = standing.status_on
    enterprise.version += len(plan.changes)
    return enterprise


def _spell(spell: ResumptionSpell, enterprise: Enterprise) -> ResumptionSpell:
    """The spell with its enterprise and the copies of the enterprise's columns."""
    spell.enterprise_id = enterprise.pk
    for name in SPELL_COPIES:
        setattr(spell, name, getattr(enterprise, name))
    return spell


def _events(
    plans: list[_Plan], enterprises: list[Enterprise], user: Any, batch: Any, now: Any
) -> list[ResumptionEvent]:
    events = []
    for plan, enterprise in zip(plans, enterprises, strict=True):
        source = {"import": batch.pk, "row": plan.row.number} if batch is not None else {}
        for change in plan.changes:
            events.append(
                ResumptionEvent(
                    enterprise_id=enterprise.pk,
                    actor=user,
                    created_at=now,
                    action=change.action,
                    on=change.on,
                    from_status=change.from_status,
                    to_status=change.to_status,
                    payload={**change.payload, **source},
                )
            )
    return events
