"""Time an enterprise ledger import (复工复产台账) against a plain bulk insert of the same
enterprises, status events and spells into the same tables.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench \\
        .venv/bin/python -m bench.resumption_import --rows 50000 --json out.json

Needs a migrated database, nothing more: a zone (基准高新区) with its streets, an office and
its recorder, and a supervising department are made on first use. The ledger holds `--rows`
enterprises and projects of the zone's streets, three in four filed, most of those resumed,
some stopped again. The yardstick: the same enterprises, events and spells made as model
objects and written with `bulk_create`, then rolled back. Then the file goes the way a user
sends it: uploaded and checked (`do_upload_import`), confirmed and imported
(`do_confirm_import`, in this process; the worker runs the same functions). The imported
enterprises stay in the database; each run has credit codes of its own. Nothing is
asserted: see docs/performance.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import random
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from bench import setup_django

STREETS = 20
AREAS = ("南区", "西区", "东区", "软件园")


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.resumption_import", description=__doc__)
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, help="rows a transaction (default: the setting)")
    parser.add_argument("--profile", help="cProfile the check and import into this file")
    parser.add_argument(
        "--phases", action="store_true", help="time the main steps of the check and import"
    )
    parser.add_argument("--json", help="write the figures to this file")
    return parser.parse_args(argv)


def _zone() -> tuple[Any, list[Any], Any, Any]:
    """The zone, its streets, its department and its office's recorder (made once)."""
    from ducha.accounts.models import Membership, User
    from ducha.orgs.models import Org

    def region(name: str, level: int, parent: Any, code: str) -> Any:
        found = Org.objects.filter(kind="region", code=code).first()
        return found or Org.objects.create(
            kind="region", name=name, level=level, parent=parent, code=code
        )

    province = region("基准省", 1, None, "990000")
    city = region("基准市", 2, province, "990100")
    zone = region("基准高新区", 3, city, "990101")
    streets = [region(f"基准街道{n:02d}", 4, zone, f"990101{n:03d}") for n in range(1, STREETS + 1)]
    office = Org.objects.filter(kind="office", parent=zone).first() or Org.objects.create(
        kind="office", name="基准高新区督查办", parent=zone
    )
    department = Org.objects.filter(kind="department", parent=zone).first()
    if department is None:
        department = Org.objects.create(kind="department", name="基准经济运行局", parent=zone)
    user = User.objects.filter(username="bench_resumption_office").first()
    if user is None:
        user = User.objects.create_user("bench_resumption_office", name="基准督查办干部")
        Membership.objects.create(user=user, org=office, role="office_staff")
    return zone, streets, department, user


def _rows(count: int, streets: list[Any], rng: random.Random) -> list[dict[str, Any]]:
    """The enterprises as values: one dict a row, with the street object beside its name."""
    from django.utils import timezone

    from ducha.resumption.choices import Category, EnterpriseKind

    today = timezone.localdate()
    run = time.time_ns() // 1000 % 10**6  # credit codes and names of this run's own
    categories = [c for c in Category if c != Category.CONSTRUCTION]
    rows = []
    for number in range(count):
        street = rng.choice(streets)
        project = number % 30 == 0
        registered = today - timedelta(days=rng.randrange(60, 400))
        row: dict[str, Any] = {
            "name": f"基准企业{run:06d}-{number:05d}",
            "credit_code": f"9199{run:06d}{number:08d}",
            "kind": EnterpriseKind.PROJECT if project else EnterpriseKind.ENTERPRISE,
            "category": Category.CONSTRUCTION if project else rng.choice(categories),
            "region": f"基准高新区/{street.name}",
            "_region": street,
            "area": rng.choice(AREAS),
            "supervisor": "基准经济运行局" if number % 3 == 0 else None,
            "supervised": number % 100 != 0,
            "excluded_reason": "" if number % 100 else "省级项目",
            "registered_on": registered,
        }
        if rng.random() < 0.75:
            row["filed_on"] = registered + timedelta(days=rng.randrange(1, 30))
            if rng.random() < 0.8:
                row["resumed_on"] = row["filed_on"] + timedelta(days=rng.randrange(0, 10))
                if rng.random() < 0.1:
                    row["stopped_on"] = row["resumed_on"] + timedelta(days=rng.randrange(1, 10))
        rows.append(row)
    return rows


