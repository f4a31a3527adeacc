"""Which check a ledger file goes through: by the kind of its batch (problems or enterprises)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ducha.ledger.choices import BatchKind
from ducha.ledger.columns import PROBLEM_COLUMNS, ColumnSet
from ducha.ledger.enterprises import ENTERPRISE_COLUMNS, check_enterprise_rows
from ducha.ledger.validation import CheckOutcome, SheetRows, read_rows
from ducha.ledger.validation import check_rows as check_problem_rows


def columns_of(kind: str) -> ColumnSet:
    return ENTERPRISE_COLUMNS if kind == BatchKind.ENTERPRISES else PROBLEM_COLUMNS


def check_file(
    user: Any,
    data: bytes,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
    *,
    kind: str = BatchKind.PROBLEMS,
) -> CheckOutcome:
    """Every row of the file checked for `user`. Raises FileRefused for a bad file."""
    return check_rows(user, read_rows(data, progress, columns_of(kind)), now, kind=kind)


def check_rows(
    user: Any,
    read: SheetRows,
    now: datetime | None = None,
    *,
    kind: str = BatchKind.PROBLEMS,
    batch: Any = None,
) -> CheckOutcome:
    """Every row read from a file checked for `user`, against the data as it is now; at
    import, the problems `batch` itself recorded already are not counted as recorded before."""
    if kind == BatchKind.ENTERPRISES:
        return check_enterprise_rows(user, read)
    return check_problem_rows(user, read, now, batch=batch)
