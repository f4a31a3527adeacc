"""Rollup tables: small, always true summaries of the problems, kept current by the actions.

Every row is the sum of the contributions of the problems in its scope (see `cells.py`).
Actions add the difference between a problem's contributions after and before the change in
the same transaction, so the rows never drift from the problems or from their event log;
`manage.py rebuild_rollups` recomputes them and `--check` compares (docs/decisions/0007).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from ducha.problems.rollups.choices import Dim, Grain

# Scope level 0 is the whole country (scope id 0); 1–5 are the region levels.


class RollupCell(models.Model):
    """Counts of the problems of one scope, overall or by one dimension value."""

    pk = models.CompositePrimaryKey("scope_level", "scope_id", "dim", "key")
    scope_level = models.PositiveSmallIntegerField()
    scope_id = models.BigIntegerField()
    dim = models.PositiveSmallIntegerField(choices=Dim.choices)
    key = models.BigIntegerField()
    found = models.BigIntegerField(default=0)
    closed = models.BigIntegerField(default=0)
    closed_late = models.BigIntegerField(default=0)
    # Whole seconds from discovery to closing, summed: the average time to close.
    close_seconds = models.BigIntegerField(default=0)
    open = models.BigIntegerField(default=0)
    new = models.BigIntegerField(default=0)
    assigned = models.BigIntegerField(default=0)
    disputed = models.BigIntegerField(default=0)
    rectified = models.BigIntegerField(default=0)
    urgent = models.BigIntegerField(default=0)
    common = models.BigIntegerField(default=0)
    on_the_spot = models.BigIntegerField(default=0)
    # Problems that came back: reopened after closing, or found again at the same site.
    recurrences = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            # Top lists are read from the head of these, in exactly the order shown (ties
            # broken by found, then key), without sorting the rows of every unit or site.
            models.Index(
                "scope_level",
                "scope_id",
                F("open").desc(),
                F("found").desc(),
                "key",
                name="rollup_unit_top",
                condition=Q(dim=Dim.UNIT),
            ),
            models.Index(
                "scope_level",
                "scope_id",
                "dim",
                F("recurrences").desc(),
                F("found").desc(),
                "key",
                name="rollup_recurrence_top",
                condition=Q(recurrences__gt=0),
            ),
            models.Index(
                "scope_level",
                "scope_id",
                F("found").desc(),
                "key",
                name="rollup_team_top",
                condition=Q(dim=Dim.TEAM),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(open=F("new") + F("assigned") + F("disputed") + F("rectified")),
                name="rollup_open_is_sum_of_states",
            ),
            models.CheckConstraint(
                condition=Q(found=F("closed") + F("open")) | ~Q(dim__lte=Dim.SITE),
                name="rollup_found_is_closed_plus_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope_level}/{self.scope_id} {self.get_dim_display()} {self.key}"


class DueCell(models.Model):
    """Open problems whose deadline (or yellow light) falls in one day or hour of a scope.

    Lights change with the clock, not with actions: counting the buckets before now, plus the
    few problems whose moment came within the current hour, gives the exact red and yellow
    counts at any moment without a counter that would need the clock to update it.
    """

    pk = models.CompositePrimaryKey("scope_level", "scope_id", "dim", "key", "grain", "bucket")
    scope_level = models.PositiveSmallIntegerField()
    scope_id = models.BigIntegerField()
    dim = models.PositiveSmallIntegerField(choices=Dim.choices)
    key = models.BigIntegerField()
    grain = models.PositiveSmallIntegerField(choices=Grain.choices)
    bucket = models.BigIntegerField()
    due = models.BigIntegerField(default=0)  # deadlines falling in the bucket
    yellow = models.BigIntegerField(default=0)  # lights turning yellow in the bucket

    def __str__(self) -> str:
        return (
            f"{self.scope_level}/{self.scope_id} {self.get_dim_display()} {self.key} {self.bucket}"
        )


class HourHorizon(models.Model):
    """The last local day whose hour buckets (`DueCell`, grain hour) are kept; one row.

    Hour buckets are read only for today's hours, so they are kept only for the moments
    from today to this day: `horizon.advance` counts in each new day from the problems
    before it comes, and the day-before buckets left behind are pruned (decision 0023).
    """

    last_day = models.BigIntegerField()  # local day number, days since 1970-01-01

    def __str__(self) -> str:
        return str(self.last_day)
