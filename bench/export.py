"""Time the Excel export of the problem list at 10k, 50k and 100k rows; record peak memory.

Fill a scratch database first (its name must contain "bench"), one province holding all
problems so that one office's list reaches 100,000 rows:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ledger_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python -m bench.generate --problems 100000 --provinces 1 --cities 8 \\
        --counties 60 --towns 600 --events create
    .venv/bin/python -m bench.export --sizes 10000 50000 100000

Each measurement runs in a fresh process, so that its peak RSS is its own. It builds the
queryset the export view builds (`ProblemFilter(...).apply(Problem.objects.visible_to(
user))`), cut to the newest N problems by `found_at`, calls `export_response()` and reads
the streamed body to the end. Time and RSS come from runs without tracemalloc; one more
run with tracemalloc gives the peak of Python allocations. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from typing import Any, cast

from bench import setup_django

USERNAME = "bench_ledger_province"


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.export", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument(
        "--writers",
        nargs="+",
        default=["ducha"],
        choices=["ducha", "openpyxl"],
        help="ducha: the app's export; openpyxl: the same rows through openpyxl write-only",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per size")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--writer", default="ducha", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def rss_mib() -> float:
    # ru_maxrss is in KiB on Linux: the peak resident size of this process so far.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _persona() -> Any:
    from django.db.models import Count

    from ducha.accounts.choices import Role
    from ducha.accounts.models import Membership, User
    from ducha.orgs.choices import OrgKind
    from ducha.orgs.models import Org
    from ducha.problems.models import Problem

    top = (
        Problem.objects.order_by().values("province").annotate(n=Count("pk")).order_by("-n").first()
    )
    if top is None or top["province"] is None:
        raise SystemExit("no problems: run `python -m bench.generate` first")
    province = Org.objects.get(pk=int(top["province"]))
    office = Org.objects.filter(parent=province, kind=OrgKind.OFFICE).order_by("pk").first()
    user, _ = User.objects.get_or_create(username=USERNAME, defaults={"name": "省督查办干部"})
    Membership.objects.filter(user=user).exclude(org=office or province).delete()
    Membership.objects.get_or_create(user=user, org=office or province, role=Role.OFFICE_STAFF)
    return user


def _cutoff(user: Any, size: int) -> str:
    """The `found_at` from which the user's list holds `size` problems (newest first)."""
    from django.utils import timezone

    from ducha.problems.models import Problem

    visible = Problem.objects.visible_to(user).order_by("-found_at", "-pk")
    found = visible.values_list("found_at", flat=True)[size - 1 : size].first()
    if found is None:
        raise SystemExit(f"fewer than {size} problems in the persona's list")
    return str(timezone.localtime(found).isoformat())


def _rows_through_openpyxl(user: Any, since: str) -> int:
    """The same rows the app exports, written by openpyxl's write-only mode instead."""
    import io

    from django.utils.dateparse import parse_datetime
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils.datetime import from_excel

    from ducha.ledger.columns import COLUMNS
    from ducha.ledger.exports import ledger_rows
    from ducha.problems.models import Problem

    moment = parse_datetime(since)
    problems = Problem.objects.visible_to(user).filter(found_at__gte=moment)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("问题台账")
    sheet.append([column.column().title for column in COLUMNS])
    kinds = [column.kind for column in COLUMNS]
    for values in ledger_rows(problems):
        cells = []
        for kind, value in zip(kinds, values, strict=True):
            if kind == "datetime" and value is not None:
                value = from_excel(value)  # a real date for openpyxl to format
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return len(out.getvalue())


def measure_one(size: int, writer: str, trace: bool) -> dict[str, Any]:
    """One export in this process: time, bytes, first byte, peak RSS or traced peak."""
    setup_django()
    from django.db import connection
    from django.utils.dateparse import parse_datetime

    from ducha.ledger.exports import export_response
    from ducha.problems.filters import ProblemFilter
    from ducha.problems.models import Problem

    user = _persona()
    since = _cutoff(user, size)
    moment = parse_datetime(since)
    baseline = rss_mib()
    if trace:
        tracemalloc.start()
    began = time.perf_counter()
    cpu_began = time.process_time()
    first_byte = None
    size_bytes = 0
    if writer == "ducha":
        # What the export view does for the list page's filters, plus a "found since" cut.
        problems = ProblemFilter().apply(Problem.objects.visible_to(user))
        response = export_response(problems.filter(found_at__gte=moment))
        for chunk in cast(Iterator[bytes], response.streaming_content):
            if first_byte is None:
                first_byte = time.perf_counter() - began
            size_bytes += len(chunk)
    else:
        size_bytes = _rows_through_openpyxl(user, since)
    elapsed = time.perf_counter() - began
    cpu = time.process_time() - cpu_began
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    if trace:
        tracemalloc.stop()
    rows = Problem.objects.visible_to(user).filter(found_at__gte=moment).count()
    return {
        "vendor": connection.vendor,
        "writer": writer,
        "rows": rows,
        "seconds": round(elapsed, 3),
        "cpu_s": round(cpu, 3),
        "first_byte_s": round(first_byte, 3) if first_byte is not None else None,
        "mib": round(size_bytes / 2**20, 2),
        "rss_baseline_mib": round(baseline, 1),
        "rss_peak_mib": round(rss_mib(), 1),
        "traced_peak_mib": round(traced, 1) if traced is not None else None,
    }


def _child(size: int, writer: str, trace: bool) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.export", "--one", str(size), "--writer", writer]
    if trace:
        command.append("--trace")
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    if args.one:
        print(json.dumps(measure_one(args.one, args.writer, args.trace)))
        return
    results = []
    for writer in args.writers:
        for size in args.sizes:
            runs = [_child(size, writer, trace=False) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r["seconds"])
            traced = _child(size, writer, trace=True)
            best["seconds_all"] = [r["seconds"] for r in runs]
            best["traced_peak_mib"] = traced["traced_peak_mib"]
            best["rss_peak_mib"] = max(r["rss_peak_mib"] for r in runs)
            results.append(best)
            print(json.dumps(best, ensure_ascii=False), flush=True)
    print()
    headings = ["database", "writer", "rows", "time (s)", "first byte (s)", "file (MiB)"]
    headings += ["RSS before → peak (MiB)", "traced peak (MiB)"]
    print("| " + " | ".join(headings) + " |")
    print("|---|---|--:|--:|--:|--:|--:|--:|")
    for r in results:
        print(
            f"| {r['vendor']} | {r['writer']} | {r['rows']:,} | {r['seconds']:.2f} | "
            f"{r['first_byte_s'] if r['first_byte_s'] is not None else '–'} | {r['mib']} | "
            f"{r['rss_baseline_mib']} → {r['rss_peak_mib']} | {r['traced_peak_mib']} |"
        )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
