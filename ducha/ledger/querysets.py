"""Who sees which import batch. Fail-closed: nothing for a user without a grant or a batch."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from ducha.core.scope import grants_for
from ducha.orgs.querysets import NOTHING


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ImportBatchQuerySet:
        """The user's own batches, and for office staff those uploaded in their jurisdiction."""
        from ducha.ledger.choices import BATCH_READER_ROLES

        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.filter(NOTHING)
        condition = Q(uploaded_by_id=user.pk)
        for grant in grants_for(user):
            if grant.role in BATCH_READER_ROLES and grant.region_path:
                condition |= Q(region__path__startswith=grant.region_path)
        return self.filter(condition)
