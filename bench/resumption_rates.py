"""Time the filing and resumption rates of a zone as of a day (复工复产) at scale.

    createdb -h 127.0.0.1 -U postgres ducha_bench_resumption
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench_resumption \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench_resumption \\
        .venv/bin/python -m bench.resumption_rates --repeat 100

Builds (once: a second run finds them) a province whose city holds a zone of 40 streets with
40,000 enterprises and 10 counties of 6 streets with 60,000 more: 100,000 enterprises in
every category, a few outside supervision, and 1,000,000 status events (registration,
filing, then resumptions and stops a few days apart) with the spells of work they make. The
rows are written with COPY, around the actions (the events get no hash-chain link; the rates
never read events). Then times, for the zone as of a few days, its rates by category
(`rates`: what a document says) and the whole dashboard (`board`: by category, area and
street, the excluded named), as the median and 95th percentile of `--repeat` runs, with the
plans under `--explain`. PostgreSQL
only. Nothing is asserted: see docs/performance.md.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from bench import setup_django
from bench.run import percentile

PROVINCE_CODE = "980000"
ZONE_ENTERPRISES = 40_000
ENTERPRISES = 100_000
EVENTS = 1_000_000
ZONE_STREETS = 40
COUNTIES = 10
COUNTY_STREETS = 6
MOST_STATUSES = 18  # status events of one enterprise: 9 on average
# As a zone's ledger is: mostly services, some industry, a few projects.
CATEGORIES = (
    ["services"] * 70
    + ["industry_other"] * 12
    + ["industry_above_scale"] * 5
    + ["real_estate"] * 5
    + ["key_supplies"] * 2
    + ["construction"] * 6
)
ZONE_AREAS = ["南区", "西区", "东区", "软件园", "天府新谷"]
FIRST_STATUS = date(2020, 1, 25)
DAYS = [date(2020, 2, 1), date(2020, 2, 18), date(2020, 3, 1), date(2020, 6, 1)]


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.resumption_rates", description=__doc__)
    parser.add_argument("--repeat", type=int, default=100, help="timed runs per day")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    return parser.parse_args(argv)


def _tree() -> tuple[Any, list[Any], list[Any]]:
    """The zone, its streets, and the other counties' streets, made once."""
    from django.db import transaction

    from ducha.orgs.models import Org

    def region(name: str, level: int, parent: Any, code: str) -> Any:
        return Org.objects.create(kind="region", name=name, level=level, parent=parent, code=code)

    province = Org.objects.filter(kind="region", code=PROVINCE_CODE).first()
    if province is None:
        with transaction.atomic():
            province = region("基准省", 1, None, PROVINCE_CODE)
            city = region("基准市", 2, province, "980100")
            zone = region("基准高新区", 3, city, "980101")
            for s in range(1, ZONE_STREETS + 1):
                region(f"高新区街道{s}", 4, zone, f"980101{s:03d}")
            for c in range(2, COUNTIES + 2):
                county = region(f"基准县{c}", 3, city, f"9801{c:02d}")
                for s in range(1, COUNTY_STREETS + 1):
                    region(f"基准县{c}街道{s}", 4, county, f"9801{c:02d}{s:03d}")
    zone = Org.objects.get(kind="region", code="980101")
    streets = list(Org.objects.filter(parent=zone).order_by("code"))
    others = list(
        Org.objects.filter(level=4, path__startswith=province.path)
        .exclude(parent=zone)
        .order_by("code")
    )
    return zone, streets, others


def _status_counts(rng: random.Random) -> list[int]:
    """Status events per enterprise, summing with the registrations to exactly EVENTS."""
    counts = [rng.randint(0, MOST_STATUSES) for _ in range(ENTERPRISES)]
    missing = EVENTS - ENTERPRISES - sum(counts)
    step = 1 if missing > 0 else -1
    position = 0
    while missing:
        count = counts[position] + step
        if 0 <= count <= MOST_STATUSES:
            counts[position] = count
            missing -= step
        position = (position + 1) % ENTERPRISES
    return counts


