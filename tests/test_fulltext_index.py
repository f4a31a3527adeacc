"""Every model with a `search_text` column has its full-text index after all migrations: a
later migration that rebuilds a table on SQLite drops its triggers, and the index would then
silently stop following the column (docs/search.md)."""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

TRIGGERS = ("insert", "delete", "update")


def searchable_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if any(field.name == "search_text" for field in model._meta.get_fields())
    )


def test_the_searchable_tables_are_those_the_loop_searches():
    assert searchable_tables() == [
        "documents_document",
        "fieldwork_inspection",
        "problems_problem",
    ]


@pytest.mark.parametrize("table", searchable_tables())
def test_the_table_has_its_index(table):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT generation_expression FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = 'search_vector'",
                [table],
            )
            assert "search_text" in (cursor.fetchone() or [""])[0]
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
            definitions = [row[0] for row in cursor.fetchall()]
            # The index may lead with the table's scope columns (problems: the region levels).
            gin = [d for d in definitions if " USING gin (" in d]
            assert any(d.endswith("search_vector)") for d in gin), definitions
            # And the trigram index that looks for strings inside the words.
            assert any(d.endswith("(search_text gin_trgm_ops)") for d in gin), definitions
        else:
            cursor.execute(
                "SELECT type, name, tbl_name FROM sqlite_master WHERE name LIKE %s",
                [f"{table}_fts%"],
            )
            found = {(kind, name, on) for kind, name, on in cursor.fetchall()}
            assert ("table", f"{table}_fts", f"{table}_fts") in found
            for what in TRIGGERS:
                assert ("trigger", f"{table}_fts_{what}", table) in found
