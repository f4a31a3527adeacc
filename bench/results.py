"""Time the figures of 督查问效 (the results dashboard's queries) at scale.

    createdb -h 127.0.0.1 -U postgres ducha_bench_results
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench_results \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench_results \\
        .venv/bin/python -m bench.results --records 500000 --repeat 50

Builds (once: a second run finds the tree and the records) a province of 10 cities, each of
10 counties of 10 towns, and spreads accountability records and commendations (half as
many) over the towns, kinds, states and the last two years. Then times, for the province, a
city and a county: the whole and per-child figures of the last 365 days and of all time
(`results_by_child`, the two grouped queries the dashboard runs), as the median and 95th
percentile of `--repeat` runs, with the plans under `--explain`. The records are written
in bulk without their event rows: the figures never read events. Nothing is asserted: see
docs/performance.md.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from bench import setup_django
from bench.run import percentile

PROVINCE_CODE = "990000"
CHUNK = 10_000


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.results", description=__doc__)
    parser.add_argument("--records", type=int, default=500_000, help="accountability records")
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per case")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    return parser.parse_args(argv)


def _tree() -> tuple[Any, list[Any]]:
    """The province and its towns, made once."""
    from ducha.orgs.models import Org

    province = Org.objects.filter(kind="region", code=PROVINCE_CODE).first()
    if province is None:
        _build_tree()
        province = Org.objects.get(kind="region", code=PROVINCE_CODE)
    towns = list(Org.objects.filter(kind="region", level=4, path__startswith=province.path))
    return province, towns


def _build_tree() -> None:
    from django.db import transaction

    from ducha.orgs.models import Org

    def region(name: str, level: int, parent: Any, code: str) -> Any:
        return Org.objects.create(kind="region", name=name, level=level, parent=parent, code=code)

    with transaction.atomic():
        province = region("基准省", 1, None, PROVINCE_CODE)
        for c in range(1, 11):
            city = region(f"基准市{c}", 2, province, f"99{c:02d}00")
            for k in range(1, 11):
                county = region(f"基准县{c}-{k}", 3, city, f"99{c:02d}{k:02d}")
                for t in range(1, 11):
                    region(f"基准镇{c}-{k}-{t}", 4, county, f"99{c:02d}{k:02d}{t:03d}")


def _fill(province: Any, towns: list[Any], records: int) -> None:
    from django.utils import timezone

    from ducha.accountability.models import Accountability, AccountabilityKind, Commendation
    from ducha.accounts.models import User
    from ducha.orgs.models import Org

    have = Accountability.objects.filter(province=province).count()
    if have >= records:
        return
    user, _ = User.objects.get_or_create(username="bench_results", defaults={"name": "基准"})
    unit, _ = Org.objects.get_or_create(kind="department", name="基准省纪委监委", parent=province)
    kinds = list(AccountabilityKind.objects.filter(office=None))
    states = ["decided"] * 6 + ["carried_out"] * 2 + ["proposed", "withdrawn"]
    today = timezone.localdate()
    rng = random.Random(13)

    def common(town: Any) -> dict[str, Any]:
        state = rng.choice(states)
        subject = "person" if rng.random() < 0.8 else "unit"
        fields = {
            "subject_kind": subject,
            "person_name": "基准人员" if subject == "person" else "",
            "org": unit,
            "region": town,
            "keeper": unit,
            "reason": "基准",
            "state": state,
            "proposed_by": user,
            "decided_on": None if state == "proposed" else today - timedelta(rng.randrange(730)),
        }
        return fields

    for model, count, kind_of in (
        (Accountability, records - have, lambda: {"kind": rng.choice(kinds)}),
        (Commendation, records // 2, lambda: {"kind": rng.choice(["praise", "advanced", "model"])}),
    ):
        done = 0
        while done < count:
            batch: list[Any] = []
            for _ in range(min(CHUNK, count - done)):
                town = rng.choice(towns)
                row = model(**common(town), **kind_of())
                row.copy_levels_from(town)
                batch.append(row)
            model._default_manager.bulk_create(batch)
            done += len(batch)
        print(f"{model.__name__}: {count} written")


def _time(label: str, run: Any, repeat: int) -> None:
    run()
    spent = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        spent.append((time.perf_counter() - start) * 1000)
    print(
        f"{label:<34} median {percentile(spent, 0.5):8.1f} ms   "
        f"p95 {percentile(spent, 0.95):8.1f} ms"
    )


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.run import explain
    from ducha.accountability.figures import Period, results_by_child

    province, towns = _tree()
    _fill(province, towns, args.records)
    if connection.vendor == "postgresql":
        # As autovacuum would after a bulk load: plans follow the statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE accountability_accountability, accountability_commendation")
    city = province.children.filter(kind="region").order_by("code").first()
    county = city.children.filter(kind="region").order_by("code").first()
    today = timezone.localdate()
    periods = {"365 days": Period(today - timedelta(days=364), today), "all": Period(last=today)}
    print(
        f"{connection.vendor}; {args.records} accountability records, {args.records // 2} "
        "commendations"
    )
    for region in (province, city, county):
        for name, period in periods.items():

            def run(region: Any = region, period: Period = period) -> Any:
                return results_by_child(region, period, (region.level or 0) + 1)

            _time(f"{region.name} ({name})", run, args.repeat)
            if args.explain:
                with CaptureQueriesContext(connection) as queries:
                    run()
                for plan in explain([q["sql"] for q in queries.captured_queries]):
                    print(plan, "\n")


if __name__ == "__main__":
    main()
