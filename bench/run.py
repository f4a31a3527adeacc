"""Time the scoped problem list and the per-child-region counts, app against raw SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench \\
        .venv/bin/python -m bench.run --repeat 50 --json bench/results/latest.json

"app" is the code path a request takes (filter, queryset, rows read); "raw" runs the
very SQL Django sent, captured once, through a bare cursor. Their ratio is the price of the
ORM; the raw time itself says whether the query and its indexes are right.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import setup_django


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per case")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs per case first")
    parser.add_argument("--json", type=Path, help="write facts, results, SQL and plans here")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    parser.add_argument("--only", default="", help="run only cases whose name contains this")
    return parser.parse_args(argv)


@dataclass
class Persona:
    key: str
    region: Any
    user: Any
    scope: int = 0


@dataclass
class Case:
    name: str
    persona: Persona
    app: Callable[[], object]
    target: str = ""
    sql: list[str] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def personas() -> list[Persona]:
    """Office staff at the largest province, its largest city, and that city's largest county.

    The largest scopes are the slowest ones, so the numbers are the worst case of each level.
    """
    from django.db.models import Count

    from ducha.accounts.choices import Role
    from ducha.accounts.models import Membership, User
    from ducha.orgs.choices import OrgKind
    from ducha.orgs.models import Org
    from ducha.problems.models import Problem

    found: list[Persona] = []
    scope = Problem.objects.order_by()
    for level in ("province", "city", "county"):
        top = scope.values(level).annotate(n=Count("pk")).order_by("-n", level).first()
        if top is None:
            raise SystemExit("no problems: run `python -m bench.generate` first")
        region = Org.objects.get(pk=top[level])
        office = Org.objects.filter(parent=region, kind=OrgKind.OFFICE).order_by("pk").first()
        user, _ = User.objects.get_or_create(
            username=f"bench_{level}", defaults={"name": f"{region.name}督查办干部"}
        )
        # Regenerated data moves the largest regions: keep exactly one current membership.
        Membership.objects.filter(user=user).exclude(org=office or region).delete()
        Membership.objects.get_or_create(user=user, org=office or region, role=Role.OFFICE_STAFF)
        found.append(Persona(level, region, user, int(top["n"])))
        scope = scope.filter(**{f"{level}_id": region.pk})
    return found


def list_cases(persona: Persona, now: Any) -> list[Case]:
    """The list page / API request: the stats line plus one page, with a few common filters."""
    from django.conf import settings

    from ducha.problems.filters import ProblemFilter
    from ducha.problems.models import Problem
    from ducha.problems.schemas import item_rows

    page_size = settings.DUCHA_PAGE_SIZE
    filters = {
        "list": ProblemFilter(),
        "list state=assigned": ProblemFilter(state="assigned"),
        "list overdue": ProblemFilter(overdue=True),
        "list text search": ProblemFilter(text="台账"),
    }
    cases = []
    for name, problem_filter in filters.items():

        def scoped(f: ProblemFilter = problem_filter) -> Any:
            return f.apply(Problem.objects.visible_to(persona.user), now=now)

        def page(scoped: Callable[[], Any] = scoped) -> object:
            return item_rows(scoped()[:page_size])  # as the list reads a page

        def count(scoped: Callable[[], Any] = scoped) -> object:
            return scoped().count()

        def stats(scoped: Callable[[], Any] = scoped) -> object:
            return scoped().rectification_stats()

        def request(page: Callable[[], object] = page, stats: Callable[[], object] = stats) -> None:
            stats()
            page()

        target = "2x raw" if name == "list" else ""
        cases += [
            Case(f"{name}: request (stats + page)", persona, request, target),
            Case(f"{name}: page of {page_size}", persona, page),
            Case(f"{name}: count()", persona, count),
            Case(f"{name}: rectification_stats()", persona, stats),
        ]
    return cases


# How the aggregates are spelled decides whether PostgreSQL can answer from an index alone:
# COUNT("id") needs the id column, which no narrow index holds; COUNT(*) and COUNT("state")
# need nothing beyond the (level, child, state) indexes. `pk` is the form the code uses
# today, `star` the proposed one (docs/performance.md).
FORMS = ("pk", "star")


def _aggregates(form: str) -> dict[str, Any]:
    from django.db.models import Count, Q

    from ducha.problems.choices import State

    closed = Q(state=State.CLOSED)
    if form == "pk":
        return {"found": Count("pk"), "rectified": Count("pk", filter=closed)}
    # Count("*") cannot take a filter; state is never NULL, so counting it counts rows.
    return {"found": Count("*"), "rectified": Count("state", filter=closed)}


def child_count_case(persona: Persona, child: str, form: str) -> Case:
    """Found and rectified per child region: one GROUP BY on the child's level id."""
    from ducha.problems.models import Problem

    def counts() -> object:
        return list(
            Problem.objects.visible_to(persona.user)
            .values(child)
            .annotate(**_aggregates(form))
            .order_by(child)
        )

    return Case(f"counts by {child} [Count({form})]", persona, counts, "< 100 ms")


def stats_case(persona: Persona, form: str) -> Case:
    """The stats line of the unfiltered list, spelled as `rectification_stats` or proposed."""
    from ducha.problems.models import Problem

    def stats() -> object:
        return Problem.objects.visible_to(persona.user).order_by().aggregate(**_aggregates(form))

    return Case(f"list: stats [Count({form})]", persona, stats)


def capture(case: Case) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        case.app()
    case.sql = [query["sql"] for query in queries.captured_queries]


def raw_runner(sql: list[str]) -> Callable[[], None]:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            # The capture holds the app's BEGIN and COMMIT too: they are replayed as they are.
            for statement in sql:
                cursor.execute(statement)
                # Statements sent together give one result each: read them all.
                while True:
                    if cursor.description is not None:
                        cursor.fetchall()
                    if not cursor.nextset():
                        break

    return run


def measure(case: Case, warmup: int, repeat: int) -> None:
    raw = raw_runner(case.sql)
    for _ in range(warmup):
        case.app()
        raw()
    app_ms: list[float] = []
    raw_ms: list[float] = []
    # Interleaved, so a slow moment of the machine hits both sides alike.
    for _ in range(repeat):
        start = time.perf_counter()
        case.app()
        app_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        raw()
        raw_ms.append((time.perf_counter() - start) * 1000)
    app_p50, raw_p50 = statistics.median(app_ms), statistics.median(raw_ms)
    case.result = {
        "app_p50": round(app_p50, 2),
        "app_p95": round(percentile(app_ms, 0.95), 2),
        "raw_p50": round(raw_p50, 2),
        "raw_p95": round(percentile(raw_ms, 0.95), 2),
        "ratio_p50": round(app_p50 / raw_p50, 2) if raw_p50 else None,
        # Each app run against the raw run right after it: a slow moment of this shared
        # machine then weighs on both sides of a ratio, not on one median.
        "ratio_paired": round(
            statistics.median(a / r for a, r in zip(app_ms, raw_ms, strict=True) if r), 2
        ),
        "queries": len(case.sql),
    }


def explain(sql: list[str]) -> list[str]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    plans = []
    with connection.cursor() as cursor:
        for statement in sql:
            if not statement.startswith(("SELECT", "WITH")):
                continue  # BEGIN, SET …, COMMIT have no plan
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def grants_case(persona: Persona) -> Case:
    """What every request pays before any list: the user's grants, from their memberships."""
    from ducha.accounts.models import User
    from ducha.core.scope import grants_for

    def grants() -> object:
        return grants_for(User.objects.get(pk=persona.user.pk))

    return Case("grants_for (user + memberships)", persona, grants)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()

    from django.conf import settings
    from django.utils import timezone

    from bench.facts import machine_facts
    from ducha.core.scope import grants_for

    if settings.DEBUG:
        raise SystemExit("unset DUCHA_DEBUG: debug mode records every query and skews timings")
    facts = machine_facts()
    now = timezone.now()
    people = personas()
    for persona in people:
        grants_for(persona.user)  # computed once per request; timed on its own below
        print(f"persona {persona.key}: {persona.region.name} ({persona.scope:,} problems)")
    province, city, county = people
    cases: list[Case] = []
    for persona in people:
        cases += list_cases(persona, now)
    for form in FORMS:
        cases += [stats_case(persona, form) for persona in people]
        cases += [
            child_count_case(province, "city", form),
            child_count_case(city, "county", form),
            child_count_case(county, "town", form),
        ]
    cases.append(grants_case(county))
    cases = [case for case in cases if args.only in case.name]
    print(f"{'case':<44} {'persona':<9} {'app p50':>8} {'p95':>8} {'raw p50':>8} {'p95':>8} ratio")
    for case in cases:
        capture(case)
        measure(case, args.warmup, args.repeat)
        r = case.result
        print(
            f"{case.name:<44} {case.persona.key:<9} {r['app_p50']:>8.2f} {r['app_p95']:>8.2f} "
            f"{r['raw_p50']:>8.2f} {r['raw_p95']:>8.2f} {r['ratio_p50']}"
        )
    plans = {}
    for case in cases:
        plans[f"{case.persona.key}: {case.name}"] = explain(case.sql)
        if args.explain:
            print(f"\n== {case.persona.key}: {case.name}")
            for sql, plan in zip(case.sql, plans[f"{case.persona.key}: {case.name}"], strict=False):
                print(sql, plan, sep="\n")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {
            "facts": facts,
            "settings": {"repeat": args.repeat, "warmup": args.warmup},
            "personas": {
                p.key: {"region": p.region.name, "region_id": p.region.pk, "problems": p.scope}
                for p in people
            },
            "results": [
                {
                    "case": c.name,
                    "persona": c.persona.key,
                    "target": c.target,
                    **c.result,
                    "sql": c.sql,
                    "plans": plans[f"{c.persona.key}: {c.name}"],
                }
                for c in cases
            ],
        }
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
