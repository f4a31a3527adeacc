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

import time
from collections.abc import Sequence
from typing import Any

from bench import setup_django
from bench.cycles import alternate, demo_cast, parser, print_medians


def main(argv: Sequence[str] | None = None) -> None:
    args = parser("python -m bench.chains", __doc__).parse_args(argv)
    setup_django()
    from django.db import connection

    from ducha.core import chains
    from ducha.core.chain_check import verify

    sealing = chains.seal

    def plain_seal(model: Any, objects: Any, using: str) -> None:
        return None

    def switch(mode: str) -> None:
        chains.seal = plain_seal if mode == "plain" else sealing

    print(f"{connection.vendor}, {chains.algorithm()}, {chains.shard_count()} shards")
    try:
        spent = alternate(args, demo_cast(), "基准测试问题", ("plain", "chained"), switch)
    finally:
        chains.seal = sealing
    print_medians(spent, "plain", "chained")

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
