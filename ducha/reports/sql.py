"""Small helpers for the statements the dashboards write out themselves."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections

Statement = tuple[str, list[Any]]

# The database a dashboard reads from: the primary, or its replica when the request may read
# there (ducha.core.replica), chosen once for all of the dashboard's statements.
_reading_on: ContextVar[str] = ContextVar("ducha_dashboard_database", default=DEFAULT_DB_ALIAS)


def reading_connection() -> Any:
    return connections[_reading_on.get()]


@contextmanager
def reading_on(alias: str) -> Iterator[Any]:
    token = _reading_on.set(alias)
    try:
        yield connections[alias]
    finally:
        _reading_on.reset(token)


def q(name: str) -> str:
    # SQLite and PostgreSQL quote identifiers alike.
    return f'"{name}"'


def ints(values: Iterable[Any]) -> str:
    """Whole numbers written into the SQL. Binding them would make the driver parse every
    statement for placeholders on each request; ids and day numbers need no escaping."""
    return ", ".join(str(int(value)) for value in sorted(set(values)))


def moment(value: datetime) -> str:
    """A time written into the SQL, as the database stores it (UTC, quoted)."""
    adapted: Any = connection.ops.adapt_datetimefield_value(value)
    text = adapted if isinstance(adapted, str) else adapted.isoformat()
    return "'" + text.replace("'", "") + "'"


def run_batch(statements: list[Statement]) -> list[list[tuple[Any, ...]]]:
    """The rows of each statement. PostgreSQL gets them all in one round trip (the cursor
    binds client-side, so several statements may travel together); SQLite has no round
    trips to save and runs one statement at a time."""
    reading = reading_connection()
    with reading.cursor() as cursor:
        if reading.vendor != "postgresql" or len(statements) == 1:
            results = []
            for sql, params in statements:
                cursor.execute(sql, params or None)
                results.append(cursor.fetchall())
            return results
        # Values are written in (`ints`, `moment`): the batch goes without parameters.
        assert not any(params for _, params in statements)
        cursor.execute("; ".join(sql for sql, _ in statements))
        results = [cursor.fetchall()]
        while cursor.nextset():
            results.append(cursor.fetchall())
        return results
