"""Who sees which import batch: its uploader, and the offices of the region it was uploaded
in (ducha.core.scoping). Fail-closed: nothing for a user without a grant or a batch."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ducha.accounts.choices import Role
from ducha.core.scope import Grant
from ducha.core.scoping import ScopedQuerySet, within
from ducha.ledger.choices import BATCH_ACTION_ROLES


def _uploaded_here(grant: Grant) -> Q:
    return within(grant.region_path, "region__")


class ImportBatchQuerySet(ScopedQuerySet):
    action_roles = BATCH_ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: _uploaded_here,
    }
    owner_field = "uploaded_by_id"
    access_related = ("uploaded_by", "region", "confirmed_by")
    refusal = gettext_lazy("Only the person who uploaded this file may decide on it.")
