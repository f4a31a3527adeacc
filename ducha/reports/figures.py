"""The numbers of a dashboard, as either source computes them (rollups or the problems)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

from ducha.problems.querysets import rate
from ducha.reports.names import Names


@dataclass(slots=True)
class Counts:
    """Found, rectified, open, lights… of one scope or one line of a breakdown. Its first
    fields are the measures of a rollup row (`cells.MEASURES`), in their order."""

    found: int = 0
    closed: int = 0
    closed_late: int = 0
    close_seconds: int = 0
    open: int = 0
    new: int = 0
    assigned: int = 0
    disputed: int = 0
    rectified: int = 0  # the state "awaiting verification", not the rectified count
    urgent: int = 0
    common: int = 0
    on_the_spot: int = 0
    recurrences: int = 0
    # Lights of the clocked problems at the moment the figures were taken (a disputed
    # problem has none: it is counted in `disputed`, neither green, yellow nor red).
    red: int = 0
    yellow: int = 0

    def values(self) -> tuple[int, ...]:
        """Every field, in their order."""
        return _VALUES(self)

    @property
    def rate(self) -> str:
        """整改率: rectified (closed) ÷ found, as in the statistics sentence."""
        return rate(self.closed, self.found)

    @property
    def overdue(self) -> int:
        return self.red

    @property
    def green(self) -> int:
        return self.open - self.disputed - self.yellow - self.red

    @property
    def average_hours(self) -> Decimal | None:
        """Average time from discovery to closing, in hours with one decimal."""
        if not self.closed:
            return None
        hours = Decimal(self.close_seconds) / Decimal(self.closed) / Decimal(3600)
        return hours.quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def on_time_rate(self) -> str:
        """Closed by the deadline ÷ closed."""
        return rate(self.closed - self.closed_late, self.closed)


_VALUES = attrgetter(*(f.name for f in fields(Counts)))


@dataclass
class Spec:
    """What to compute: the breakdown sizes, the trend's days and the moment."""

    first_day: int  # local day numbers (cells.local_day), both ends included
    last_day: int
    top: int = 20
    repeats_top: int = 10
    # (level, id) of the child regions; None lets the source find them in the problems.
    children: list[tuple[int, int]] | None = None


@dataclass
class Figures:
    totals: Counts
    children: dict[int, Counts]
    focus_areas: dict[int, Counts]
    teams: list[tuple[int, Counts]]  # the busiest, most problems found first
    units: list[tuple[int, Counts]]  # the most open problems first
    trend: dict[int, tuple[int, int]]  # day number → (found, closed)
    p90_hours: int | None
    repeat_sites: list[tuple[int, Counts]] = field(default_factory=list)
    repeat_units: list[tuple[int, Counts]] = field(default_factory=list)
    # Names of what the lines show, when the source read them with its figures.
    names: Names | None = field(default=None, compare=False)


def nearest_rank(total: int, share: Decimal = Decimal("0.9")) -> int:
    """The rank of the 90th percentile among `total` values (nearest-rank method)."""
    return int((Decimal(total) * share).to_integral_value(rounding="ROUND_CEILING"))
