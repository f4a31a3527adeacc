"""An import batch as the pages and the API show it: counts, progress, report, result."""

from __future__ import annotations

from typing import Any

from ducha.ledger.checks import columns_of
from ducha.ledger.choices import BatchState
from ducha.ledger.messages import file_message, row_message
from ducha.ledger.models import ImportBatch, ImportedEnterprise, ImportedProblem


def progress(batch: ImportBatch) -> dict[str, int]:
    """Rows done of rows to do; total 0 while it is not known yet."""
    if batch.state == BatchState.UPLOADED:
        return {"done": batch.progress_done, "total": batch.progress_total}
    if batch.state == BatchState.IMPORTING:
        # Each committed chunk adds its rows to progress_done.
        return {"done": batch.progress_done, "total": batch.rows_valid}
    return {"done": batch.progress_done, "total": batch.progress_total}


def percent(batch: ImportBatch) -> int | None:
    now = progress(batch)
    if not now["total"]:
        return None
    return min(100, now["done"] * 100 // now["total"])


def row_errors(batch: ImportBatch, limit: int | None = None) -> list[dict[str, Any]]:
    errors = batch.errors if limit is None else batch.errors[:limit]
    by_key = columns_of(batch.kind).by_key
    return [
        {
            "row": error["row"],
            "column": error["column"],
            "column_label": str(by_key[error["column"]].label)
            if error["column"] in by_key
            else error["column"],
            "code": error["code"],
            "message": row_message(error["code"], error.get("params")),
        }
        for error in errors
    ]


def failure(batch: ImportBatch) -> dict[str, str] | None:
    found = batch.failure
    if not found:
        return None
    return {"code": found["code"], "message": file_message(found["code"], found.get("params"))}


def imported_problems(batch: ImportBatch) -> list[ImportedProblem]:
    return list(batch.imported.select_related("problem").order_by("row"))


def imported_enterprises(batch: ImportBatch, limit: int | None = None) -> list[ImportedEnterprise]:
    rows = batch.imported_enterprises.select_related("enterprise").order_by("row")
    return list(rows if limit is None else rows[:limit])


def rows_with_errors(batch: ImportBatch) -> int:
    return len({error["row"] for error in batch.errors})
