"""`manage.py flush` (and every test that empties the database) on append-only tables.

Django's flush empties SQLite with DELETE, which the append-only triggers refuse (PostgreSQL
uses TRUNCATE, which they let pass). Emptying the whole database is not an edit of the
record, so on SQLite the flush's SQL runs with the DELETE triggers set aside inside its own
transaction; they are back before it commits (see ducha/core/append_only.py, decision 0014).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.management.commands import flush
from django.db import connections

from ducha.core.append_only import lifted_for_flush


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        ops = connection.ops
        execute = ops.execute_sql_flush

        def execute_lifted(sql_list: Iterable[str]) -> None:
            with lifted_for_flush(connection):
                execute(sql_list)

        # Only this command's own call is wrapped: the prompt and post_migrate run outside.
        ops.execute_sql_flush = execute_lifted  # type: ignore[method-assign]
        try:
            super().handle(**options)
        finally:
            del ops.execute_sql_flush