def _workbook(rows: list[dict[str, Any]]) -> bytes:
    """The .xlsx an office would fill in: headings and choices as the template writes them."""
    from openpyxl import Workbook

    from ducha.ledger.enterprises import ENTERPRISE_COLUMNS, NO, YES
    from ducha.resumption.choices import Category, EnterpriseKind

    keys = [column.key for column in ENTERPRISE_COLUMNS.importable]
    labels = {
        **{value: str(label) for value, label in Category.choices},
        **{value: str(label) for value, label in EnterpriseKind.choices},
    }
    book = Workbook()
    sheet = book.active
    sheet.title = str(ENTERPRISE_COLUMNS.sheet)
    sheet.append([str(column.label) for column in ENTERPRISE_COLUMNS.importable])
    for row in rows:
        written = {
            **row,
            "kind": labels[row["kind"]],
            "category": labels[row["category"]],
            "supervised": str(YES if row["supervised"] else NO),
        }
        sheet.append([written.get(key) or None for key in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bulk_insert(rows: list[dict[str, Any]], department: Any, user: Any) -> tuple[float, int]:
    """Seconds to write the same enterprises, events and spells with bulk_create; rolled back.
    Also the number of events written."""
    from django.db import transaction
    from django.utils import timezone

    from ducha.resumption.models import Enterprise, ResumptionEvent, ResumptionSpell

    class Rollback(Exception):
        pass

    events_written = 0
    began = time.perf_counter()
    try:
        with transaction.atomic():
            now = timezone.now()
            enterprises = []
            for row in rows:
                enterprise = Enterprise(
                    kind=row["kind"],
                    name=row["name"],
                    credit_code=row["credit_code"],
                    category=row["category"],
                    region=row["_region"],
                    area=row["area"],
                    supervisor=department if row["supervisor"] else None,
                    supervised=row["supervised"],
                    excluded_reason=row["excluded_reason"],
                    registered_on=row["registered_on"],
                    filed_on=row.get("filed_on"),
                    status=_status(row),
                    status_on=row.get("stopped_on") or row.get("resumed_on") or row.get("filed_on"),
                    created_at=now,
                    created_by=user,
                )
                enterprise.copy_levels_from(row["_region"])
                enterprises.append(enterprise)
            Enterprise.objects.bulk_create(enterprises, batch_size=1000)
            events, spells = [], []
            for row, enterprise in zip(rows, enterprises, strict=True):
                events.append(
                    ResumptionEvent(
                        enterprise=enterprise, actor=user, created_at=now, action="import"
                    )
                )
                for action, column in (
                    ("file", "filed_on"),
                    ("resume", "resumed_on"),
                    ("stop", "stopped_on"),
                ):
                    if row.get(column):
                        events.append(
                            ResumptionEvent(
                                enterprise=enterprise,
                                actor=user,
                                created_at=now,
                                action=action,
                                on=row[column],
                            )
                        )
                if row.get("resumed_on"):
                    spell = ResumptionSpell(
                        enterprise=enterprise,
                        resumed_on=row["resumed_on"],
                        stopped_on=row.get("stopped_on"),
                        category=enterprise.category,
                        area=enterprise.area,
                        supervised=enterprise.supervised,
                    )
                    for level in ("province", "city", "county", "town"):
                        setattr(spell, f"{level}_id", getattr(enterprise, f"{level}_id"))
                    spells.append(spell)
            ResumptionEvent.objects.bulk_create(events, batch_size=1000)
            ResumptionSpell.objects.bulk_create(spells, batch_size=1000)
            events_written = len(events)
            took = time.perf_counter() - began
            raise Rollback
    except Rollback:
        pass
    return took, events_written


def _status(row: dict[str, Any]) -> str:
    if row.get("stopped_on"):
        return "stopped"
    if row.get("resumed_on"):
        return "resumed"
    return "filed" if row.get("filed_on") else "registered"


# The steps `--phases` times: (module, function). Calls nest, so the figures overlap.
PHASES = (
    ("ducha.ledger.checks", "read_rows"),
    ("ducha.ledger.checks", "check_enterprise_rows"),
    ("ducha.ledger.enterprises", "bulk"),
    ("ducha.ledger.runs", "kept_rows"),
    ("ducha.ledger.runs", "_create_enterprise_rows"),
    ("ducha.resumption.bulk", "_plans"),
    ("ducha.resumption.bulk", "insert"),
)


def _time_phases() -> dict[str, float]:
    import importlib

    spent: dict[str, float] = {}

    def timed(name: str, function: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - began

        return run

    for module_name, function_name in PHASES:
        module = importlib.import_module(module_name)
        target = getattr(module, function_name)
        if function_name == "bulk":  # the module: time its `refusals`
            target.refusals = timed("bulk.refusals", target.refusals)
            continue
        name = f"{module_name.rsplit('.', 1)[-1]}.{function_name}"
        setattr(module, function_name, timed(name, target))
    return spent


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from ducha.ledger.actions import do_confirm_import, do_upload_import
    from ducha.ledger.choices import BatchKind
    from ducha.ledger.conf import ledger_setting
    from ducha.resumption.models import ResumptionEvent

    # Everything in this process: no worker needed, and the import's own time is measured.
    settings.DUCHA_LEDGER_INLINE_BYTES = 100 * 1024 * 1024
    settings.DUCHA_LEDGER_INLINE_ROWS = 10**6
    settings.DUCHA_LEDGER_ENTERPRISE_MAX_ROWS = max(
        ledger_setting("DUCHA_LEDGER_ENTERPRISE_MAX_ROWS"), args.rows
    )
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-resumption-")
    if args.chunk:
        settings.DUCHA_LEDGER_ENTERPRISE_IMPORT_CHUNK = args.chunk
    rng = random.Random(args.seed)
    _zone_region, streets, department, user = _zone()
    if connection.vendor == "postgresql":
        # Current statistics, as autovacuum keeps them: the runs before this one added
        # (and rolled back) tens of thousands of rows, which a stale plan reads as none.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE resumption_enterprise, resumption_resumptionspell")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    rows = _rows(args.rows, streets, rng)
    data = _workbook(rows)
    print(f"ledger: {len(rows):,} rows, {len(data) / 1e6:.1f} MB")

    bulk, events = _bulk_insert(rows, department, user)
    print(f"plain bulk insert: {bulk:.2f} s, {len(rows) / bulk:,.0f} rows/s ({events:,} events)")

    phases = _time_phases() if args.phases else None
    profile = cProfile.Profile() if args.profile else None
    events_before = ResumptionEvent.objects.count()
    if profile:
        profile.enable()
    began = time.perf_counter()
    batch = do_upload_import(
        acting_user=user,
        upload=SimpleUploadedFile("bench.xlsx", data, "application/zip"),
        kind=BatchKind.ENTERPRISES,
    )
    checked = time.perf_counter() - began
    assert batch.rows_invalid == 0, batch.report["errors"][:5]
    batch = do_confirm_import(batch, acting_user=user)
    total = time.perf_counter() - began
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    assert batch.state == "imported", (batch.state, batch.report.get("failure"))
    imported_events = ResumptionEvent.objects.count() - events_before
    rate, bulk_rate = batch.progress_done / total, len(rows) / bulk
    figures = {
        "database": connection.vendor,
        "rows": len(rows),
        "events": imported_events,
        "chunk": ledger_setting("DUCHA_LEDGER_ENTERPRISE_IMPORT_CHUNK"),
        "imported": batch.progress_done,
        "bulk_seconds": round(bulk, 2),
        "bulk_rows_per_s": round(bulk_rate),
        "check_seconds": round(checked, 2),
        "check_and_import_seconds": round(total, 2),
        "import_rows_per_s": round(rate),
        "ratio": round(rate / bulk_rate, 3),
    }
    print(f"upload and check: {checked:.2f} s; check and import: {total:.2f} s")
    print(f"{imported_events:,} events written by the import (the bulk insert: {events:,})")
    print(f"import: {rate:,.0f} rows/s = {figures['ratio']:.2f} × the bulk insert's rate")
    if phases is not None:
        figures.update({f"phase {name}": round(took, 2) for name, took in phases.items()})
        for name, took in sorted(phases.items(), key=lambda item: -item[1]):
            print(f"  {name}: {took:.2f} s")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)


if __name__ == "__main__":
    main()
