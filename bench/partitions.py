"""Today's layout against the partitioned ones of decision 0024 (issue 17, item 5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench \\
        .venv/bin/python -m bench.partitions --build --json bench/results/partitions.json

On a database filled by `bench.generate`, `--build` copies the problems and the event log
into two more layouts, each in a schema of its own, with the same columns and indexes:
- `layout_province`: problems and events partitioned by province (`PARTITION BY LIST
  (province_id)`, one partition a province and a default); the events carry their problem's
  province; each unique index gains the partition key, as PostgreSQL requires;
- `layout_month`: the event log partitioned by the month of `created_at`.
The tables keep their names, so the very SQL the application sends runs on a layout with
`SET search_path TO <layout>, public`: lists, a problem's history, recent events. What
the layouts change in that SQL is what decision 0024 says the code would change: the
province's id added to the scope of a city or a county (pruning), and a problem's history
bounded by its discovery (months before it pruned).

It then times, each case on each layout, interleaved so that a slow moment hits them alike:
the scoped list request (stats line and first page) of the province, city and county with
the most problems; a problem's history; the country's latest events; a month's count;
single-row inserts of events and of problems (rolled back); the country's dashboard rows
read as one row a figure or summed from the provinces' rows (the split the decision
proposes); and the maintenance of the event log: VACUUM ANALYZE, an index rebuilt, a month
detached and attached again. Nothing of the application's own tables is changed.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import setup_django
from bench.run import percentile

LAYOUTS = ("public", "layout_province", "layout_month")
PROBLEMS = "problems_problem"
EVENTS = "problems_problemevent"


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.partitions", description=__doc__)
    parser.add_argument("--build", action="store_true", help="(re)make the two layouts first")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per case")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per case first")
    parser.add_argument("--histories", type=int, default=200, help="problems whose events are read")
    parser.add_argument("--inserts", type=int, default=2000, help="events and problems inserted")
    parser.add_argument("--json", type=Path, help="write results and plans here")
    parser.add_argument("--only", default="", help="only the cases whose name holds this")
    return parser.parse_args(argv)


def sql(statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def timed(spent: dict[str, float], label: str, *statements: str) -> None:
    start = time.perf_counter()
    for statement in statements:
        sql(statement)
    spent[label] = round(time.perf_counter() - start, 2)
    print(f"  {label}: {spent[label]} s", flush=True)


# --- building the layouts -------------------------------------------------------------------


def _index_definitions(table: str, schema: str, key: str) -> list[str]:
    """The table's indexes, remade on the copy in `schema`; unique ones gain the partition key."""
    made = []
    for name, definition in sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s",
        [table],
    ):
        definition = definition.replace(f"ON public.{table} ", f"ON {schema}.{table} ", 1)
        definition = definition.replace(f"INDEX {name} ", f"INDEX {schema}_{name} ", 1)
        if definition.startswith("CREATE UNIQUE"):
            opening = definition.index("(", definition.index(" USING "))
            depth, end = 0, opening
            for end in range(opening, len(definition)):
                depth += {"(": 1, ")": -1}.get(definition[end], 0)
                if depth == 0:
                    break
            definition = f"{definition[:end]}, {key}{definition[end:]}"
        made.append(definition)
    return made


def _partitioned(table: str, schema: str, spec: str, extra: str = "") -> None:
    sql(
        f"CREATE TABLE {schema}.{table} (LIKE public.{table} INCLUDING DEFAULTS{extra}) "
        f"PARTITION BY {spec}"
    )
    # PostgreSQL 15 has no identity column on a partitioned table: ids come from the
    # original table's sequence, as they would if the table were converted in place.
    sql(
        f"ALTER TABLE {schema}.{table} ALTER COLUMN id "
        f"SET DEFAULT nextval(pg_get_serial_sequence('public.{table}', 'id'))"
    )


