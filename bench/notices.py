"""The price of notifications: problem actions with the hand-over on and off, and how fast
the worker makes notifications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench_notices \\
        .venv/bin/python -m bench.notices --cycles 300

Needs a migrated database with the demo loaded (`manage.py load_demo`). One cycle is three
actions through the real `do_*` functions, each its own transaction: create, assign, urge,
by the demo office that assigned the first problem, to the same unit. "off" runs with
DUCHA_NOTIFICATIONS off (the hand-over registered on commit returns at once); "on" is the
code as it runs: after commit, each event is put on the publishing thread's queue, which
hands it to the broker
(`.delay()`, the broker of the environment; the default file queue is pointed at a temporary
folder here, so nothing reaches a real worker). `DUCHA_NOTIFY_PUBLISH_IN_BACKGROUND=0`
measures the action publishing itself.
The two modes alternate in blocks of cycles, so a drift of the machine falls on both.

Then the worker's side: every event of the "on" cycles is made into notifications by the
function the worker runs (`notify_event`), timed in a row; the rate is reported in events
and notifications per second. Nothing is asserted: see docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from bench import setup_django

ACTIONS = ("create", "assign", "urge")


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.notices", description=__doc__)
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
        acting_user=user, title=f"通知基准问题 {n}", region=region, focus_area=area
    )
    created = time.perf_counter()
    problem = actions.do_assign(
        problem, acting_user=user, responsible_org=unit, deadline=timezone.now() + timedelta(7)
    )
    assigned = time.perf_counter()
    actions.do_urge(problem, acting_user=user, comment="请抓紧整改")
    urged = time.perf_counter()
    spent["create"].append(created - start)
    spent["assign"].append(assigned - created)
    spent["urge"].append(urged - assigned)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    # The hand-over goes to a file queue of its own that no worker reads (unless the
    # environment names a broker: then that broker's publish is what is measured).
    os.environ.setdefault("DUCHA_CELERY_QUEUE_DIR", tempfile.mkdtemp(prefix="ducha-bench-"))
    setup_django()
    from django.conf import settings
    from django.db import connection

    from ducha.notices import publisher
    from ducha.notices.models import Notification
    from ducha.problems import notifying
    from ducha.problems.models import ProblemEvent

    cast = _cast()
    spent: dict[str, dict[str, list[float]]] = {
        mode: {action: [] for action in ACTIONS} for mode in ("off", "on")
    }
    print(f"{connection.vendor}, broker {settings.CELERY_BROKER_URL}")
    n = 0
    for _ in range(args.warmup):
        n += 1
        _cycle(cast, n, {action: [] for action in ACTIONS})
    first_event = ProblemEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    done = 0
    while done < args.cycles:
        for mode in ("off", "on"):
            settings.DUCHA_NOTIFICATIONS = mode == "on"
            for _ in range(min(args.block, args.cycles - done)):
                n += 1
                _cycle(cast, n, spent[mode])
        done += min(args.block, args.cycles - done)
    settings.DUCHA_NOTIFICATIONS = True
    publisher.drain(60)

    print(f"{'action':<8} {'off ms':>8} {'on ms':>8} {'ratio':>6}   (medians)")
    totals = {}
    for action in ACTIONS:
        off = statistics.median(spent["off"][action]) * 1000
        on = statistics.median(spent["on"][action]) * 1000
        totals[action] = (off, on)
        print(f"{action:<8} {off:>8.2f} {on:>8.2f} {on / off:>6.2f}")
    off = sum(o for o, _ in totals.values())
    on = sum(o for _, o in totals.values())
    print(f"{'cycle':<8} {off:>8.2f} {on:>8.2f} {on / off:>6.2f}")

    # The worker's side: every event of the timed cycles, as the worker would take them.
    events = list(
        ProblemEvent.objects.filter(pk__gt=first_event, action__in=notifying.NOTIFIED_ACTIONS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    before = Notification.objects.count()
    start = time.perf_counter()
    for event_id in events:
        notifying.notify_event(event_id)
    took = time.perf_counter() - start
    made = Notification.objects.count() - before
    print(
        f"worker: {len(events)} events → {made} notifications in {took:.2f} s: "
        f"{len(events) / took:,.0f} events/s, {made / took:,.0f} notifications/s"
    )


if __name__ == "__main__":
    main()