def _copy(table: str, columns: Sequence[str], rows: Iterator[Sequence[Any]]) -> None:
    from django.db import connection

    quoted = ", ".join(f'"{column}"' for column in columns)
    statement = f"COPY {table} ({quoted}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _fill(zone: Any, streets: list[Any], others: list[Any]) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from ducha.accounts.models import User
    from ducha.resumption.models import Enterprise, ResumptionEvent, ResumptionSpell

    if Enterprise.objects.filter(city_id=zone.city_id).count() >= ENTERPRISES:
        return
    user, _ = User.objects.get_or_create(username="bench_resumption", defaults={"name": "基准"})
    rng = random.Random(14)
    counts = _status_counts(rng)
    now = timezone.now()
    plans: list[tuple[Any, ...]] = []  # per enterprise: street, area, category, statuses…

    def enterprise_rows() -> Iterator[Sequence[Any]]:
        for number in range(ENTERPRISES):
            in_zone = number < ZONE_ENTERPRISES
            street = rng.choice(streets if in_zone else others)
            area = rng.choice(ZONE_AREAS) if in_zone else ""
            category = rng.choice(CATEGORIES)
            registered = date(2019, 6, 1) + timedelta(days=rng.randrange(200))
            day = FIRST_STATUS + timedelta(days=rng.randrange(20))
            statuses = []
            for _status in range(counts[number]):
                statuses.append(day)
                day += timedelta(days=rng.randint(1, 12))
            supervised = not (category == "construction" and rng.random() < 0.1)
            filed = statuses[0] if statuses else None
            status = ["registered", "filed", "resumed", "stopped"][
                0 if not statuses else 1 if len(statuses) == 1 else 2 + (len(statuses) % 2)
            ]
            plans.append((street, area, category, supervised, registered, statuses))
            yield (
                "project" if category == "construction" else "enterprise",
                f"基准企业{number}",
                f"BENCH{number:013d}",
                category,
                street.pk,
                area,
                supervised,
                "" if supervised else "由上级部门监管",
                "",
                registered,
                filed,
                status,
                statuses[-1] if statuses else None,
                now,
                user.pk,
                0,
                street.province_id,
                street.city_id,
                street.county_id,
                street.town_id,
            )

    columns = [
        "kind",
        "name",
        "credit_code",
        "category",
        "region_id",
        "area",
        "supervised",
        "excluded_reason",
        "address",
        "registered_on",
        "filed_on",
        "status",
        "status_on",
        "created_at",
        "created_by_id",
        "version",
        "province_id",
        "city_id",
        "county_id",
        "town_id",
    ]
    started = time.perf_counter()
    with transaction.atomic():
        _copy(Enterprise._meta.db_table, columns, enterprise_rows())
        ids = list(
            Enterprise.objects.filter(credit_code__startswith="BENCH")
            .order_by("credit_code")
            .values_list("pk", flat=True)
        )
        _copy(
            ResumptionEvent._meta.db_table,
            ["enterprise_id", "actor_id", "created_at", "action", "on", "from_status",
             "to_status", "payload"],
            _events(ids, plans, user.pk, now),
        )  # fmt: skip
        _copy(
            ResumptionSpell._meta.db_table,
            ["enterprise_id", "resumed_on", "stopped_on", "province_id", "city_id",
             "county_id", "town_id", "category", "area", "supervised"],
            _spells(ids, plans),
        )  # fmt: skip
    with connection.cursor() as cursor:
        for model in (Enterprise, ResumptionEvent, ResumptionSpell):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    print(f"written in {time.perf_counter() - started:.0f} s")


def _events(ids: list[int], plans: list[Any], actor: int, now: Any) -> Iterator[Sequence[Any]]:
    for pk, (_street, _area, _category, _supervised, registered, statuses) in zip(
        ids, plans, strict=True
    ):
        yield (pk, actor, now, "register", registered, "", "registered", "{}")
        before = "registered"
        for position, day in enumerate(statuses):
            action, after = (
                ("file", "filed")
                if position == 0
                else ("resume", "resumed")
                if position % 2
                else ("stop", "stopped")
            )
            yield (pk, actor, now, action, day, before, after, "{}")
            before = after


def _spells(ids: list[int], plans: list[Any]) -> Iterator[Sequence[Any]]:
    for pk, (street, area, category, supervised, _registered, statuses) in zip(
        ids, plans, strict=True
    ):
        # Statuses after the filing alternate: resume (odd positions), stop (even).
        for position in range(1, len(statuses), 2):
            stopped = statuses[position + 1] if position + 1 < len(statuses) else None
            yield (
                pk,
                statuses[position],
                stopped,
                street.province_id,
                street.city_id,
                street.county_id,
                street.town_id,
                category,
                area,
                supervised,
            )


def _time(label: str, run: Any, repeat: int) -> float:
    run()
    spent = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        spent.append((time.perf_counter() - start) * 1000)
    p95 = percentile(spent, 0.95)
    print(f"{label:<28} median {percentile(spent, 0.5):7.1f} ms   p95 {p95:7.1f} ms")
    return p95


def _raw(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            cursor.fetchall()


def _plans(statements: list[str]) -> list[str]:
    # bench.run.explain skips what does not start with SELECT, and the spells' count is a
    # UNION ALL of two parenthesised SELECTs.
    from django.db import connection

    plans = []
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ducha.resumption.figures import board, rates
    from ducha.resumption.models import Enterprise, ResumptionEvent, ResumptionSpell

    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: set DATABASE_URL")
    zone, streets, others = _tree()
    _fill(zone, streets, others)
    in_zone = Enterprise.objects.filter(county=zone).count()
    print(
        f"{Enterprise.objects.count():,} enterprises ({in_zone:,} in the zone), "
        f"{ResumptionEvent.objects.count():,} events, {ResumptionSpell.objects.count():,} spells"
    )
    worst: dict[str, float] = {}
    for day in DAYS:
        found = board(zone, as_of=day)
        print(
            f"  {day}: {found.whole.total:,} supervised, filed {found.whole.filing_rate}%, "
            f"resumed {found.whole.resumption_rate}%, {found.whole.excluded} excluded"
        )
        cases = {
            # What a document's sentences need: the zone by category.
            "by category": lambda day=day: rates(zone, as_of=day, by="category"),
            # What the dashboard shows: by category, area and street, the excluded named.
            "dashboard": lambda day=day: board(zone, as_of=day),
        }
        for name, run in cases.items():
            p95 = _time(f"{name} as of {day}", run, args.repeat)
            worst[name] = max(worst.get(name, 0.0), p95)
            with CaptureQueriesContext(connection) as queries:
                run()
            statements = [q["sql"] for q in queries.captured_queries]
            # The same statements run raw: what the database takes, without Django's part.
            _time(f"  its SQL raw ({len(statements)})", lambda s=statements: _raw(s), args.repeat)
            if args.explain:
                for plan in _plans(statements):
                    print(plan, "\n")
    for name, p95 in worst.items():
        print(f"worst p95, {name}: {p95:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
