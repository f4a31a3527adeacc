"""The rollups' share of an action: the loop's actions with and without keeping them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench \\
        .venv/bin/python -m bench.upkeep --cycles 200

Needs a database filled by `bench.generate` (1,000,000 problems in docs/performance.md). One
cycle is five actions through the real `do_*` functions, each its own transaction, by a
county's office (`bench_rec_…`) and the handler of one of its departments (`bench_unit_…`):
create, assign, sign, submit the rectification, verify it (closed). "kept" is the code as it
runs; "without" replaces `record_change` in the actions by a no-op (the rollups are not
kept: what an action costs without them). The two modes alternate in blocks of cycles, so a
drift of the machine falls on both; the upkeep is 1 − without ÷ kept. The problems stay in
the database; the cycles of the "without" mode leave the rollups behind, so run
`manage.py rebuild_rollups` afterwards if the database is used for other benchmarks.
Nothing is asserted: see docs/performance.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from typing import Any

from bench import setup_django
from bench.cycles import alternate

ACTIONS = ("create", "assign", "sign", "submit", "verify")


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.upkeep", description=__doc__)
    parser.add_argument("--cycles", type=int, default=200, help="cycles per mode")
    parser.add_argument("--block", type=int, default=20, help="cycles before switching mode")
    parser.add_argument("--warmup", type=int, default=10, help="untimed cycles first")
    parser.add_argument("--county", default="350303", help="the county's code")
    return parser.parse_args(argv)


def cast(code: str) -> tuple[Any, Any, Any, Any, Any]:
    from ducha.accounts.models import User
    from ducha.orgs.models import Org
    from ducha.problems.models import FocusArea

    office_user = User.objects.get(username=f"bench_rec_{code}")
    handler = User.objects.get(username=f"bench_unit_{code}")
    unit = Org.objects.get(memberships__user=handler)
    county = Org.objects.get(memberships__user=office_user).parent
    area = FocusArea.objects.filter(active=True).order_by("pk").first()
    return office_user, handler, county, unit, area


def cycle(people: tuple[Any, ...], title: str, spent: dict[str, list[float]]) -> None:
    from ducha.problems import actions
    from ducha.problems.receipt import do_sign

    office_user, handler, county, unit, area = people
    marks = [time.perf_counter()]
    problem = actions.do_create_problem(
        acting_user=office_user, title=title, region=county, focus_area=area
    )
    marks.append(time.perf_counter())
    problem = actions.do_assign(problem, acting_user=office_user, responsible_org=unit)
    marks.append(time.perf_counter())
    problem = do_sign(problem, acting_user=handler)
    marks.append(time.perf_counter())
    problem = actions.do_submit_rectification(problem, acting_user=handler, text="已整改到位")
    marks.append(time.perf_counter())
    actions.do_verify(problem, acting_user=office_user, accept=True)
    marks.append(time.perf_counter())
    for action, began, ended in zip(ACTIONS, marks[:-1], marks[1:], strict=True):
        spent[action].append(ended - began)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()
    from django.db import connection

    from ducha.problems import actions

    keep = actions.record_change

    def without(before: Any, after: Any) -> None:
        return None

    def switch(mode: str) -> None:
        # Every action of the loop keeps the rollups through this one name (`actions._record`).
        actions.record_change = keep if mode == "kept" else without

    people = cast(args.county)
    print(f"{connection.vendor} {connection.settings_dict['NAME']}; as {people[0].username}")
    try:
        spent = alternate(
            args, people, "维护基准", ("kept", "without"), switch, run=cycle, actions=ACTIONS
        )
    finally:
        switch("kept")
    print(f"{'action':<8} {'kept ms':>9} {'without ms':>11} {'upkeep':>7}   (medians)")
    kept_sum = without_sum = 0.0
    for action in ACTIONS:
        kept = statistics.median(spent["kept"][action]) * 1000
        bare = statistics.median(spent["without"][action]) * 1000
        kept_sum, without_sum = kept_sum + kept, without_sum + bare
        print(f"{action:<8} {kept:>9.2f} {bare:>11.2f} {1 - bare / kept:>7.0%}")
    print(f"{'cycle':<8} {kept_sum:>9.2f} {without_sum:>11.2f} {1 - without_sum / kept_sum:>7.0%}")


if __name__ == "__main__":
    main()