def build_province(spent: dict[str, float]) -> None:
    schema = "layout_province"
    sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    sql(f"CREATE SCHEMA {schema}")
    _partitioned(PROBLEMS, schema, "LIST (province_id)")
    _partitioned(EVENTS, schema, "LIST (province_id)", ", province_id bigint NOT NULL")
    provinces = [row[0] for row in sql(f"SELECT DISTINCT province_id FROM {PROBLEMS}")]
    for table in (PROBLEMS, EVENTS):
        for province in provinces:
            sql(
                f"CREATE TABLE {schema}.{table}_p{province} PARTITION OF {schema}.{table} "
                f"FOR VALUES IN ({province})"
            )
        sql(f"CREATE TABLE {schema}.{table}_default PARTITION OF {schema}.{table} DEFAULT")
    timed(
        spent,
        "province: copy problems",
        f"INSERT INTO {schema}.{PROBLEMS} SELECT * FROM public.{PROBLEMS}",
    )
    timed(
        spent,
        "province: copy events",
        f"INSERT INTO {schema}.{EVENTS} SELECT e.*, p.province_id FROM public.{EVENTS} e "
        f"JOIN public.{PROBLEMS} p ON p.id = e.problem_id",
    )
    indexes = [d for t in (PROBLEMS, EVENTS) for d in _index_definitions(t, schema, "province_id")]
    timed(spent, "province: indexes", *indexes)
    # As bench.generate leaves today's tables: vacuumed (the visibility map lets counts read
    # the indexes alone) and analyzed.
    timed(spent, "province: vacuum", f"VACUUM ANALYZE {schema}.{PROBLEMS}, {schema}.{EVENTS}")


def months() -> list[str]:
    """First days of the months the event log spans, and the month after the last."""
    first, last = sql(
        f"SELECT date_trunc('month', min(created_at)), date_trunc('month', max(created_at)) "
        f"FROM public.{EVENTS}"
    )[0]
    found = sql(
        "SELECT to_char(m, 'YYYY-MM-DD') FROM generate_series(%s::timestamptz, "
        "%s::timestamptz + interval '1 month', interval '1 month') m",
        [first, last],
    )
    return [row[0] for row in found]


def build_month(spent: dict[str, float]) -> None:
    schema = "layout_month"
    sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    sql(f"CREATE SCHEMA {schema}")
    _partitioned(EVENTS, schema, "RANGE (created_at)")
    bounds = months()
    for first, after in itertools.pairwise(bounds):
        sql(
            f"CREATE TABLE {schema}.{EVENTS}_{first[:7].replace('-', '')} PARTITION OF "
            f"{schema}.{EVENTS} FOR VALUES FROM ('{first}') TO ('{after}')"
        )
    sql(f"CREATE TABLE {schema}.{EVENTS}_default PARTITION OF {schema}.{EVENTS} DEFAULT")
    timed(
        spent, "month: copy events", f"INSERT INTO {schema}.{EVENTS} SELECT * FROM public.{EVENTS}"
    )
    timed(spent, "month: indexes", *_index_definitions(EVENTS, schema, "created_at"))
    timed(spent, "month: vacuum", f"VACUUM ANALYZE {schema}.{EVENTS}")


def sizes() -> dict[str, dict[str, int]]:
    """Bytes of each table in each layout, partitions and indexes included."""
    found: dict[str, dict[str, int]] = {}
    for layout in LAYOUTS:
        for table in (PROBLEMS, EVENTS):
            rows = sql(
                "SELECT coalesce(sum(pg_table_size(relid)), 0), "
                "coalesce(sum(pg_indexes_size(relid)), 0) "
                "FROM pg_partition_tree(to_regclass(%s))",
                [f"{layout}.{table}"],
            )
            heap, indexes = rows[0] if rows else (0, 0)
            if not heap:  # not partitioned: the tree is empty
                heap = sql(
                    "SELECT coalesce(pg_total_relation_size(to_regclass(%s)), 0)",
                    [f"{layout}.{table}"],
                )[0][0]
            if heap:
                found.setdefault(layout, {})[table] = int(heap) + int(indexes)
    return found


# --- the cases ---------------------------------------------------------------------------------


Statements = Sequence[tuple[str, Sequence[Any]]]


