"""The price of the hash chains (decision 0017): problem actions with and without sealing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench_chains \\
        .venv/bin/python -m bench.chains --cycles 300

Needs a migrated database with the demo loaded (`manage.py load_demo`): the actions are
taken by the demo office that recorded an assigned problem, on a problem of its own region
and focus area, assigned to the same unit. One cycle is three actions through the real `do_*`
functions, each its own transaction: create, assign, urge. "plain" replaces
`ducha.core.chains.seal` by a no-op (the rows get no link: what the actions cost before the
chains); "chained" is the code as it runs. The two modes alternate in blocks of cycles, so a
drift of the machine falls on both. Then `verify()` walks every chain and its rate is
reported. Nothing is asserted: see docs/performance.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from bench import setup_django

ACTIONS = ("create", "assign", "urge")


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.chains", description=__doc__)
    parser.add_argument("--cycles", type=int, default=300, help="create+assign+urge per mode")
    parser.add_argument("--block", type=int, default=25, help="cycles before switching mode")
    parser.add_argument("--warmup", type=int, default=20, help="untimed cycles first")
    return parser.parse_args(argv)


def _cast() -> tuple[Any, Any, Any, Any]:
    """The demo office, region, focus area and unit of an assigned problem."""
    from ducha.problems.choices import Action
    from ducha.problems.models import ProblemEvent

    assign = (
        ProblemEvent.objects.filter(action=Action.ASSIGN)
        .select_related("problem__region", "problem__focus_area", "problem__responsible_org")
        .order_by("pk")
        .first()
    )
    if assign is None:
        raise SystemExit("no assigned problem: run `manage.py load_demo` first")
    problem = assign.problem
    return assign.actor, problem.region, problem.focus_area, problem.responsible_org


def _cycle(cast: tuple[Any, Any, Any, Any], n: int, spent: dict[str, list[float]]) -> None:
    from django.utils import timezone

    from ducha.problems import actions

    user, region, area, unit = cast
    start = time.perf_counter()
    problem = actions.do_create_problem(
        acting_user=user, title=f"基准测试问题 {n}", region=region, focus_area=area
    )
    created = time.perf_counter()
    problem = actions.do_assign(
        problem,
        acting_user=user,
        responsible_org=unit,
        deadline=timezone.now() + timedelta(days=7),
    )
    assigned = time.perf_counter()
    actions.do_urge(problem, acting_user=user, comment="请抓紧整改")
    urged = time.perf_counter()
    spent["create"].append(created - start)
    spent["assign"].append(assigned - created)
    spent["urge"].append(urged - assigned)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()
    from django.db import connection

    from ducha.core import chains
    from ducha.core.chain_check import verify

    cast = _cast()
    sealing = chains.seal

    def plain_seal(model: Any, objects: Any, using: str) -> None:
        return None

    spent: dict[str, dict[str, list[float]]] = {
        mode: {action: [] for action in ACTIONS} for mode in ("plain", "chained")
    }
    print(f"{connection.vendor}, {chains.algorithm()}, {chains.shard_count()} shards")
    n = 0
    for _ in range(args.warmup):
        n += 1
        _cycle(cast, n, {action: [] for action in ACTIONS})
    done = 0
    while done < args.cycles:
        for mode in ("plain", "chained"):
            chains.seal = plain_seal if mode == "plain" else sealing
            try:
                for _ in range(min(args.block, args.cycles - done)):
                    n += 1
                    _cycle(cast, n, spent[mode])
            finally:
                chains.seal = sealing
        done += min(args.block, args.cycles - done)

    print(f"{'action':<8} {'plain ms':>10} {'chained ms':>11} {'ratio':>6}   (medians)")
    totals = {}
    for action in ACTIONS:
        plain = statistics.median(spent["plain"][action]) * 1000
        chained = statistics.median(spent["chained"][action]) * 1000
        totals[action] = (plain, chained)
        print(f"{action:<8} {plain:>10.2f} {chained:>11.2f} {chained / plain:>6.2f}")
    plain = sum(p for p, _ in totals.values())
    chained = sum(c for _, c in totals.values())
    print(f"{'cycle':<8} {plain:>10.2f} {chained:>11.2f} {chained / plain:>6.2f}")

    # The unchained rows written above have no link: verification would report them, so
    # they are left out of the rate (the walk's cost is per row either way).
    start = time.perf_counter()
    report = verify()
    took = time.perf_counter() - start
    print(
        f"verify: {report.rows:,} rows in {took:.2f} s ({report.rows / took:,.0f} rows/s); "
        f"{sum(t.broken for t in report.tables)} rows unlinked by the plain mode"
    )


if __name__ == "__main__":
    main()
