"""Rebuild the deadline buckets (DueCell) so that disputed problems are due nowhere.

Until now a problem whose dispute awaited the office kept its deadline and yellow moment in
the buckets, and so counted red or yellow on every dashboard. From this version only the
states whose clock runs (new, assigned, awaiting verification) count
(docs/decisions/0018-dispute-clock.md). The rows are recomputed here from the problems with
the historical models alone, the same way `cells._parts` keys them; the rollup counts
(RollupCell) do not change. `manage.py rebuild_rollups` gives the same rows.
"""

from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

CLOCKED = ("new", "assigned", "rectified")
OPEN = ("new", "assigned", "disputed", "rectified")
EPOCH = date(1970, 1, 1)
DETAIL_LEVELS = (0, 1, 2, 3)
DIM_ALL, DIM_FOCUS, DIM_TEAM, DIM_UNIT = 0, 2, 3, 4
DAY, HOUR = 0, 1
BATCH = 5000


def _buckets(moment, zone):
    local = moment.astimezone(zone)
    day = (local.date() - EPOCH).days
    return ((DAY, day), (HOUR, day * 24 + local.hour))


def _rebuild(apps, states):
    Problem = apps.get_model("problems", "Problem")
    DueCell = apps.get_model("reports", "DueCell")
    zone = ZoneInfo(settings.TIME_ZONE)
    counted: Counter = Counter()
    columns = (
        "province_id",
        "city_id",
        "county_id",
        "town_id",
        "village_id",
        "focus_area_id",
        "team_id",
        "responsible_org_id",
        "deadline",
        "yellow_at",
    )
    rows = Problem.objects.filter(state__in=states).order_by().values_list(*columns)
    for *levels, focus, team, unit, deadline, yellow_at in rows.iterator(chunk_size=BATCH):
        scopes = [(0, 0)] + [(i + 1, pk) for i, pk in enumerate(levels) if pk is not None]
        detail = [(DIM_ALL, 0), (DIM_FOCUS, focus), (DIM_TEAM, team or 0), (DIM_UNIT, unit or 0)]
        for index, moment in ((0, deadline), (1, yellow_at)):
            for grain, bucket in _buckets(moment, zone):
                for level, scope in scopes:
                    keys = detail if level in DETAIL_LEVELS else detail[:1]
                    for dim, key in keys:
                        counted[(level, scope, dim, key, grain, bucket, index)] += 1
    due: dict = {}
    for (*key, index), times in counted.items():
        due.setdefault(tuple(key), [0, 0])[index] += times
    DueCell.objects.all().delete()
    cells = (
        DueCell(
            scope_level=level,
            scope_id=scope,
            dim=dim,
            key=key,
            grain=grain,
            bucket=bucket,
            due=values[0],
            yellow=values[1],
        )
        for (level, scope, dim, key, grain, bucket), values in sorted(due.items())
    )
    batch = []
    for cell in cells:
        batch.append(cell)
        if len(batch) == BATCH:
            DueCell.objects.bulk_create(batch)
            batch = []
    DueCell.objects.bulk_create(batch)


def clocked_only(apps, schema_editor):
    _rebuild(apps, CLOCKED)


def every_open_state(apps, schema_editor):
    _rebuild(apps, OPEN)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_rollup_top_list_indexes"),
        ("problems", "0015_clocked_moment_indexes"),
    ]

    operations = [migrations.RunPython(clocked_only, every_open_state)]
