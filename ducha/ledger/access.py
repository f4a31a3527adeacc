"""Single import batches come only through here: 404 for missing and not yours alike,
403 when the batch is visible (an office reading it) but only its uploader may act."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from ducha.ledger.models import ImportBatch

VIEW = "view"
# Confirming or cancelling acts with the uploader's rights, which the report was checked for.
UPLOADER_ACTIONS = frozenset({"confirm", "cancel"})


def access_import_batch(user: Any, batch_id: Any, action: str = VIEW) -> ImportBatch:
    try:
        pk = int(batch_id)
    except (TypeError, ValueError):
        raise Http404 from None
    batch = (
        ImportBatch.objects.visible_to(user)
        .select_related("uploaded_by", "region", "confirmed_by")
        .filter(pk=pk)
        .first()
    )
    if batch is None:
        raise Http404
    if action in UPLOADER_ACTIONS and batch.uploaded_by_id != user.pk:
        raise PermissionDenied(_("Only the person who uploaded this file may decide on it."))
    if action != VIEW and action not in UPLOADER_ACTIONS:
        raise PermissionDenied(_("You may not do this."))
    return batch
