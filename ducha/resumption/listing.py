"""The list of the ledger, filtered the same way on the page and over the API, and the
counts of where the listed enterprises stand now (the rates as of a day are the figures')."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from ducha.orgs.choices import LEVEL_FIELDS, OrgKind, RegionLevel
from ducha.orgs.models import Org
from ducha.resumption.choices import Status
from ducha.resumption.models import Enterprise


@dataclass(frozen=True)
class Counts:
    total: int
    supervised: int
    excluded: int
    # Of the supervised, where each stands now.
    not_filed: int
    filed: int
    resumed: int
    stopped: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def in_region(rows: QuerySet[Enterprise], region_id: int) -> QuerySet[Enterprise]:
    """Enterprises located in the region or below it: one equality on its level's column."""
    region = Org.objects.filter(pk=region_id, kind=OrgKind.REGION).first()
    if region is None or region.level is None:
        return rows.none()
    return rows.filter(**{f"{LEVEL_FIELDS[RegionLevel(region.level)]}_id": region.pk})


def filtered(
    rows: QuerySet[Enterprise],
    *,
    kind: str | None = None,
    category: str | None = None,
    area: str | None = None,
    region: int | None = None,
    supervised: bool | None = None,
    q: str | None = None,
) -> QuerySet[Enterprise]:
    """Every filter but the status: the counts are of this set, across the statuses."""
    if kind:
        rows = rows.filter(kind=kind)
    if category:
        rows = rows.filter(category=category)
    if area:
        rows = rows.filter(area=area)
    if region is not None:
        rows = in_region(rows, region)
    if supervised is not None:
        rows = rows.filter(supervised=supervised)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(credit_code=q.strip().upper()))
    return rows


def counts(rows: QuerySet[Enterprise]) -> Counts:
    inside = Q(supervised=True)
    by = {
        "total": Q(),
        "supervised": inside,
        "excluded": ~inside,
        "not_filed": inside & Q(status=Status.REGISTERED),
        "filed": inside & Q(status=Status.FILED),
        "resumed": inside & Q(status=Status.RESUMED),
        "stopped": inside & Q(status=Status.STOPPED),
    }
    # Named apart from the model's fields: an aggregate may not shadow a column.
    found = rows.aggregate(**{f"n_{name}": Count("pk", filter=q) for name, q in by.items()})
    return Counts(**{name: found[f"n_{name}"] for name in by})


def areas(rows: QuerySet[Enterprise], limit: int = 100) -> list[str]:
    """The areas (片区, 园区) the reader's enterprises name, for the filter's choices."""
    names = rows.exclude(area="").order_by("area").values_list("area", flat=True).distinct()
    return list(names[:limit])


def with_related(rows: QuerySet[Enterprise]) -> Any:
    return rows.select_related("region", "supervisor").order_by("name", "pk")
