"""Writing the demo's 复工复产 ledger in bulk: tens of thousands of enterprises, each with the
events an office would have recorded, and the spells of work those events imply.

Every enterprise's history is checked and folded with the status rules
(`ducha.resumption.status`) in Python, as the actions would do one change at a time, and
the rows are then inserted in a few statements per table: the enterprises, one event per
action (the register and each change of status, dated by `on`), the spells and the
epidemic-management ledger entries. Nothing here queries per row; a history the rules
refuse stops the load.

The rows go in as plain values, not model instances: building and compiling two hundred
thousand instances would take most of the demo's load. Events are sealed into their hash
chains (`core.chains.seal`) like any other, so the chains verify.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

from django.db import connection, models
from django.utils import timezone

from ducha.accounts.models import User
from ducha.core import chains
from ducha.core.events import ImmutableEvent
from ducha.orgs.choices import LEVEL_FIELDS
from ducha.orgs.models import Org, Site
from ducha.resumption import status
from ducha.resumption.choices import EnterpriseAction
from ducha.resumption.models import (
    Enterprise,
    EnterpriseLedger,
    ResumptionEvent,
    ResumptionSpell,
)

# The demo's ledgers are written as filing-first jurisdictions keep them (the default rule).
FILING_FIRST = True
# When in the day an office records what it learnt: the register in the morning, the day's
# changes of status in the afternoon.
REGISTER_TIME = time(9, 30)
CHANGE_TIME = time(17, 0)
# Rows per INSERT or COPY statement.
CHUNK = 20_000


@dataclass(frozen=True)
class LedgerEntry:
    """One entry of an enterprise's epidemic-management ledger (一企一台账)."""

    recorded_at: datetime
    recorded_by: User
    staff_total: int
    staff_screened: int
    supplies: list[dict[str, Any]]
    plan: str
    responsible_person: str
    responsible_phone: str = ""
    staff_isolated: int = 0


@dataclass
class Entry:
    """One enterprise or project and its history: the changes of status, in order."""

    kind: str
    name: str
    category: str
    region: Org
    registered_on: date
    actor: User
    changes: Sequence[tuple[str, date]] = ()
    area: str = ""
    supervisor: Org | None = None
    supervised: bool = True
    excluded_reason: str = ""
    address: str = ""
    site: Site | None = None
    # Minutes after the hour the office recorded things, so that a day's rows do not all
    # carry the same moment.
    minute: int = 0
    ledger: list[LedgerEntry] = field(default_factory=list)


def moment(day: date, at: time, minute: int = 0) -> datetime:
    naive = datetime.combine(day, at.replace(minute=minute % 60))
    return timezone.make_aware(naive, timezone.get_current_timezone())


@dataclass
class _Folded:
    enterprise: dict[str, Any]
    events: list[dict[str, Any]]
    spells: list[tuple[date, date | None]]


def _fold(entry: Entry, today: date, zone: Any) -> _Folded:
    """The enterprise's standing after its changes, with the rows that record them."""
    standing = status.Standing(registered_on=entry.registered_on)
    registered_at = _at(entry.registered_on, REGISTER_TIME, entry.minute, zone)
    events = [
        {
            "actor_id": entry.actor.pk,
            "created_at": registered_at,
            "action": EnterpriseAction.REGISTER.value,
        }
    ]
    spells: list[tuple[date, date | None]] = []
    for action, on in entry.changes:
        refused = status.refusal(standing, action, on, today=today, filing_first=FILING_FIRST)
        if refused:
            raise ValueError(f"{entry.name}: {action} on {on}: {refused}")
        after, change = status.apply(standing, action, on)
        if change.opens:
            spells.append((change.opens, None))
        if change.closes:
            spells[-1] = (spells[-1][0], change.closes)
        events.append(
            {
                "actor_id": entry.actor.pk,
                "created_at": _at(on, CHANGE_TIME, entry.minute, zone),
                "action": str(action),
                "on": on,
                "from_status": str(standing.status),
                "to_status": str(after.status),
            }
        )
        standing = after
    events += [
        {
            "actor_id": line.recorded_by.pk,
            "created_at": line.recorded_at,
            "action": EnterpriseAction.RECORD_LEDGER.value,
        }
        for line in entry.ledger
    ]
    enterprise = {
        "kind": entry.kind,
        "name": entry.name,
        "category": entry.category,
        "region_id": entry.region.pk,
        "area": entry.area,
        "supervisor_id": entry.supervisor.pk if entry.supervisor else None,
        "supervised": entry.supervised,
        "excluded_reason": entry.excluded_reason,
        "address": entry.address,
        "registered_on": entry.registered_on,
        "filed_on": standing.filed_on,
        "status": str(standing.status),
        "status_on": standing.status_on,
        "site_id": entry.site.pk if entry.site else None,
        "created_at": registered_at,
        "created_by_id": entry.actor.pk,
        # The register leaves version 0; every later action moves it on.
        "version": len(events) - 1,
        # The region's level columns, as `RegionLevels.copy_levels_from` sets them.
        **{f"{name}_id": getattr(entry.region, f"{name}_id") for name in LEVEL_FIELDS.values()},
    }
    return _Folded(enterprise, events, spells)


