"""Single import batches come only through here: 404 for missing and not yours alike,
403 when the batch is visible (an office reading it) but only its uploader may act."""

from __future__ import annotations

from typing import Any

from ducha.core.scoping import VIEW, access
from ducha.ledger.models import ImportBatch


def access_import_batch(user: Any, batch_id: Any, action: str = VIEW) -> ImportBatch:
    return access(ImportBatch, user, batch_id, action).obj
