"""Reading the materialised path: the regions above an org, and the units near a region.

Here, below the problems app, so that the lookup API can narrow units the way the problem's
choosers do (ducha.problems.choosers keeps these names for its callers).
"""

from __future__ import annotations

from django.db.models import Q

from ducha.orgs.choices import OrgKind

# Bodies a problem can be handed to (交): departments, state-owned enterprises, command HQs
# and regions (a town's government for what lies in the town).
UNIT_KINDS = (OrgKind.DEPARTMENT, OrgKind.ENTERPRISE, OrgKind.REGION, OrgKind.COMMAND)


def ancestor_ids(path: str) -> list[int]:
    """The ids of a region and of every region above it, from its path."""
    return [int(part) for part in path.strip("/").split("/") if part]


def near(path: str) -> Q:
    """Inside the region with this path (the region itself, its towns, its bureaus), one of
    the regions above it (the town a village belongs to), or a body directly under one of
    those (the city's bureaus, the province's command HQ). A neighbouring county, or a bureau
    of one, is not near."""
    above = ancestor_ids(path)
    return (
        Q(path__startswith=path)
        | Q(pk__in=above)
        | (Q(parent_id__in=above) & ~Q(kind=OrgKind.REGION))
    )


def lies_near(region_path: str, unit: tuple[str, int | None, str]) -> bool:
    """`near` for a row already read: its (path, parent id, kind)."""
    path, parent_id, kind = unit
    if path.startswith(region_path) or region_path.startswith(path):
        return True
    return kind != OrgKind.REGION and parent_id in ancestor_ids(region_path)
