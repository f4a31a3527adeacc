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

import os
import tempfile
import time
from collections.abc import Sequence

from bench import setup_django
from bench.cycles import alternate, demo_cast, parser, print_medians


def main(argv: Sequence[str] | None = None) -> None:
    args = parser("python -m bench.notices", __doc__).parse_args(argv)
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

    def switch(mode: str) -> None:
        settings.DUCHA_NOTIFICATIONS = mode == "on"

    print(f"{connection.vendor}, broker {settings.CELERY_BROKER_URL}")
    first_event = ProblemEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        spent = alternate(args, demo_cast(), "通知基准问题", ("off", "on"), switch)
    finally:
        settings.DUCHA_NOTIFICATIONS = True
    publisher.drain(60)
    print_medians(spent, "off", "on")

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
