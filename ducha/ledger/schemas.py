"""The ledger API's shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from ducha.core.schemas import Ref, ref
from ducha.ledger import presenters
from ducha.ledger.choices import BatchState
from ducha.ledger.models import ImportBatch


class ProgressOut(Schema):
    done: int
    total: int = Field(..., description="0 while the number of rows is not known yet.")


class RowErrorOut(Schema):
    row: int = Field(..., description="The row number as Excel shows it.")
    column: str
    column_label: str
    code: str
    message: str


class FailureOut(Schema):
    code: str
    message: str


class ImportedOut(Schema):
    row: int
    problem: Ref


class ImportedEnterpriseOut(Schema):
    row: int
    enterprise: Ref
    created: bool = Field(..., description="False when the row updated an existing one.")


class BatchUrls(Schema):
    page: str
    file: str


class BatchOut(Schema):
    id: int
    kind: str = Field(..., description="problems or enterprises: what the rows become.")
    state: str
    state_label: str
    original_name: str
    size: int
    sha256: str
    sheet: str
    uploaded_by: Ref
    uploaded_at: datetime
    region: Ref | None
    rows_total: int
    rows_valid: int
    rows_invalid: int
    progress: ProgressOut
    errors: list[RowErrorOut]
    failure: FailureOut | None
    confirmed_by: Ref | None
    confirmed_at: datetime | None
    finished_at: datetime | None
    imported: list[ImportedOut]
    enterprises: list[ImportedEnterpriseOut]
    urls: BatchUrls


class BatchItem(Schema):
    id: int
    kind: str
    state: str
    state_label: str
    original_name: str
    uploaded_by: Ref
    uploaded_at: datetime
    rows_total: int
    rows_valid: int
    rows_invalid: int


class BatchList(Schema):
    count: int
    items: list[BatchItem]


def batch_item(batch: ImportBatch) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "kind": batch.kind,
        "state": batch.state,
        "state_label": str(BatchState(batch.state).label),
        "original_name": batch.original_name,
        "uploaded_by": ref(batch.uploaded_by),
        "uploaded_at": batch.uploaded_at,
        "rows_total": batch.rows_total,
        "rows_valid": batch.rows_valid,
        "rows_invalid": batch.rows_invalid,
    }


def batch_data(batch: ImportBatch) -> dict[str, Any]:
    return {
        **batch_item(batch),
        "size": batch.size,
        "sha256": batch.sha256,
        "sheet": batch.sheet,
        "region": ref(batch.region),
        "progress": presenters.progress(batch),
        "errors": presenters.row_errors(batch),
        "failure": presenters.failure(batch),
        "confirmed_by": ref(batch.confirmed_by),
        "confirmed_at": batch.confirmed_at,
        "finished_at": batch.finished_at,
        "imported": [
            {"row": item.row, "problem": ref(item.problem)}
            for item in presenters.imported_problems(batch)
        ],
        "enterprises": [
            {"row": item.row, "enterprise": ref(item.enterprise), "created": item.created}
            for item in presenters.imported_enterprises(batch)
        ],
        "urls": {
            "page": reverse("ledger:batch", args=[batch.pk]),
            "file": reverse("ledger:batch_file", args=[batch.pk]),
        },
    }
