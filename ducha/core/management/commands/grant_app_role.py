"""`manage.py grant_app_role ROLE`: give PostgreSQL role ROLE what the application needs, and
no more (docs/operations.md, "Database roles").

Run it as the owner role (the one that runs `migrate`), after every `migrate`: it is
idempotent. ROLE must exist (`CREATE ROLE ducha_app LOGIN PASSWORD '…'`), must not be a
superuser and must own nothing in the schema. It gets:

- CONNECT on the database, USAGE on the schema (no CREATE);
- SELECT, INSERT, UPDATE, DELETE on every table, except the immutable ones (every
  `ImmutableEvent` table and the chain anchors), which get SELECT and INSERT only;
- USAGE and SELECT on every sequence (new ids).

Not being the owner, it cannot ALTER or DROP a table or its triggers (the append-only
refusal, decision 0014) nor TRUNCATE (it is not granted): a leaked application password
cannot lift the record's protections. `--sql` prints the statements instead of running them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from ducha.core.backups import append_only_tables
from ducha.core.models import ChainAnchor


def immutable_tables() -> list[str]:
    return sorted([*append_only_tables(), ChainAnchor._meta.db_table])


def statements(role: str, database: str, schema: str) -> list[str]:
    q = connection.ops.quote_name
    role_, schema_ = q(role), q(schema)
    sql = [
        f"GRANT CONNECT ON DATABASE {q(database)} TO {role_}",
        f"REVOKE CREATE ON SCHEMA {schema_} FROM {role_}",
        f"GRANT USAGE ON SCHEMA {schema_} TO {role_}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema_} TO {role_}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema_} FROM {role_}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_} TO {role_}",
    ]
    sql += [
        f"REVOKE UPDATE, DELETE ON {schema_}.{q(table)} FROM {role_}"
        for table in immutable_tables()
    ]
    return sql


class Command(BaseCommand):
    help = "Grant a PostgreSQL role the application's rights (not the owner's)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the application's role; it must exist already")
        parser.add_argument("--sql", action="store_true", help="print the SQL, run nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are PostgreSQL's: SQLite has none to grant.")
        role = options["role"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database(), current_schema(), current_user")
            database, schema, owner = cursor.fetchone()
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                raise CommandError(f"There is no role {role}: create it first.")
            if found[0] or role == owner:
                raise CommandError(
                    f"{role} is a superuser or the owner: the application needs a role of "
                    "its own that is neither."
                )
            cursor.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = %s AND tableowner = %s",
                [schema, role],
            )
            if cursor.fetchone()[0]:
                raise CommandError(f"{role} owns tables in {schema}: it would not be refused.")
        sql = statements(role, database, schema)
        if options["sql"]:
            self.stdout.write(";\n".join(sql) + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
        self.stdout.write(f"{role} may now read and write {database}, and own nothing.")
