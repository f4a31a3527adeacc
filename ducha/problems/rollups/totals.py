"""A region's totals read from its rollup row: a list's stats line without counting rows.

The row (dimension "all") holds the sum of every problem located in the region, kept in the
transaction of each action that changes one, so it equals a count of those problems at any
moment a reader can see (`tests/api/test_list_stats.py` compares the two for every persona).
"""

from __future__ import annotations

from django.db import connections

from ducha.problems.choices import State
from ducha.problems.rollups.choices import Dim
from ducha.problems.rollups.models import RollupCell

# The measures named like the states they count, and the total.
TOTALS = ("found", *(state.value for state in State))


# Written out once (double quotes name a column on both databases): no ORM to build or
# compile on each list request.
_COLUMNS = ", ".join(f'"{name}"' for name in TOTALS)
_STATEMENT = (
    f"SELECT {_COLUMNS} "
    f'FROM "{RollupCell._meta.db_table}" WHERE scope_level = %s AND scope_id = %s '
    f'AND dim = {int(Dim.ALL)} AND "key" = 0'
)


def region_totals(using: str, level: int, region_id: int) -> dict[str, int]:
    """The problems located in a region: how many in all and in each state."""
    with connections[using].cursor() as cursor:
        cursor.execute(_STATEMENT, [level, region_id])
        row = cursor.fetchone()
    # A region where nothing was ever recorded has no row.
    return dict(zip(TOTALS, row or (0,) * len(TOTALS), strict=True))