class Runner:
    """Statements run under one layout's search path (writes in a transaction rolled back);
    kept for EXPLAIN."""

    def __init__(self, layout: str, statements: Statements, *, rolled_back: bool = False) -> None:
        self.layout = layout
        self.statements = statements
        self.rolled_back = rolled_back

    def __call__(self) -> None:
        from django.db import transaction

        if not self.rolled_back:
            self._run()
            return
        with transaction.atomic():
            self._run()
            transaction.set_rollback(True)

    def _run(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SET search_path TO {self.layout}, public")
            try:
                for statement, params in self.statements:
                    cursor.execute(statement, params)
                    if cursor.description is not None:
                        cursor.fetchall()
            finally:
                cursor.execute("SET search_path TO public")


class Case:
    """What is timed on each layout, by a label of its own."""

    def __init__(self, name: str, by_layout: dict[str, Runner]) -> None:
        self.name = name
        self.by_layout = by_layout
        self.result: dict[str, dict[str, float]] = {}


def measure(case: Case, warmup: int, repeat: int) -> None:
    for run in case.by_layout.values():
        for _ in range(warmup):
            run()
    spent: dict[str, list[float]] = {layout: [] for layout in case.by_layout}
    for _ in range(repeat):
        for layout, run in case.by_layout.items():
            start = time.perf_counter()
            run()
            spent[layout].append((time.perf_counter() - start) * 1000)
    case.result = {
        layout: {"p50": round(statistics.median(ms), 2), "p95": round(percentile(ms, 0.95), 2)}
        for layout, ms in spent.items()
    }
    line = "  ".join(f"{k}: {v['p50']} / {v['p95']} ms" for k, v in case.result.items())
    print(f"{case.name}: {line}", flush=True)


def _captured(run: Callable[[], object]) -> list[tuple[str, Sequence[Any]]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run()
    return [(query["sql"].replace("%", "%%"), ()) for query in queries.captured_queries]


def list_cases() -> list[Case]:
    """Each persona's list request as the app sends it; on the province layout, with the
    province's id added below the province (what scoping would add to prune)."""
    from django.conf import settings
    from django.utils import timezone

    from bench.run import personas
    from ducha.problems.filters import ProblemFilter
    from ducha.problems.models import Problem
    from ducha.problems.schemas import item_rows

    now = timezone.now()
    cases = []
    for persona in personas():
        province = (
            Problem.objects.filter(**{f"{persona.key}_id": persona.region.pk})
            .values_list("province_id", flat=True)
            .first()
        )
        for name, problem_filter in (
            ("list", ProblemFilter()),
            ("overdue", ProblemFilter(overdue=True)),
        ):

            def request(
                pruned: bool,
                f: ProblemFilter = problem_filter,
                p: Any = persona,
                at: Any = province,
            ) -> None:
                scoped = f.apply(Problem.objects.visible_to(p.user), now=now)
                if pruned:
                    scoped = scoped.filter(province_id=at)
                scoped.rectification_stats()
                item_rows(scoped[: settings.DUCHA_PAGE_SIZE])

            today = _captured(functools.partial(request, False))
            pruned = _captured(functools.partial(request, True))
            cases.append(
                Case(
                    f"{persona.key} {name} ({persona.scope:,} problems)",
                    {
                        "public": Runner("public", today),
                        "public, province named": Runner("public", pruned),
                        "layout_province": Runner("layout_province", pruned),
                    },
                )
            )
    return cases


def sample(seed: int, count: int, *columns: str) -> list[tuple[Any, ...]]:
    """Up to `count` problems drawn at random (ids drawn, the missing ones skipped)."""
    from ducha.problems.models import Problem

    rng = random.Random(seed)
    top = Problem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    drawn = [rng.randint(1, top) for _ in range(count)]
    return list(Problem.objects.filter(pk__in=drawn).values_list(*columns))


def history_cases(count: int) -> list[Case]:
    """A problem's history as its page reads it, for `count` problems drawn at random."""
    from ducha.problems.models import ProblemEvent

    picked = sample(17, count, "pk", "province_id", "found_at")
    # The SQL of `problem.events.all()`, and the same with the condition each layout
    # would add: the province (its partition), or the discovery (no month before it).
    query = ProblemEvent.objects.filter(problem_id=0).order_by("created_at", "pk")
    plain, _ = query.query.sql_with_params()
    where = f'WHERE "{EVENTS}"."problem_id" = %s'
    by_province = plain.replace(where, f'{where} AND "{EVENTS}"."province_id" = %s')
    from_discovery = plain.replace(where, f'{where} AND "{EVENTS}"."created_at" >= %s')
    assert by_province != plain and from_discovery != plain, plain
    return [
        Case(
            f"a problem's history ({len(picked)} problems)",
            {
                "public": Runner("public", [(plain, (pk,)) for pk, _, _ in picked]),
                "layout_province": Runner(
                    "layout_province", [(by_province, (pk, p)) for pk, p, _ in picked]
                ),
                "layout_month": Runner("layout_month", [(plain, (pk,)) for pk, _, _ in picked]),
                "layout_month, from discovery": Runner(
                    "layout_month", [(from_discovery, (pk, f)) for pk, _, f in picked]
                ),
            },
        )
    ]


def log_cases() -> list[Case]:
    """The event log read as a whole: the country's latest events, and one month's count."""
    latest = [(f"SELECT * FROM {EVENTS} ORDER BY created_at DESC, id DESC LIMIT 50", ())]
    bounds = months()
    start, end = bounds[-3], bounds[-2]  # the last whole month
    month = [
        (f"SELECT count(*) FROM {EVENTS} WHERE created_at >= %s AND created_at < %s", (start, end))
    ]
    return [
        Case("the 50 latest events", {k: Runner(k, latest) for k in LAYOUTS}),
        Case(f"events of {start[:7]}, counted", {k: Runner(k, month) for k in LAYOUTS}),
    ]


def insert_cases(count: int) -> list[Case]:
    """`count` events recorded one statement each, as actions do, then rolled back."""
    targets = sample(5, count, "pk", "province_id", "found_by_id")
    columns = "problem_id, actor_id, created_at, action, from_state, to_state, comment, payload"
    values = "%s, %s, now(), 'urge', 'assigned', 'assigned', '', '{}'"
    plain = f"INSERT INTO {EVENTS} ({columns}) VALUES ({values})"
    with_province = f"INSERT INTO {EVENTS} ({columns}, province_id) VALUES ({values}, %s)"

    def inserts(layout: str) -> Runner:
        statements: list[tuple[str, tuple[Any, ...]]]
        if layout == "layout_province":
            statements = [(with_province, (pk, actor, p)) for pk, p, actor in targets]
        else:
            statements = [(plain, (pk, actor)) for pk, _, actor in targets]
        return Runner(layout, statements, rolled_back=True)

    return [Case(f"{len(targets):,} events inserted one by one", {k: inserts(k) for k in LAYOUTS})]


def problem_insert_cases(count: int) -> list[Case]:
    """`count` problems recorded one statement each (copies of existing ones under new ids,
    so that every index gets realistic values), then rolled back: what the problem table's
    indexes cost a recording."""
    from ducha.problems.models import Problem

    sources = sample(9, count, "pk")
    # The client key is left out (unique per user): copies get none, as most problems have.
    columns = [
        f.column for f in Problem._meta.concrete_fields if f.column not in ("id", "client_key")
    ]
    names = ", ".join(f'"{c}"' for c in columns)
    statement = f"INSERT INTO {PROBLEMS} ({names}) SELECT {names} FROM {PROBLEMS} WHERE id = %s"

    return [
        Case(
            f"{len(sources):,} problems inserted one by one",
            {
                k: Runner(k, [(statement, source) for source in sources], rolled_back=True)
                for k in ("public", "layout_province")
            },
        )
    ]


# The dashboard's figures by whole scope and by focus area, team, day found, day closed and
# hours to close (the top lists of units and sites read their own rows, not the country's).
COUNTRY_DIMS = (0, 2, 3, 6, 7, 8)


def country_cases() -> list[Case]:
    """The country's rollup rows as stored, against the same figures summed from the 34
    provinces' rows (the split that removes the row every action in the country writes)."""
    from ducha.problems.rollups.models import RollupCell

    keys = {"scope_level", "scope_id", "dim", "key"}
    measures = [
        f.column for f in RollupCell._meta.concrete_fields if f.column and f.column not in keys
    ]
    dims = ", ".join(str(d) for d in COUNTRY_DIMS)
    # Named, as the dashboard knows them: the rows' key then leads to each province's rows.
    provinces = ", ".join(
        str(row[0])
        for row in sql("SELECT scope_id FROM reports_rollupcell WHERE scope_level = 1 AND dim = 0")
    )
    stored = [
        (
            f"SELECT dim, key, {', '.join(measures)} FROM reports_rollupcell "
            f"WHERE scope_level = 0 AND scope_id = 0 AND dim IN ({dims})",
            (),
        )
    ]
    summed = [
        (
            f"SELECT dim, key, {', '.join(f'sum({m})' for m in measures)} FROM reports_rollupcell "
            f"WHERE scope_level = 1 AND scope_id IN ({provinces}) AND dim IN ({dims}) "
            "GROUP BY dim, key",
            (),
        )
    ]
    return [
        Case(
            "the country's dashboard rows",
            {
                "country row": Runner("public", stored),
                "summed from provinces": Runner("public", summed),
            },
        )
    ]


def maintenance(spent: dict[str, float]) -> None:
    """The event log's upkeep, whole against one month (the newest whole month)."""
    bounds = months()
    month = f"layout_month.{EVENTS}_{bounds[-3][:7].replace('-', '')}"
    part_index = sql(
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'layout_month' AND tablename = %s "
        "AND indexdef LIKE '%%(problem_id, created_at)%%'",
        [month.split(".")[1]],
    )[0][0]
    timed(spent, "VACUUM ANALYZE, whole event log", f"VACUUM ANALYZE public.{EVENTS}")
    timed(spent, "VACUUM ANALYZE, one month", f"VACUUM ANALYZE {month}")
    timed(spent, "REINDEX (problem, time), whole", "REINDEX INDEX public.event_problem_time")
    timed(spent, "REINDEX (problem, time), one month", f"REINDEX INDEX layout_month.{part_index}")
    timed(spent, "a month detached", f"ALTER TABLE layout_month.{EVENTS} DETACH PARTITION {month}")
    timed(
        spent,
        "a month attached again",
        f"ALTER TABLE layout_month.{EVENTS} ATTACH PARTITION {month} "
        f"FOR VALUES FROM ('{bounds[-3]}') TO ('{bounds[-2]}')",
    )


def plans(case: Case) -> dict[str, list[str]]:
    """EXPLAIN of each layout's first statements (a history: the first problem's)."""
    from django.db import connection

    found: dict[str, list[str]] = {}
    for label, run in case.by_layout.items():
        with connection.cursor() as cursor:
            cursor.execute(f"SET search_path TO {run.layout}, public")
            for statement, params in run.statements[:3]:
                if statement.lstrip().upper().startswith("SELECT"):
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", params)
                    found.setdefault(label, []).append("\n".join(r[0] for r in cursor.fetchall()))
            cursor.execute("SET search_path TO public")
    return found


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("run on a PostgreSQL database filled by bench.generate (*bench*)")
    built: dict[str, float] = {}
    if args.build:
        print("building the layouts", flush=True)
        build_province(built)
        build_month(built)
    facts = {
        "problems": sql(f"SELECT count(*) FROM public.{PROBLEMS}")[0][0],
        "events": sql(f"SELECT count(*) FROM public.{EVENTS}")[0][0],
        "bytes": sizes(),
        "load": Path("/proc/loadavg").read_text().split()[:3],
    }
    print(json.dumps(facts, indent=1), flush=True)
    cases = list_cases() + history_cases(args.histories) + log_cases()
    cases += insert_cases(args.inserts) + problem_insert_cases(args.inserts) + country_cases()
    # Layouts not built (or dropped to free the disk) are left out: today's alone still runs.
    present = {row[0] for row in sql("SELECT nspname FROM pg_namespace")}
    cases = [case for case in cases if args.only in case.name]
    for case in cases:
        case.by_layout = {k: run for k, run in case.by_layout.items() if run.layout in present}
        measure(case, args.warmup, args.repeat if "inserted" not in case.name else 5)
    upkeep: dict[str, float] = {}
    if "layout_month" in present and not args.only:
        maintenance(upkeep)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "facts": facts,
                    "built": built,
                    "cases": [
                        {"name": c.name, "result": c.result, "plans": plans(c)} for c in cases
                    ],
                    "maintenance": upkeep,
                },
                indent=1,
                ensure_ascii=False,
                default=str,
            )
        )


if __name__ == "__main__":
    main()
