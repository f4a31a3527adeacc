"""The loop's three lightest actions, timed in two modes that alternate: what the chain and
notification benches (bench/chains.py, bench/notices.py) have in common.

One cycle is create, assign, urge through the real `do_*` functions, each its own
transaction, by the demo office that recorded the first assigned problem, on a problem of its
region and focus area, assigned to the same unit. The modes alternate in blocks of cycles, so
a drift of the machine falls on both.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

ACTIONS = ("create", "assign", "urge")

Cast = tuple[Any, Any, Any, Any]
Spent = dict[str, list[float]]


def parser(prog: str, description: str | None) -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(prog=prog, description=description)
    found.add_argument("--cycles", type=int, default=300, help="create+assign+urge per mode")
    found.add_argument("--block", type=int, default=25, help="cycles before switching mode")
    found.add_argument("--warmup", type=int, default=20, help="untimed cycles first")
    return found


def demo_cast() -> Cast:
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


def cycle(cast: Cast, title: str, spent: Spent) -> None:
    from django.utils import timezone

    from ducha.problems import actions

    user, region, area, unit = cast
    start = time.perf_counter()
    problem = actions.do_create_problem(
        acting_user=user, title=title, region=region, focus_area=area
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


def alternate(
    args: argparse.Namespace,
    cast: Any,
    title: str,
    modes: Sequence[str],
    switch: Callable[[str], None],
    *,
    run: Callable[[Any, str, Spent], None] = cycle,
    actions: Sequence[str] = ACTIONS,
) -> dict[str, Spent]:
    """Warm up, then run `args.cycles` cycles in each mode; `switch(mode)` sets a mode.
    `run(cast, title, spent)` is one cycle, timing each of `actions` into `spent`."""
    spent: dict[str, Spent] = {mode: {action: [] for action in actions} for mode in modes}
    n = 0
    for _ in range(args.warmup):
        n += 1
        run(cast, f"{title} {n}", {action: [] for action in actions})
    done = 0
    while done < args.cycles:
        block = min(args.block, args.cycles - done)
        for mode in modes:
            switch(mode)
            for _ in range(block):
                n += 1
                run(cast, f"{title} {n}", spent[mode])
        done += block
    return spent


def print_medians(spent: dict[str, Spent], base: str, other: str) -> None:
    """Each action's median in both modes and their ratio, then the whole cycle's."""
    print(f"{'action':<8} {base + ' ms':>11} {other + ' ms':>11} {'ratio':>6}   (medians)")
    totals = []
    for action in ACTIONS:
        first = statistics.median(spent[base][action]) * 1000
        second = statistics.median(spent[other][action]) * 1000
        totals.append((first, second))
        print(f"{action:<8} {first:>11.2f} {second:>11.2f} {second / first:>6.2f}")
    first = sum(f for f, _ in totals)
    second = sum(s for _, s in totals)
    print(f"{'cycle':<8} {first:>11.2f} {second:>11.2f} {second / first:>6.2f}")
