"""Fill a dedicated, migrated database with a synthetic national tree and N problems.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench \\
        .venv/bin/python -m bench.generate --problems 1000000 --seed 1

The tree defaults to China's scale (34 provinces, 330 cities, 2,800 counties, 40,000
towns); villages are off by default to keep generation quick. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence

from bench import setup_django


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--problems", type=int, required=True, help="how many problems")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=365, help="span of discovery dates")
    parser.add_argument(
        "--events",
        choices=["full", "create", "none"],
        default="full",
        help="full: each problem's whole event chain; create: only its create event",
    )
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--cities", type=int, default=330)
    parser.add_argument("--counties", type=int, default=2800)
    parser.add_argument("--towns", type=int, default=40000)
    parser.add_argument("--villages", type=int, default=0)
    parser.add_argument("--chunk", type=int, default=20000, help="problems per COPY batch")
    parser.add_argument(
        "--wipe",
        action="store_true",
        help="empty the tree and problem tables first (only in a database named *bench*)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()

    from django.db import connection, transaction
    from django.utils import timezone

    from bench.rows import Loader, analyze, reset_sequences
    from bench.synth import EVENT_COLUMNS, PROBLEM_COLUMNS, EventSealer, ProblemSynth
    from bench.tree import TreeBuilder, TreeSize, models_written
    from ducha.orgs.models import Org
    from ducha.problems.models import FocusArea, Problem, ProblemEvent

    began = time.perf_counter()
    database = str(connection.settings_dict["NAME"])
    if Org.objects.exists() or Problem.objects.exists():
        if not args.wipe:
            raise SystemExit(f"{database} already holds orgs or problems; pass --wipe to empty it.")
        wipe(database)
    rng = random.Random(args.seed)
    size = TreeSize(args.provinces, args.cities, args.counties, args.towns, args.villages)
    print(f"database: {connection.vendor} {database}")

    step = time.perf_counter()
    builder = TreeBuilder(size, rng)
    tree = builder.build()
    # The tree commits on its own: PostgreSQL refuses to drop the problem table's foreign
    # keys (below) while inserts into the tables they reference still await their checks.
    with transaction.atomic():
        counts = builder.save()
        reset_sequences(list(models_written()))
    print(f"tree: {counts} in {time.perf_counter() - step:.1f} s")

    step = time.perf_counter()
    focus_areas = list(FocusArea.objects.filter(active=True))
    synth = ProblemSynth(
        tree,
        focus_areas,
        rng,
        timezone.now().replace(microsecond=0),
        args.days,
        first_problem_id=builder.ids.take(Problem),
        first_event_id=builder.ids.take(ProblemEvent),
        events=args.events,
        texts=random.Random(f"texts-{args.seed}"),
    )
    loader = Loader()
    written = events = 0
    with transaction.atomic(), loader.bulk_mode([Problem, ProblemEvent]):
        sealer = EventSealer()
        for chunk in synth.chunks(args.problems, args.chunk):
            loader.write(Problem, PROBLEM_COLUMNS, chunk.problems)
            loader.write(ProblemEvent, EVENT_COLUMNS, sealer.seal(chunk.events))
            written += len(chunk.problems)
            events += len(chunk.events)
            if written % (args.chunk * 10) == 0 or written == args.problems:
                rate = written / (time.perf_counter() - step)
                print(f"  {written:,} problems, {events:,} events ({rate:,.0f} problems/s)")
        sealer.write_heads()
        print(f"loaded in {time.perf_counter() - step:.1f} s; rebuilding indexes and keys")
    reset_sequences([Problem, ProblemEvent])
    print(f"problems and events: {time.perf_counter() - step:.1f} s")

    step = time.perf_counter()
    from ducha.problems.rollups.models import DueCell, RollupCell
    from ducha.problems.rollups.rebuild import advance_horizon, rebuild

    # The dashboards' rollups, counted from the problems as `manage.py rebuild_rollups` does.
    rebuild()
    advance_horizon()  # today's and the coming day's hour buckets, as the scheduler keeps them
    print(f"rollups: {time.perf_counter() - step:.1f} s")

    step = time.perf_counter()
    analyze([*models_written(), Problem, ProblemEvent, RollupCell, DueCell])
    print(f"vacuum/analyze: {time.perf_counter() - step:.1f} s")
    for model in (Org, Problem, ProblemEvent):
        print(f"  {model._meta.db_table}: {model._default_manager.count():,} rows")
    print(f"total: {time.perf_counter() - began:.1f} s")


def wipe(database: str) -> None:
    """Empty what the generator writes; refused outside a database meant for benchmarks."""
    from django.db import connection, models, transaction

    from bench.tree import models_written
    from ducha.accounts.models import ApiToken
    from ducha.orgs.models import Team
    from ducha.problems.models import Problem, ProblemEvent
    from ducha.problems.rollups.models import DueCell, RollupCell

    if "bench" not in database:
        raise SystemExit(f"refusing to wipe {database}: its name does not contain 'bench'.")
    written: list[type[models.Model]] = [
        RollupCell,
        DueCell,
        ProblemEvent,
        Problem,
        Team.members.through,
        ApiToken,
        *models_written(),
    ]
    tables = [m._meta.db_table for m in written]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            # Foreign keys are checked at commit, when every referencing row is gone too.
            for table in [*tables, "django_admin_log"]:
                cursor.execute(f'DELETE FROM "{table}"')
    print(f"wiped {database}")


if __name__ == "__main__":
    main()
