"""`manage.py flush` (and every test that empties the database) on append-only tables.

Django's flush empties SQLite with DELETE, which the append-only triggers refuse (PostgreSQL
uses TRUNCATE, which they let pass). Emptying the whole database is not an edit of the
record, so on SQLite the flush's SQL runs with the DELETE triggers set aside inside its own
transaction; they are back before it commits (see ducha/core/append_only.py, decision 0014).

With `DUCHA_FLUSH_BY_DELETE` (the test settings), PostgreSQL is emptied row by row too, with
triggers (foreign keys, the append-only guards) set aside for the transaction as TRUNCATE
passes them: TRUNCATE makes new files for every table and index, about 3 s for the whole
schema, against 50 ms to delete the few rows a test leaves. Never for a real database, whose
millions of rows TRUNCATE empties at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
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

        sql_flush = ops.sql_flush

        def sql_flush_by_delete(
            style: Any, tables: list[str], *, reset_sequences: bool = False, **kwargs: Any
        ) -> list[str]:
            if reset_sequences or not tables:
                return sql_flush(style, tables, reset_sequences=reset_sequences, **kwargs)
            quoted = [ops.quote_name(table) for table in tables]
            return [
                "SET LOCAL session_replication_role = replica",
                *(f"DELETE FROM {table}" for table in quoted),  # noqa: S608 (model tables)
            ]

        # Only this command's own call is wrapped: the prompt and post_migrate run outside.
        ops.execute_sql_flush = execute_lifted  # type: ignore[method-assign]
        by_delete = connection.vendor == "postgresql" and settings.DUCHA_FLUSH_BY_DELETE
        if by_delete:
            ops.sql_flush = sql_flush_by_delete  # type: ignore[method-assign,assignment]
        try:
            super().handle(**options)
        finally:
            del ops.execute_sql_flush
            if by_delete:
                del ops.sql_flush
