"""The application's PostgreSQL role cannot lift the record's protections (docs/operations.md).

`manage.py grant_app_role` gives a role the application's rights; connected as that role,
dropping or disabling the append-only triggers, truncating, updating or deleting a record
row are refused, while reading and writing work, and the application, running as that role,
writes chained rows that verify. Database roles are PostgreSQL's: on SQLite (one file, no
users) there is nothing to test, so the module runs only when the suite runs on PostgreSQL,
as CI does (.ci/run).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import SecurityEvent
from ducha.core.chain_check import verify
from ducha.core.models import ChainAnchor
from ducha.problems.models import ProblemEvent
from tests.census.county import build_county

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's"),
    # Committed rows, so that the role's own connections see them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TABLE = "problems_problemevent"


def _connect(user: str) -> Any:
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"],
        user=user,
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        autocommit=True,
    )


@pytest.fixture
def app_role(settings, tmp_path) -> Iterator[str]:
    """A login role of the application, granted by the command, dropped after."""
    settings.MEDIA_ROOT = tmp_path
    role = f"{connection.settings_dict['NAME']}_app"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"' if _exists(cursor, role) else "SELECT 1")
        cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        cursor.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        call_command("grant_app_role", role, stdout=io.StringIO())
        yield role
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


def _exists(cursor: Any, role: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def _refused(db: Any, sql: str, params: list | None = None) -> str:
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
        db.execute(sql, params)
    return str(refused.value)


def test_the_application_role_cannot_lift_the_protections(world, app_role):
    build_county(world)
    event = ProblemEvent.objects.order_by("pk").first()
    assert event is not None
    with _connect(app_role) as db:
        assert "must be owner" in _refused(db, f'DROP TRIGGER "{TABLE}_append_only" ON "{TABLE}"')
        assert "must be owner" in _refused(
            db, f'ALTER TABLE "{TABLE}" DISABLE TRIGGER "{TABLE}_append_only"'
        )
        assert "must be owner" in _refused(db, f'ALTER TABLE "{TABLE}" DISABLE TRIGGER ALL')
        assert "must be owner" in _refused(db, f'DROP TABLE "{TABLE}"')
        assert "must be owner" in _refused(db, f'DROP FUNCTION "{TABLE}_append_only"()')
        assert "permission denied" in _refused(db, f'TRUNCATE "{TABLE}"')
        assert "permission denied" in _refused(db, "TRUNCATE core_chainhead")
        assert "permission denied" in _refused(
            db, f"UPDATE {TABLE} SET comment = 'x' WHERE id = %s", [event.pk]
        )
        assert "permission denied" in _refused(db, f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
        assert "permission denied" in _refused(db, "UPDATE core_chainanchor SET digest = ''")
        assert "permission denied" in _refused(db, "CREATE TABLE public.planted (id int)")

        # Reading and writing work: a raw INSERT is allowed (and rolled back here, as a row
        # written around the application would be found by the verification).
        assert db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] > 0
        with db.transaction(force_rollback=True):
            inserted = db.execute(
                f"INSERT INTO {TABLE} (problem_id, actor_id, created_at, action, from_state, "
                "to_state, comment, payload) SELECT problem_id, actor_id, created_at, action, "
                f"from_state, to_state, comment, payload FROM {TABLE} WHERE id = %s",
                [event.pk],
            )
            assert inserted.rowcount == 1

    # The application itself, connected as the role, writes a chained row (its audit row)
    # and finds every chain intact.
    s = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{app_role}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        f"/{s['NAME']}",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "verify_audit", "--quiet", "--anchor"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rows verify" in done.stdout
    assert "anchor: " in done.stdout and ChainAnchor.objects.count() == 1
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.AUDIT_VERIFIED).count() == 1
    assert verify().ok


def test_a_superuser_or_missing_role_is_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="superuser or the owner"):
        call_command("grant_app_role", connection.settings_dict["USER"], stdout=io.StringIO())
    with pytest.raises(CommandError, match="There is no role"):
        call_command("grant_app_role", "no_such_role_here", stdout=io.StringIO())
