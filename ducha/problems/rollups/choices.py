"""What the rollup tables are keyed by."""

from django.db import models


class Dim(models.IntegerChoices):
    """What a rollup row counts by within its scope; `key` is the value of that dimension."""

    ALL = 0, "all"  # the scope as a whole (key 0); kept for every level, villages included
    FOCUS_AREA = 2, "focus area"
    TEAM = 3, "team"  # key 0: recorded without a team
    UNIT = 4, "responsible unit"  # key 0: not assigned (yet)
    SITE = 5, "site"
    FOUND_DAY = 6, "day found"  # key: local day number (days since 1970-01-01)
    CLOSED_DAY = 7, "day closed"
    CLOSE_HOURS = 8, "hours to close"  # key: time to close in whole hours, rounded up


class Grain(models.IntegerChoices):
    """How wide a deadline bucket is: whole local days, or local hours."""

    DAY = 0, "day"
    HOUR = 1, "hour"


# Scopes below these levels are small: their dashboards are counted from the problems.
DETAIL_LEVELS = (0, 1, 2, 3)  # the country, provinces, cities, counties
BREAKDOWN_DIMS = (Dim.FOCUS_AREA, Dim.TEAM, Dim.UNIT, Dim.SITE)
DUE_DIMS = (Dim.ALL, Dim.FOCUS_AREA, Dim.TEAM, Dim.UNIT)
