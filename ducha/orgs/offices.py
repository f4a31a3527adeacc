"""The office a user acts for about a region (a referral, a sweep): written once here."""

from __future__ import annotations

from typing import Any

from ducha.accounts.choices import OFFICE_ROLES
from ducha.core.scope import grants_for
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org


def nearest_office(user: Any, region: Org) -> Org | None:
    """Of the offices whose staff the user is and whose jurisdiction holds the region, the
    nearest one; None when the user is staff of no such office."""
    found = [
        grant
        for grant in grants_for(user)
        if grant.role in OFFICE_ROLES
        and grant.region_path
        and region.path.startswith(grant.region_path)
    ]
    if not found:
        return None
    nearest = max(found, key=lambda grant: len(grant.region_path))
    return Org.objects.filter(pk=nearest.org_id, kind=OrgKind.OFFICE).first()
