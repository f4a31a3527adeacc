"""Time a ledger import against a plain bulk insert of the same rows, while another office
keeps creating single problems.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench \\
        .venv/bin/python -m bench.imports --rows 20000 --json bench/results/imports.json

Needs a database filled by `bench.generate`. One county office's recorder gets a ledger of
`--rows` rows in its county (towns with their sites, and the county itself with a unit and a
deadline). The same rows are first bulk-inserted as bare problems, their foreign keys
checked as a committed insert's are, and rolled back: that is the yardstick. Then the file
goes the way a user sends it: uploaded and checked (`do_upload_import`, in this process),
confirmed (`do_confirm_import`) and imported by the tasks the confirmation queues
(`ledger.import_batch`, `--parts` of them), each in a process of a pool started beforehand
at the worker's niceness, as `celery worker --concurrency` runs them; with `--parts 1` the
import runs in this process. Meanwhile a second process records one problem at a time as
another province's county office (`do_create_problem`, what the API calls) and keeps every
latency. The imported problems stay in the database.
Nothing is asserted: see docs/performance.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from bench import setup_django


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between creates")
    parser.add_argument("--chunk", type=int, help="rows a transaction (default: the setting)")
    parser.add_argument(
        "--parts",
        type=int,
        help="worker tasks side by side, each in a process of its own (default: the "
        "setting); 1 imports in this process, as --phases and --profile need",
    )
    parser.add_argument(
        "--nice", type=int, default=10, help="the worker processes' niceness (as deployed)"
    )
    parser.add_argument(
        "--writer",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="another office creating problems meanwhile",
    )
    parser.add_argument("--profile", help="cProfile the check and import into this file")
    parser.add_argument(
        "--phases", action="store_true", help="time the main steps of the check and import"
    )
    parser.add_argument("--json", help="write the figures to this file")
    return parser.parse_args(argv)


def _recorders() -> tuple[Any, Any, Any]:
    """The importing county, its recorder, and another province's recorder.

    The county is the one with most towns among those no earlier run imported into: each run
    adds its rows to its county, and a rerun in the same county would check its rows against
    the last run's thousands and insert beside them, not against the generated data alone."""
    from django.db.models import Count

    from ducha.accounts.models import User
    from ducha.ledger.models import ImportBatch
    from ducha.orgs.choices import OrgKind, RegionLevel
    from ducha.orgs.models import Org

    counties = (
        Org.objects.filter(kind=OrgKind.REGION, level=RegionLevel.COUNTY)
        .annotate(towns=Count("children"))
        .order_by("-towns", "pk")
    )
    biggest = counties.first()
    assert biggest is not None, "run bench.generate first"
    # Batches without a region left out: NOT IN a list holding NULL would exclude every county.
    used = ImportBatch.objects.exclude(region=None).values("region_id")
    county = counties.exclude(pk__in=used).first() or biggest
    code = county.code
    importer = User.objects.get(username=f"bench_rec_{code}")
    other = (
        User.objects.filter(username__startswith="bench_rec_")
        .exclude(username__startswith=f"bench_rec_{code[:2]}")
        .order_by("username")
        .first()
    )
    return county, importer, other