def _at(day: date, at: time, minute: int, zone: Any) -> datetime:
    # `moment()` for tens of thousands of rows: the zone looked up once.
    return datetime.combine(day, at.replace(minute=minute % 60), tzinfo=zone)


def write(entries: Sequence[Entry], *, today: date) -> list[int]:
    """Insert `entries` and their histories; return the enterprises' ids, in order."""
    zone = timezone.get_current_timezone()
    folded = [_fold(entry, today, zone) for entry in entries]
    ids = insert_rows(Enterprise, [item.enterprise for item in folded])
    events: list[dict[str, Any]] = []
    spells: list[dict[str, Any]] = []
    ledgers: list[dict[str, Any]] = []
    for entry, item, pk in zip(entries, folded, ids, strict=True):
        for event in item.events:
            event["enterprise_id"] = pk
        events += item.events
        copied = {
            name: item.enterprise[name]
            for name in ("province_id", "city_id", "county_id", "town_id", "category", "area")
        }
        spells += [
            {
                "enterprise_id": pk,
                "resumed_on": resumed_on,
                "stopped_on": stopped_on,
                "supervised": entry.supervised,
                **copied,
            }
            for resumed_on, stopped_on in item.spells
        ]
        ledgers += [
            {
                "enterprise_id": pk,
                "recorded_at": line.recorded_at,
                "recorded_by_id": line.recorded_by.pk,
                "staff_total": line.staff_total,
                "staff_screened": line.staff_screened,
                "staff_isolated": line.staff_isolated,
                "supplies": line.supplies,
                "plan": line.plan,
                "responsible_person": line.responsible_person,
                "responsible_phone": line.responsible_phone,
            }
            for line in entry.ledger
        ]
    # The log is read in the order things happened, across enterprises.
    events.sort(key=lambda event: event["created_at"])
    insert_rows(ResumptionEvent, events)
    insert_rows(ResumptionSpell, spells)
    insert_rows(EnterpriseLedger, ledgers)
    return ids


# Inserting plain rows ------------------------------------------------------------------------


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` (values by attribute name; fields left out take their defaults) and
    return their new ids: `COPY` on PostgreSQL, a multi-row `executemany` elsewhere."""
    if not rows:
        return []
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    rows = [{**defaults, **row} for row in rows]
    if issubclass(model, ImmutableEvent):
        # Sealed in insert order, on objects that read like the model's (attributes by
        # attribute name), so that the digests are those a read-back row verifies against.
        sealed = [SimpleNamespace(**row) for row in rows]
        chains.seal(model, sealed, connection.alias)
        rows = [vars(row) for row in sealed]
    converters = [(index, _converter(f)) for index, f in enumerate(fields, 1)]
    converters = [(index, convert) for index, convert in converters if convert is not None]
    pick = itemgetter(*(f.attname for f in fields))
    table = connection.ops.quote_name(meta.db_table)
    assert meta.pk is not None
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in [meta.pk, *fields])
    with connection.cursor() as cursor:
        ids = _new_ids(cursor, model, len(rows))
        values = [[pk, *pick(row)] for pk, row in zip(ids, rows, strict=True)]
        for line in values:
            for index, convert in converters:
                line[index] = convert(line[index])
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in values:
                    copy.write_row(line)
        else:
            marks = ", ".join(["%s"] * (len(fields) + 1))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            for start in range(0, len(values), CHUNK):
                cursor.executemany(sql, values[start : start + CHUNK])
    return ids


def _new_ids(cursor: Any, model: type[models.Model], count: int) -> list[int]:
    meta = model._meta
    assert meta.pk is not None
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]
    # One writer holds the database for the load: the next ids follow the largest.
    table, pk = (connection.ops.quote_name(str(n)) for n in (meta.db_table, meta.pk.column))
    cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table}")  # noqa: S608
    first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def _converter(field: models.Field) -> Any:
    """How a value of `field` is written (None: as it is), as Django would store it."""
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, cls=field.encoder, ensure_ascii=False)
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "postgresql":
            return None
        # Django keeps SQLite moments as naive UTC text.
        return lambda value: (
            None if value is None else value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        )
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else value.isoformat()
    # Text, numbers, booleans and ids: as they are.
    return None
