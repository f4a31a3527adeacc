"""Full-text matching of a model's `search_text`, the one place with each database's SQL.

A searchable model keeps its words in `search_text` (`ducha.core.search.stored_words`). Its
migration adds the index with `fulltext_index_operations` below:
- PostgreSQL: a stored generated column `search_vector` (`to_tsvector('simple', …)`, the
  words are already cut) with a GIN index. Django does not know the column; nothing writes it.
  The index may lead with the table's scope columns (`scope=`, through btree_gin), so that
  "these words in this county" is one index probe instead of the whole country's matches
  ANDed with the county's rows (docs/performance.md, "Full-text search at 1,000,000").
- SQLite: an FTS5 table `<table>_fts` over the same column (external content), kept in step
  by triggers, so every write path, bulk ones included, keeps the index current.
Matching always narrows a queryset that started from `visible_to(user)`: the index only
answers "which rows hold these words", the scope decides which of them the user may see.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.migrations.operations.base import Operation
from django.db.models import BigIntegerField, BooleanField, F, FloatField, QuerySet
from django.db.models.expressions import Col, RawSQL, Value
from django.db.models.functions import Cast
from django.db.models.lookups import Exact
from django.db.models.sql.where import WhereNode

from ducha.core.search import TextQuery

Q = TypeVar("Q", bound=QuerySet[Any])


def _vendor(queryset: QuerySet[Any]) -> str:
    return connections[queryset.db].vendor


def _table(queryset: QuerySet[Any]) -> str:
    return queryset.model._meta.db_table


def _typed(node: WhereNode, connection: Any) -> None:
    """Spell each `bigint_column = <int>` of the conditions as `= (<int>)::bigint`.

    The same test; but PostgreSQL reads a bare integer as `integer`, and btree_gin's operator
    classes have no cross-type `bigint = integer`: without the cast the scope columns of the
    GIN index cannot be used, and the planner falls back to ANDing bitmaps.
    """
    for index, child in enumerate(node.children):
        if isinstance(child, WhereNode):
            _typed(child, connection)
        elif (
            isinstance(child, Exact)
            and isinstance(child.lhs, Col)
            and type(child.rhs) is int
            and child.lhs.output_field.db_type(connection) == "bigint"
        ):
            typed: Any = Exact(child.lhs, Cast(Value(child.rhs), BigIntegerField()))
            node.children[index] = typed


def matching(queryset: Q, query: TextQuery, *, any_word: bool = False, common: bool = False) -> Q:
    """The rows of `queryset` whose text holds every word of the query (or any, for likeness).

    `common`: the caller knows the words match many rows of the scope (more than a search
    counts). PostgreSQL is then kept off the GIN index, which it would otherwise pick when
    it underestimates correlated words (隔离点 and 物资 together: 397 guessed, 4,164 found),
    reading and sorting every match; walking the scope's rows newest first finds a page
    after a few hundred (docs/performance.md, "Full-text search").

    A query `by_characters` holds each of its strings inside the stored words instead
    (`LIKE`, which PostgreSQL answers from the trigram index of `AddTrigramIndex`).
    """
    if query.by_characters:
        for string in query.strings:
            if len(string) >= 3 or _vendor(queryset) != "postgresql":
                queryset = queryset.filter(search_text__contains=string)
            else:
                # Two characters make no trigram: PostgreSQL would read the whole trigram
                # index (5 s at 1,000,000 problems). strpos() keeps it on the scope's rows.
                inside = RawSQL(
                    f'strpos("{_table(queryset)}"."search_text", %s) > 0',
                    [string],
                    output_field=BooleanField(),
                )
                queryset = queryset.filter(inside)
        return queryset
    table = _table(queryset)
    if _vendor(queryset) == "postgresql":
        queryset = queryset.all()  # a clone: its conditions are rewritten, not the caller's
        _typed(queryset.query.where, connections[queryset.db])
        test = f'"{table}"."search_vector" @@ %s::tsquery'
        condition = RawSQL(
            f"COALESCE({test}, false)" if common else test,
            [query.tsquery(any_word=any_word)],
            output_field=BooleanField(),
        )
        return queryset.filter(condition)
    found = RawSQL(
        f'SELECT rowid FROM "{table}_fts" WHERE "{table}_fts" MATCH %s',
        [query.fts5(any_word=any_word)],
    )
    return queryset.filter(pk__in=found)


def matching_or_characters(queryset: Q, query: TextQuery) -> tuple[Q, TextQuery]:
    """`matching`, or when the words match nothing, `matching` by the query's strings; with
    the query that matched (for marking). For lists that do not count their rows anyway: the
    problem list and the search page look at the count they already have."""
    rows = matching(queryset, query)
    if query.by_characters or rows.exists():
        return rows, query
    query = query.characters()
    return matching(queryset, query), query


def ranked(queryset: Q, query: TextQuery, *, any_word: bool = False) -> Q:
    """`matching`, each row annotated with `search_rank` (higher is better), best first."""
    table = _table(queryset)
    rows = matching(queryset, query, any_word=any_word)
    if query.by_characters:
        # Nothing to weigh a string by: the newest first.
        return rows.annotate(search_rank=Value(0.0, output_field=FloatField())).order_by("-pk")
    if _vendor(queryset) == "postgresql":
        rank = RawSQL(
            f'ts_rank("{table}"."search_vector", %s::tsquery)',
            [query.tsquery(any_word=any_word)],
            output_field=FloatField(),
        )
    else:
        # bm25() is lower for better matches and works only inside a MATCH query.
        rank = RawSQL(
            f'(SELECT -bm25("{table}_fts") FROM "{table}_fts" WHERE "{table}_fts" MATCH %s '
            f'AND "{table}_fts".rowid = "{table}"."id")',
            [query.fts5(any_word=any_word)],
            output_field=FloatField(),
        )
    return rows.annotate(search_rank=rank).order_by(F("search_rank").desc(), "-pk")


def index_sql(vendor: str, table: str, scope: Sequence[str] = ()) -> list[str]:
    """The statements that give `table` (with a `search_text` column) its full-text index,
    led on PostgreSQL by the `scope` columns (bigint, e.g. the region levels)."""
    if vendor == "postgresql":
        columns = ", ".join(f'"{column}"' for column in [*scope, "search_vector"])
        return [
            *(["CREATE EXTENSION IF NOT EXISTS btree_gin"] if scope else []),
            f'ALTER TABLE "{table}" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS '
            f"(to_tsvector('simple'::regconfig, \"search_text\")) STORED",
            f'CREATE INDEX "{table}_search" ON "{table}" USING gin ({columns})',
        ]
    if vendor == "sqlite":
        fts = f"{table}_fts"
        return [
            f'CREATE VIRTUAL TABLE "{fts}" USING fts5(search_text, content="{table}", '
            f"content_rowid=\"id\", tokenize='unicode61')",
            f'INSERT INTO "{fts}"(rowid, search_text) SELECT id, search_text FROM "{table}"',
            f'CREATE TRIGGER "{fts}_insert" AFTER INSERT ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text); END',
            f'CREATE TRIGGER "{fts}_delete" AFTER DELETE ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"("{fts}", rowid, search_text) '
            f"VALUES ('delete', old.id, old.search_text); END",
            f'CREATE TRIGGER "{fts}_update" AFTER UPDATE OF search_text ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"("{fts}", rowid, search_text) '
            f"VALUES ('delete', old.id, old.search_text); "
            f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text); END',
        ]
    return []


def trigram_sql(vendor: str, table: str) -> list[str]:
    """The trigram index that answers `LIKE '%string%'` over `search_text` (PostgreSQL)."""
    if vendor != "postgresql":
        return []  # SQLite reads the scope's rows: the embedded default's tables are small
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{table}_trigrams" ON "{table}" '
        f'USING gin ("search_text" gin_trgm_ops)',
    ]


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_vector"']
    if vendor == "sqlite":
        fts = f"{table}_fts"
        return [
            *(f'DROP TRIGGER IF EXISTS "{fts}_{what}"' for what in ("insert", "delete", "update")),
            f'DROP TABLE IF EXISTS "{fts}"',
        ]
    return []


class AddFullTextIndex(Operation):
    """A migration operation: give `table` its full-text index (see the module's docstring).

    Idempotent, so a later migration that rebuilds the table (SQLite remakes a table to alter
    it, dropping its triggers) runs it again; `tests/test_fulltext_index.py` checks that every
    searchable table has its index after all migrations.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str, scope: Sequence[str] = ()) -> None:
        self.table = table
        self.scope = tuple(scope)

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        vendor = schema_editor.connection.vendor
        statements = [*drop_sql(vendor, self.table), *index_sql(vendor, self.table, self.scope)]
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for statement in drop_sql(schema_editor.connection.vendor, self.table):
            schema_editor.execute(statement, params=None)

    def describe(self) -> str:
        return f"Full-text index of {self.table}"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.table], {"scope": list(self.scope)})


class AddTrigramIndex(Operation):
    """A migration operation: give `table`'s `search_text` its trigram index (PostgreSQL)."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str) -> None:
        self.table = table

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for statement in trigram_sql(schema_editor.connection.vendor, self.table):
            schema_editor.execute(statement, params=None)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            drop = f'DROP INDEX CONCURRENTLY IF EXISTS "{self.table}_trigrams"'
            schema_editor.execute(drop, params=None)

    def describe(self) -> str:
        return f"Trigram index of {self.table}.search_text"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.table], {})