def _ledger(county: Any, rows: int, rng: random.Random) -> tuple[bytes, list[dict[str, Any]]]:
    """The .xlsx a county office would fill in, and its rows as values."""
    from django.utils import timezone
    from openpyxl import Workbook

    from ducha.ledger.columns import COLUMNS
    from ducha.orgs.choices import OrgKind
    from ducha.orgs.models import Org, Site
    from ducha.problems.models import FocusArea

    def full_name(org: Any) -> str:
        names = Org.objects.filter(pk__in=org.path.strip("/").split("/")).order_by("depth")
        return "/".join(names.values_list("name", flat=True))

    county_name = full_name(county)
    towns = [(town, f"{county_name}/{town.name}") for town in county.children.filter(kind="region")]
    sites: dict[int, list[str]] = {}
    for name, region_id in Site.objects.filter(region__in=[t for t, _ in towns]).values_list(
        "name", "region_id"
    ):
        sites.setdefault(region_id, []).append(name)
    units = list(
        Org.objects.filter(parent=county, kind=OrgKind.DEPARTMENT).values_list("name", flat=True)
    )
    areas = list(FocusArea.objects.filter(active=True).values_list("name", flat=True))
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    # Titles of their own for each run: a rerun on the same database is not "already
    # recorded", and its check does not meet the earlier runs' rows at every title.
    tag = time.strftime("%H%M%S")
    values: list[dict[str, Any]] = []
    for number in range(rows):
        found = now - timedelta(minutes=rng.randrange(60, 60 * 24 * 30))
        row: dict[str, Any] = {
            "title": f"台账问题{tag}-{number:05d}：{rng.choice(['未测温', '未登记', '未消杀'])}",
            "description": "导入基准",
            "focus_area": rng.choice(areas),
            "found_at": found,
        }
        if number % 3 == 0:
            row.update(
                region=county_name,
                _region=county,
                responsible_org=rng.choice(units),
                deadline=now + timedelta(days=rng.randrange(2, 30)),
            )
        else:
            town, name = rng.choice(towns)
            row["region"], row["_region"] = name, town
            if sites.get(town.pk) and number % 2:
                row["site"] = rng.choice(sites[town.pk])
        values.append(row)
    # A normal workbook, not a write-only one: like Excel's and WPS's files, it states its
    # size up front (<dimension>), which a reader uses instead of a pass over the sheet.
    book = Workbook()
    sheet = book.active
    sheet.title = "问题台账"
    columns = [column for column in COLUMNS if column.importable]
    sheet.append([str(column.label) for column in columns])
    for row in values:
        sheet.append([row.get(column.key) for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), values


def _bulk_insert(
    values: list[dict[str, Any]], user: Any, words: bool = True, checked: bool = True
) -> float:
    """Seconds to insert the same rows as bare problems in 500-row statements; rolled back.

    Their foreign keys are checked as each row is written, as a committed insert's are at
    its commit: rolled back, the deferred checks would never run. `checked=False` leaves
    them unchecked, the yardstick of the rounds before 2026-12-07."""
    from django.db import connection, transaction
    from django.utils import timezone

    from ducha.core.search import stored_words
    from ducha.problems.models import FocusArea, Problem

    areas = {a.name: a for a in FocusArea.objects.all()}
    # The rows as the problem table stores them, search words included (computed before
    # the clock starts: the yardstick is the insert alone); `words=False` leaves them out,
    # the yardstick of the earlier rounds.
    stored = {
        id(row): stored_words(row["title"], row["description"]) if words else "" for row in values
    }

    class Rollback(Exception):
        pass

    began = time.perf_counter()
    try:
        with transaction.atomic():
            if checked:
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            problems = []
            for row in values:
                region = row["_region"]
                found = timezone.make_aware(row["found_at"])
                problem = Problem(
                    title=row["title"],
                    description=row["description"],
                    region=region,
                    focus_area=areas[row["focus_area"]],
                    found_by=user,
                    found_at=found,
                    search_text=stored[id(row)],
                )
                problem.copy_levels_from(region)
                problem.set_deadline(found + timedelta(hours=48))
                problems.append(problem)
            Problem.objects.bulk_create(problems, batch_size=500)
            took = time.perf_counter() - began
            raise Rollback
    except Rollback:
        pass
    return took


def _worker_setup(media_root: str, chunk: int | None, nice: int) -> None:
    """A worker process of the pool: Django, with the benchmark's media and chunks, at the
    worker's niceness (deploy/systemd/ducha-worker@.service)."""
    import os

    os.nice(nice)
    setup_django()
    from django.conf import settings

    settings.MEDIA_ROOT = media_root
    if chunk:
        settings.DUCHA_LEDGER_IMPORT_CHUNK = chunk


def _worker_task(batch_pk: int, args: tuple[Any, ...]) -> str:
    """What a worker process runs for one of the tasks the confirmation queued."""
    from ducha.ledger.tasks import import_batch

    began, cpu = time.perf_counter(), time.process_time()
    import_batch(batch_pk, *args)
    return (
        f"task {args}: {time.perf_counter() - began:.2f} s, "
        f"{time.process_time() - cpu:.2f} s of this process's CPU"
    )


def _writer(user_pk: int, stop: Any, pause: float, out: Any) -> None:
    """Another office records one problem at a time until told to stop."""
    setup_django()
    from ducha.accounts.models import User
    from ducha.orgs.models import Org
    from ducha.problems.actions import do_create_problem
    from ducha.problems.models import FocusArea

    user = User.objects.get(pk=user_pk)
    office = Org.objects.get(memberships__user=user)
    region = office.parent  # a county office's county
    assert region is not None
    area = FocusArea.objects.filter(active=True).order_by("pk")[0]
    latencies: list[tuple[float, float]] = []
    number = 0
    while not stop.is_set():
        number += 1
        began = time.perf_counter()
        do_create_problem(
            acting_user=user, title=f"并发写入{number}", region=region, focus_area=area
        )
        latencies.append((time.time(), time.perf_counter() - began))
        time.sleep(pause)
    out.put(latencies)


# The steps `--phases` times: (module, function). Calls nest (a chunk's bulk create holds
# its COPYs), so the figures overlap and do not add up to the total.
PHASES = (
    ("ducha.ledger.validation", "read_rows"),
    ("ducha.ledger.actions", "check_file"),
    ("ducha.ledger.runs", "check_file"),
    ("ducha.ledger.runs", "check_rows"),
    ("ducha.ledger.runs", "kept_rows"),
    ("ducha.ledger.runs", "_create_rows"),
    ("ducha.problems.bulk", "do_create_problems"),
    ("ducha.problems.bulk", "_earlier_closed_many"),
    ("ducha.problems.bulk", "insert"),
    ("ducha.core.chains", "seal"),
    ("ducha.problems.bulk", "new_problem"),
    ("ducha.problems.bulk", "facts_of"),
    ("ducha.ledger.runs", "insert"),
    ("ducha.problems.rollups.writes", "contributions_many"),
    ("ducha.problems.rollups.writes", "add_rows"),
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
        name = f"{module_name.rsplit('.', 2)[-2]}.{function_name}"
        setattr(module, function_name, timed(name, getattr(module, function_name)))
    return spent


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from ducha.ledger.actions import do_confirm_import, do_upload_import
    from ducha.ledger.conf import ledger_setting

    # Everything in this process: no worker needed, and the import's own time is measured.
    settings.DUCHA_LEDGER_INLINE_BYTES = 100 * 1024 * 1024
    settings.DUCHA_LEDGER_INLINE_ROWS = 10**6
    settings.DUCHA_LEDGER_MAX_ROWS = max(settings.DUCHA_LEDGER_MAX_ROWS, args.rows)
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-imports-")
    if args.chunk:
        settings.DUCHA_LEDGER_IMPORT_CHUNK = args.chunk
    if args.profile or args.phases:
        args.parts = 1
    if args.parts:
        settings.DUCHA_LEDGER_IMPORT_PARTS = args.parts
    parts = ledger_setting("DUCHA_LEDGER_IMPORT_PARTS")
    rng = random.Random(args.seed)
    county, importer, other = _recorders()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"importing as {importer.username} into {county.name}; writing as {other.username}")
    data, values = _ledger(county, args.rows, rng)
    print(f"ledger: {len(values):,} rows, {len(data) / 1e6:.1f} MB")

    bare = _bulk_insert(values, importer, words=False, checked=False)
    print(f"plain bulk insert without search words or key checks: {bare:.2f} s")
    unchecked = _bulk_insert(values, importer, checked=False)
    print(f"plain bulk insert without key checks: {unchecked:.2f} s")
    bulk = _bulk_insert(values, importer)
    print(f"plain bulk insert: {bulk:.2f} s, {len(values) / bulk:,.0f} rows/s")

    context = multiprocessing.get_context("spawn")
    # The worker's processes, started (Django set up in each) before the clock: the tasks the
    # confirmation queues run there, side by side, as `celery worker --concurrency` runs them.
    pool = None
    if parts > 1:
        pool = context.Pool(
            parts,
            _worker_setup,
            (str(settings.MEDIA_ROOT), args.chunk, args.nice),
            maxtasksperchild=None,
        )
        pool.starmap(time.sleep, [(0.5,)] * parts)  # every process up
    stop, out = context.Event(), context.Queue()
    writer = context.Process(target=_writer, args=(other.pk, stop, args.pause, out))
    if args.writer:
        connection.close()  # not shared with the child
        writer.start()
        time.sleep(8)  # the writer's setup, then its creates alone, for comparison
    phases = _time_phases() if args.phases else None
    profile = cProfile.Profile() if args.profile else None
    if profile:
        profile.enable()
    began = time.perf_counter()
    start_wall = time.time()
    batch = do_upload_import(
        acting_user=importer, upload=SimpleUploadedFile("bench.xlsx", data, "application/zip")
    )
    checked = time.perf_counter() - began
    if pool is None:
        batch = do_confirm_import(batch, acting_user=importer)
    else:
        from ducha.ledger import tasks

        queued: list[tuple[int, tuple[Any, ...]]] = []
        settings.DUCHA_LEDGER_INLINE_ROWS = 0  # the confirmation queues the import
        tasks.later = lambda task, pk, actor, *rest: queued.append((pk, rest))
        batch = do_confirm_import(batch, acting_user=importer)
        for line in pool.starmap(_worker_task, queued):
            print(f"  {line}")
        batch.refresh_from_db()
    total = time.perf_counter() - began
    end_wall = time.time()
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    latencies: list[tuple[float, float]] = []
    if pool is not None:
        pool.close()
        pool.join()
    if args.writer:
        time.sleep(1)
        stop.set()
        latencies = out.get(timeout=120)
        writer.join()
    during = [took for at, took in latencies if start_wall <= at <= end_wall]
    # The writer's first second is its warm-up (connections, caches); the rest is "alone".
    alone = [took for at, took in latencies[5:] if at < start_wall]
    assert batch.state == "imported", (batch.state, batch.report.get("failure"))
    rate, bulk_rate = batch.progress_done / total, len(values) / bulk
    figures = {
        "rows": len(values),
        "chunk": ledger_setting("DUCHA_LEDGER_IMPORT_CHUNK"),
        "parts": parts,
        "imported": batch.progress_done,
        "bulk_seconds": round(bulk, 2),
        "bulk_without_words_seconds": round(bare, 2),
        "bulk_unchecked_seconds": round(unchecked, 2),
        "bulk_rows_per_s": round(bulk_rate),
        "check_seconds": round(checked, 2),
        "check_and_import_seconds": round(total, 2),
        "import_rows_per_s": round(rate),
        "ratio": round(rate / bulk_rate, 3),
        "ratio_to_unchecked": round(rate * unchecked / len(values), 3),
        "concurrent_creates": len(during),
        "create_p50_ms": round(statistics.median(during) * 1000, 1) if during else None,
        "create_p95_ms": round(_percentile(during, 0.95) * 1000, 1) if during else None,
        "create_max_ms": round(max(during) * 1000, 1) if during else None,
        "alone_creates": len(alone),
        "alone_p50_ms": round(statistics.median(alone) * 1000, 1) if alone else None,
        "alone_p95_ms": round(_percentile(alone, 0.95) * 1000, 1) if alone else None,
    }
    print(f"upload and check: {checked:.2f} s; check and import: {total:.2f} s")
    print(
        f"import: {rate:,.0f} rows/s = {figures['ratio']:.2f} × the bulk insert's rate "
        f"({figures['ratio_to_unchecked']:.2f} × without its key checks)"
    )
    print(
        f"{len(during)} creates by another office meanwhile: p50 {figures['create_p50_ms']} ms, "
        f"p95 {figures['create_p95_ms']} ms, max {figures['create_max_ms']} ms"
    )
    print(
        f"{len(alone)} creates before the import, alone: p50 {figures['alone_p50_ms']} ms, "
        f"p95 {figures['alone_p95_ms']} ms"
    )
    if phases is not None:
        figures.update({f"phase {name}": round(took, 2) for name, took in phases.items()})
        for name, took in sorted(phases.items(), key=lambda item: -item[1]):
            print(f"  {name}: {took:.2f} s")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)


if __name__ == "__main__":
    main()
