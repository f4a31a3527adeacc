"""Backups that restore (issue 11): the demo backed up, restored into a fresh database, compared.

The demo is committed for this module (pg_dump sees only committed rows) and the database is
emptied after it. The restore runs as an operator runs it: `manage.py restore` in its own
process, against a new SQLite file or a scratch PostgreSQL database that is dropped after.
The comparison reads both databases through the driver, not through the code under test.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection
from django.test.utils import override_settings
from django.utils import translation

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import SecurityEvent
from ducha.core import backups
from ducha.core.events import ImmutableEvent
from ducha.problems.models import Problem

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EVENT_TABLES = sorted(
    model._meta.db_table for model in apps.get_models() if issubclass(model, ImmutableEvent)
)


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Path]:
    """The demo, loaded and committed, and one backup of it.

    After the module the database is emptied and what the migrations put in it is put back,
    as Django's serialized rollback does: later tests find it as they would have.
    """
    root = tmp_path_factory.mktemp("backups")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=root / "media"),
    ):
        migrated = connection.creation.serialize_db_to_string()
        try:
            call_command("load_demo", stdout=io.StringIO())
            call_command("backup", str(root / "demo"), stdout=io.StringIO())
            yield root / "demo"
        finally:
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(migrated)
            # The rows put back keep their ids; PostgreSQL's sequences must move past them,
            # or the next row a later test creates takes an id already used.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                    cursor.execute(sql)


# Reading a database through its driver


def _driver(settings_dict: dict[str, Any], name: str) -> Any:
    if connection.vendor == "sqlite":
        return sqlite3.connect(name)
    import psycopg

    return psycopg.connect(
        dbname=name,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or None,
        autocommit=True,
    )


def _tables(db: Any) -> list[str]:
    if connection.vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    return sorted(name for (name,) in db.execute(sql).fetchall())


def _triggers(db: Any) -> list[str]:
    if connection.vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
    return sorted(name for (name,) in db.execute(sql).fetchall())


def _picture(db: Any) -> dict[str, Any]:
    """Every table's count, every event table's rows, the triggers."""
    tables = _tables(db)
    return {
        "triggers": _triggers(db),
        "counts": {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables},
        "events": {
            t: db.execute(f'SELECT * FROM "{t}" ORDER BY id').fetchall() for t in EVENT_TABLES
        },
    }


def _restore(src: Path, database_url: str, media: Path) -> subprocess.CompletedProcess[str]:
    return _manage(["restore", str(src)], database_url, media)


def _manage(
    args: list[str], database_url: str, media: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
    }
    if media is not None:
        env["DUCHA_MEDIA_ROOT"] = str(media)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def scratch(tmp_path) -> Iterator[tuple[str, str]]:
    """An empty database elsewhere: (its DATABASE_URL, its name for the driver)."""
    if connection.vendor == "sqlite":
        name = str(tmp_path / "restored.sqlite3")
        yield f"sqlite:///{name}", name
        return
    s = connection.settings_dict
    name = f"{s['NAME']}_restore"
    with _driver(s, "postgres") as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        yield f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}", name
    finally:
        with _driver(s, "postgres") as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db
def test_the_demo_restored_elsewhere_is_the_demo(made, scratch, tmp_path):
    url, name = scratch
    restored_media = tmp_path / "media"
    done = _restore(made, url, restored_media)
    assert done.returncode == 0, done.stderr
    assert str(made) in done.stdout

    with (
        _driver(connection.settings_dict, connection.settings_dict["NAME"]) as source,
        _driver(connection.settings_dict, name) as target,
    ):
        before, after = _picture(source), _picture(target)
    # The audit trail holds one more row on each side than the dump: the source the backup
    # (written after the dump), the copy its restore.
    backed_up = before["events"]["accounts_securityevent"].pop()
    restored = after["events"]["accounts_securityevent"].pop()
    assert backed_up[2] == "backup" and restored[2] == "restore"
    assert before["counts"]["problems_problem"] > 0
    assert after["counts"] == before["counts"]
    assert before["events"]["problems_problemevent"], "the demo replays its problems as events"
    assert after["events"] == before["events"]
    # Decision 0014's refusals came along: every event table is append-only in the copy.
    assert after["triggers"] == before["triggers"]
    assert {f"{table}_append_only" for table in EVENT_TABLES} <= {
        trigger.removesuffix("_update").removesuffix("_delete") for trigger in after["triggers"]
    }

    source_media = made.parent / "media"
    files = sorted(p.relative_to(source_media) for p in source_media.rglob("*") if p.is_file())
    assert files, "the demo issues documents, whose files are media"
    assert (
        sorted(p.relative_to(restored_media) for p in restored_media.rglob("*") if p.is_file())
        == files
    )
    for relative in files[:: max(1, len(files) // 20)]:
        assert (restored_media / relative).read_bytes() == (source_media / relative).read_bytes()

    # The hash chains (decision 0017) came along with their heads: every chain verifies in
    # the copy, walked by the command an operator runs.
    assert after["counts"]["core_chainhead"] > 0
    verified = _manage(["verify_audit", "--quiet"], url)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"problems.ProblemEvent: {len(before['events']['problems_problemevent'])} rows" in (
        verified.stdout
    )
    assert "rows verify" in verified.stdout


@pytest.mark.django_db
def test_the_manifest_lists_every_file_with_its_sha256(made):
    manifest = json.loads((made / "manifest.json").read_text())
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"]["problems_problem"] == Problem.objects.count() > 0
    assert "0001_initial" in manifest["migrations"]["problems"]
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {p.relative_to(made).as_posix() for p in made.rglob("*") if p.is_file()}
    assert on_disk - set(listed) == {"manifest.json"}
    for path, entry in listed.items():
        assert backups.file_sha256(made / path) == (entry["sha256"], entry["size"])


# Refusals: the messages are matched in English, the language of the code


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _copy(made: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(made, copy)
    return copy


def _rewrite_manifest(backup: Path, **changes: Any) -> None:
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest.update(changes)
    (backup / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.django_db
def test_a_database_with_rows_is_refused_and_left_as_it_was(made, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    before = backups.table_counts(connection)
    with pytest.raises(CommandError, match="is not empty") as refused:
        call_command("restore", str(made), stdout=io.StringIO())
    assert "accounts_membership" in str(refused.value)
    # Nothing of the backup came in; the refusal itself is in the audit trail.
    after = backups.table_counts(connection)
    assert after.pop("accounts_securityevent") == before.pop("accounts_securityevent") + 1
    assert after == before
    refusal = SecurityEvent.objects.get(kind=SecurityEventKind.RESTORE_REFUSED)
    assert refusal.detail["source"] == str(made) and "is not empty" in refusal.detail["reason"]
    assert not any((tmp_path / "empty-media").rglob("*"))


@pytest.mark.django_db
def test_a_media_directory_with_files_is_refused(made, scratch, tmp_path):
    url, name = scratch
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "kept.txt").write_text("an office's file")
    done = _restore(made, url, tmp_path / "media")
    assert done.returncode != 0
    assert f"{tmp_path / 'media'}" in done.stderr
    assert "kept.txt" in done.stderr
    assert (tmp_path / "media" / "kept.txt").read_text() == "an office's file"
    with _driver(connection.settings_dict, name) as target:
        assert _tables(target) == []


@pytest.mark.django_db
def test_a_tampered_file_is_refused_before_anything_is_touched(made, tmp_path):
    copy = _copy(made, tmp_path)
    document = next(path for path in sorted((copy / "media").rglob("*")) if path.is_file())
    content = bytearray(document.read_bytes())
    content[len(content) // 2] ^= 0xFF
    document.write_bytes(bytes(content))
    with pytest.raises(CommandError, match="does not match the manifest") as refused:
        call_command("restore", str(copy), stdout=io.StringIO())
    assert document.relative_to(copy).as_posix() in str(refused.value)
    assert "SHA-256" in str(refused.value)


@pytest.mark.django_db
def test_a_file_added_to_the_backup_is_refused(made, tmp_path):
    copy = _copy(made, tmp_path)
    (copy / "media" / "planted.docx").write_bytes(b"not from the office")
    with pytest.raises(CommandError, match=re.escape("media/planted.docx is not in the manifest")):
        call_command("restore", str(copy), stdout=io.StringIO())


@pytest.mark.django_db
def test_a_backup_of_another_vendor_is_refused(made, tmp_path):
    copy = _copy(made, tmp_path)
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    _rewrite_manifest(copy, vendor=other)
    with pytest.raises(CommandError, match=f"This backup is of a {other} database"):
        call_command("restore", str(copy), stdout=io.StringIO())


@pytest.mark.django_db
def test_a_backup_of_other_migrations_is_refused(made, tmp_path):
    copy = _copy(made, tmp_path)
    manifest = json.loads((copy / "manifest.json").read_text())
    migrations = manifest["migrations"]
    dropped = migrations["problems"].pop()
    _rewrite_manifest(copy, migrations=migrations)
    with pytest.raises(CommandError, match="migrations do not match") as refused:
        call_command("restore", str(copy), stdout=io.StringIO())
    assert "migration problems" in str(refused.value)
    assert dropped in str(refused.value)


@pytest.mark.django_db
def test_a_directory_without_a_manifest_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not a Ducha backup"):
        call_command("restore", str(tmp_path), stdout=io.StringIO())


@pytest.mark.django_db
def test_a_backup_never_overwrites(made):
    before = sorted(p.name for p in made.iterdir())
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(made), stdout=io.StringIO())
    assert sorted(p.name for p in made.iterdir()) == before


# Outside any transaction, as an operator runs a backup; without the demo, which is not needed.


def test_a_full_disk_leaves_nothing_that_claims_to_be_a_backup(
    tmp_path, monkeypatch, django_db_blocker
):
    def full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_copy_hashing", full)
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "photo.jpg").write_bytes(b"evidence")
    target = tmp_path / "out"
    target.mkdir()
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path / "media"),
        pytest.raises(CommandError, match="is full; nothing was kept"),
    ):
        call_command("backup", str(target / "tonight"), stdout=io.StringIO())
    assert list(target.iterdir()) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump serves PostgreSQL")
def test_a_missing_pg_dump_is_named(tmp_path, monkeypatch, django_db_blocker):
    monkeypatch.setenv("PATH", str(tmp_path))
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path / "media"),
        pytest.raises(CommandError, match="pg_dump was not found"),
    ):
        call_command("backup", str(tmp_path / "tonight"), stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []
