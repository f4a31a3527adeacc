"""The escalation ladder: the time of one pass over N due problems, and of an idle pass.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench_ladder \\
        .venv/bin/python -m bench.ladder --problems 1000

Needs a migrated database (a dedicated one: the pass walks every problem in it). Records N
problems through the real actions in a small tree of its own (a county office assigns them to
one unit), then moves their deadlines into the past and runs the ladder as if three hours
had gone by since the assignment: each problem is due for three steps (not signed for,
overdue, escalated), so the first pass takes 3 × N steps, each its own transaction. The
second pass at the same moment finds nothing to take: what every run of the scheduler costs
when the ladder is idle. `--notices` has the office issue a 催办通知书 with each overdue
reminder (a numbered Word file per problem). `--idle-only` creates nothing and times one
pass over the database as it is (a generated 1,000,000-problem one, say). Nothing is
asserted: see docs/performance.md.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bench import setup_django


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.ladder", description=__doc__)
    parser.add_argument("--problems", type=int, default=1000, help="due problems to create")
    parser.add_argument("--batch", type=int, default=None, help="problems read per query")
    parser.add_argument("--notices", action="store_true", help="issue urge notices too")
    parser.add_argument("--idle-only", action="store_true", help="create nothing, time a pass")
    return parser.parse_args(argv)


def _fill(count: int, notices: bool) -> tuple[list[int], datetime]:
    """N assigned problems of a fresh little tree; their deadlines already a day past."""
    from django.utils import timezone

    from ducha.accounts.models import Membership, User
    from ducha.orgs.models import Org
    from ducha.problems import actions
    from ducha.problems.models import FocusArea, Problem

    tag = f"{time.time_ns() % 10**9}"
    province = Org.objects.create(kind="region", name=f"省{tag}", level=1)
    city = Org.objects.create(kind="region", name=f"市{tag}", level=2, parent=province)
    county = Org.objects.create(kind="region", name=f"县{tag}", level=3, parent=city)
    Org.objects.create(kind="office", name=f"市督查办{tag}", parent=city)
    office = Org.objects.create(
        kind="office", name=f"县督查办{tag}", parent=county, urge_notices=notices
    )
    unit = Org.objects.create(kind="department", name=f"县卫健局{tag}", parent=county)
    user = User.objects.create_user(f"bench-ladder-{tag}", name="督查办干部")
    Membership.objects.create(user=user, org=office, role="office_staff")
    area, _ = FocusArea.objects.get_or_create(code="bench-ladder", defaults={"name": "基准"})
    now = timezone.now()
    ids = []
    for n in range(count):
        problem = actions.do_create_problem(
            acting_user=user,
            title=f"问题{n}",
            region=county,
            focus_area=area,
            found_at=now - timedelta(days=3),
        )
        actions.do_assign(problem, acting_user=user, responsible_org=unit)
        ids.append(problem.pk)
    # Three hours after the assignments, the deadlines are a day and two hours past.
    moment = now + timedelta(hours=3)
    Problem.objects.filter(pk__in=ids).update(
        deadline=moment - timedelta(hours=26), yellow_at=moment - timedelta(hours=40)
    )
    return ids, moment


def _timed(moment: datetime, batch: int | None) -> tuple[float, dict[str, int], int]:
    from django.db import connection

    from ducha.problems.ladder import chase

    statements = 0

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        started = time.perf_counter()
        counts = chase(moment, batch=batch)
        spent = time.perf_counter() - started
    return spent, counts, statements


def _plain(counts: dict[str, int]) -> dict[str, int]:
    return {str(step): number for step, number in counts.items()}


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from ducha.problems.models import Problem

    print(f"database: {connection.vendor}, problems in the table: {Problem.objects.count()}")
    if args.idle_only:
        spent, counts, queries = _timed(timezone.now(), args.batch)
        print(f"pass: {spent * 1000:.1f} ms, {queries} queries, taken {_plain(counts)}")
        return
    started = time.perf_counter()
    ids, moment = _fill(args.problems, args.notices)
    print(f"filled {len(ids)} due problems in {time.perf_counter() - started:.1f} s")
    spent, counts, queries = _timed(moment, args.batch)
    steps = sum(v for k, v in counts.items() if k != "failed")
    print(
        f"first pass: {spent:.2f} s for {steps} steps ({_plain(counts)}), "
        f"{spent * 1000 / max(steps, 1):.2f} ms a step, {queries} queries"
    )
    spent, counts, queries = _timed(moment, args.batch)
    print(f"second pass (idle): {spent * 1000:.1f} ms, {queries} queries, taken {_plain(counts)}")


if __name__ == "__main__":
    main()
