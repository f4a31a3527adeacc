"""Backups that restore: one directory with the database, the media files and a manifest.

A backup is a directory:

    manifest.json        what it holds: every file's SHA-256 and size, the database vendor,
                         the applied migrations, every table's row count, the time
    database.dump        PostgreSQL: `pg_dump --format=custom`
    database.sqlite3     SQLite: a copy through sqlite3's online backup API
    media/…              the files under MEDIA_ROOT (evidence, issued documents, imports)

It is written under a hidden temporary name beside DEST and renamed to DEST only when it is
complete, so that a failure (no pg_dump, a full disk) leaves nothing that claims to be one.
The row counts and the migrations are read in the same snapshot as the dump.

A restore goes only into an empty database and an empty media directory, checks every file
against the manifest before it starts and after it wrote them, and the row counts and the
append-only triggers (decision 0014) of the restored database after.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.events import ImmutableEvent

FORMAT = "ducha-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILE = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024
# Names shown in a refusal: enough to recognise the database, not a page of them.
SHOWN = 10

Progress = Callable[[str], None]


class BackupError(Exception):
    """A refusal or a failure, worded for the person at the terminal."""


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the backup directory, with "/"
    sha256: str
    size: int


# Files and hashes


def _copy_hashing(source: Path, target: Path) -> Entry:
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as reading, target.open("xb") as writing:
        while chunk := reading.read(CHUNK):
            digest.update(chunk)
            writing.write(chunk)
            size += len(chunk)
        writing.flush()
        os.fsync(writing.fileno())
    return Entry("", digest.hexdigest(), size)


def file_sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as reading:
        while chunk := reading.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _files_under(root: Path) -> Iterator[Path]:
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(directory) / name


def media_root() -> Path:
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise BackupError(
            _(
                "The media storage is %(backend)s, not a directory of files: back it up with "
                "that storage's own tools."
            )
            % {"backend": type(storage).__name__}
        )
    return Path(storage.location)


def _no_space(error: BaseException, where: Path) -> BackupError | None:
    if not isinstance(error, OSError) or error.errno != errno.ENOSPC:
        return None
    return BackupError(
        _("The disk holding %(where)s is full; nothing was kept. Free space and try again.")
        % {"where": where}
    )


# What the database holds


def _table_names(connection: Any, cursor: Any) -> list[str]:
    return sorted(connection.introspection.table_names(cursor))


def table_counts(connection: Any) -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in _table_names(connection, cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        return counts


def applied_migrations(connection: Any) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return {}
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        rows = cursor.fetchall()
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return applied


def code_migrations() -> dict[str, list[str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known: dict[str, list[str]] = {}
    for app, name in sorted(loader.disk_migrations):
        known.setdefault(app, []).append(name)
    return known


def append_only_tables() -> list[str]:
    return sorted(
        model._meta.db_table for model in apps.get_models() if issubclass(model, ImmutableEvent)
    )


def missing_triggers(connection: Any) -> list[str]:
    """The append-only tables whose triggers (decision 0014) are not in `connection`."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
            )
            present = {name for (name,) in cursor.fetchall()}
            wanted = {table: [f"{table}_append_only"] for table in append_only_tables()}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {name for (name,) in cursor.fetchall()}
            wanted = {
                table: [f"{table}_append_only_update", f"{table}_append_only_delete"]
                for table in append_only_tables()
            }
    return [table for table, names in wanted.items() if not set(names) <= present]


# Backup


def _pg_command(connection: Any, program: str, parameters: list[str]) -> tuple[list[str], dict]:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            _(
                "%(program)s was not found. Install PostgreSQL's client programs of the "
                "server's major version (Debian: apt-get install postgresql-client) and try "
                "again."
            )
            % {"program": program}
        )
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, parameters)
    return [executable, *args[1:]], {**os.environ, **(env or {})}


def _run(args: list[str], env: dict, where: Path) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        message = result.stderr.strip()
        if "No space left on device" in message:
            raise BackupError(
                _("The disk holding %(where)s is full; nothing was kept. Free space and try again.")
                % {"where": where}
            )
        # The tail says what went wrong; a long restore log would bury it.
        tail = "\n".join(message.splitlines()[-SHOWN:])
        raise BackupError(
            _("%(program)s failed:\n%(output)s") % {"program": Path(args[0]).name, "output": tail}
        )


def _dump_database(connection: Any, folder: Path, progress: Progress) -> dict[str, Any]:
    vendor = connection.vendor
    if vendor not in DATABASE_FILE:
        raise BackupError(_("Backups support PostgreSQL and SQLite, not %(v)s.") % {"v": vendor})
    if connection.in_atomic_block:
        raise BackupError(_("A backup runs outside any transaction."))
    target = folder / DATABASE_FILE[vendor]
    progress(_("Database (%(vendor)s) → %(file)s") % {"vendor": vendor, "file": target.name})
    if vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            # A WAL file beside the copy would be a second file to keep; the copy needs none.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
        # The copy is the snapshot: count what it holds, not what the database holds now.
        with _sqlite_alias(target) as snapshot:
            return {"tables": table_counts(snapshot), "migrations": applied_migrations(snapshot)}
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot_id,) = cursor.fetchone()
        args, env = _pg_command(
            connection,
            "pg_dump",
            ["--format=custom", f"--file={target}", f"--snapshot={snapshot_id}", "--no-password"],
        )
        _run(args, env, folder)
        return {"tables": table_counts(connection), "migrations": applied_migrations(connection)}


@contextmanager
def _sqlite_alias(path: Path) -> Iterator[Any]:
    """A Django connection to one SQLite file, for the same introspection as the database."""
    alias = f"ducha-backup-{secrets.token_hex(4)}"
    connections.settings[alias] = {
        **connections.settings[next(iter(connections.settings))],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {},
        "TEST": {},
    }
    try:
        connection = connections[alias]
        yield connection
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def backup(dest: Path, *, using: str = "default", progress: Progress = lambda line: None) -> dict:
    """Write one backup to `dest`, which must not exist. Returns the manifest."""
    dest = dest.absolute()
    media = media_root().absolute()
    if dest.exists() or dest.is_symlink():
        raise BackupError(
            _("%(dest)s exists already; a backup never overwrites one. Choose a new name.")
            % {"dest": dest}
        )
    if not dest.parent.is_dir():
        raise BackupError(_("The directory %(dir)s does not exist.") % {"dir": dest.parent})
    if dest.is_relative_to(media):
        raise BackupError(
            _("A backup may not be written inside MEDIA_ROOT (%(m)s).") % {"m": media}
        )
    connection = connections[using]
    partial = dest.parent / f".{dest.name}.partial-{secrets.token_hex(4)}"
    partial.mkdir(mode=0o700)
    try:
        manifest = _write(connection, media, partial, progress)
        if dest.exists():
            raise BackupError(_("%(dest)s appeared while the backup was written.") % {"dest": dest})
        partial.rename(dest)
    except BaseException as error:
        shutil.rmtree(partial, ignore_errors=True)
        full = _no_space(error, dest.parent)
        if full is None:
            raise
        raise full from error
    return manifest


def _write(connection: Any, media: Path, folder: Path, progress: Progress) -> dict:
    started = timezone.now()
    database = _dump_database(connection, folder, progress)
    name = DATABASE_FILE[connection.vendor]
    sha, size = file_sha256(folder / name)
    entries = [Entry(name, sha, size)]
    sources = list(_files_under(media)) if media.is_dir() else []
    total = len(sources)
    progress(_("Media: %(count)d files from %(media)s") % {"count": total, "media": media})
    for number, source in enumerate(sources, 1):
        relative = f"{MEDIA}/{source.relative_to(media).as_posix()}"
        copied = _copy_hashing(source, folder / relative)
        entries.append(Entry(relative, copied.sha256, copied.size))
        if number % 100 == 0 or number == total:
            progress(_("Media: %(number)d of %(total)d") % {"number": number, "total": total})
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "started_at": started.isoformat(),
        "finished_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "database": name,
        "migrations": database["migrations"],
        "tables": database["tables"],
        "files": [entry.__dict__ for entry in entries],
    }
    with (folder / MANIFEST).open("x", encoding="utf-8") as out:
        json.dump(manifest, out, ensure_ascii=False, indent=1, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())
    progress(
        _("%(files)d files, %(bytes)d bytes, %(tables)d tables.")
        % {
            "files": len(entries),
            "bytes": sum(entry.size for entry in entries),
            "tables": len(database["tables"]),
        }
    )
    return manifest


# Restore


def read_manifest(src: Path) -> dict:
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            _("%(src)s is not a Ducha backup: it has no %(manifest)s.")
            % {"src": src, "manifest": MANIFEST}
        ) from None
    except ValueError as error:
        raise BackupError(
            _("The manifest of %(src)s cannot be read: %(error)s") % {"src": src, "error": error}
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("%(src)s is not a Ducha backup.") % {"src": src})
    if manifest.get("version") != VERSION:
        raise BackupError(
            _("%(src)s is a backup of format version %(found)s; this code reads version %(v)d.")
            % {"src": src, "found": manifest.get("version"), "v": VERSION}
        )
    return manifest


def _listed(manifest: dict) -> dict[str, Entry]:
    return {entry["path"]: Entry(**entry) for entry in manifest["files"]}


def verify_files(root: Path, entries: dict[str, Entry], *, strip: str = "") -> None:
    """Every entry is in `root` with its size and SHA-256, and nothing else is."""
    wrong = []
    for path, entry in entries.items():
        file = root / path.removeprefix(strip)
        if not file.is_file():
            wrong.append(_("%(path)s is missing") % {"path": path})
            continue
        sha, size = file_sha256(file)
        if (sha, size) != (entry.sha256, entry.size):
            wrong.append(
                _("%(path)s: SHA-256 %(found)s, the manifest says %(listed)s")
                % {"path": path, "found": sha, "listed": entry.sha256}
            )
    found = {f"{strip}{file.relative_to(root).as_posix()}" for file in _files_under(root)}
    for extra in sorted(found - set(entries) - {MANIFEST}):
        wrong.append(_("%(path)s is not in the manifest") % {"path": extra})
    if wrong:
        raise BackupError(
            "\n".join(
                [
                    _("%(root)s does not match the manifest (%(count)d files):")
                    % {"root": root, "count": len(wrong)},
                    *wrong[:SHOWN],
                ]
            )
        )


def _differences(label: str, wanted: dict, found: dict) -> list[str]:
    lines = []
    for key in sorted(set(wanted) | set(found)):
        if wanted.get(key) != found.get(key):
            lines.append(f"{label} {key}: {wanted.get(key)} ≠ {found.get(key)}")
    return lines


def check_compatible(manifest: dict, connection: Any) -> None:
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            _(
                "This backup is of a %(backup)s database; the configured database is "
                "%(configured)s. Restore it into %(backup)s (DATABASE_URL)."
            )
            % {"backup": manifest["vendor"], "configured": connection.vendor}
        )
    differences = _differences("migration", code_migrations(), manifest["migrations"])
    if differences:
        raise BackupError(
            "\n".join(
                [
                    _(
                        "The backup's migrations do not match this code's (this code ≠ the "
                        "backup). Restore it with the version of Ducha that made it, then "
                        "upgrade with manage.py migrate."
                    ),
                    *differences[:SHOWN],
                ]
            )
        )


def check_empty(connection: Any, media: Path) -> None:
    with connection.cursor() as cursor:
        tables = _table_names(connection, cursor)
    if tables:
        counts = table_counts(connection)
        shown = [f"{table} ({counts[table]})" for table in tables[:SHOWN]]
        raise BackupError(
            _(
                "The database %(name)s is not empty: it has %(count)d tables (%(shown)s%(more)s) "
                "holding %(rows)d rows. A restore goes only into an empty database; nothing "
                "was changed."
            )
            % {
                "name": connection.settings_dict["NAME"],
                "count": len(tables),
                "shown": ", ".join(shown),
                "more": ", …" if len(tables) > SHOWN else "",
                "rows": sum(counts.values()),
            }
        )
    present = list(_files_under(media)) if media.is_dir() else []
    if present:
        raise BackupError(
            _(
                "The media directory %(media)s is not empty: it holds %(count)d files "
                "(%(first)s …). A restore goes only into an empty one; nothing was changed."
            )
            % {"media": media, "count": len(present), "first": present[0]}
        )


def _load_database(connection: Any, file: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{file}?mode=ro&immutable=1", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()
    args, env = _pg_command(
        connection,
        "pg_restore",
        # One transaction: a failure leaves the database as empty as it was.
        ["--single-transaction", "--exit-on-error", "--no-owner", "--no-password", "--dbname"],
    )
    _run([*args, str(file)], env, file.parent)


def check_restored(manifest: dict, connection: Any) -> None:
    problems = _differences("table", manifest["tables"], table_counts(connection))
    problems += _differences("migration", manifest["migrations"], applied_migrations(connection))
    problems += [
        _("%(table)s has lost its append-only trigger") % {"table": table}
        for table in missing_triggers(connection)
    ]
    if problems:
        raise BackupError(
            "\n".join(
                [
                    _(
                        "The restored database does not match the backup; do not use it. "
                        "Drop and re-create it before restoring again."
                    ),
                    *problems[:SHOWN],
                ]
            )
        )


def restore(src: Path, *, using: str = "default", progress: Progress = lambda line: None) -> dict:
    """Restore the backup in `src` into the empty database `using` and the empty MEDIA_ROOT."""
    src = src.absolute()
    manifest = read_manifest(src)
    entries = _listed(manifest)
    progress(_("Checking %(count)d files of the backup") % {"count": len(entries)})
    verify_files(src, entries)
    connection = connections[using]
    check_compatible(manifest, connection)
    media = media_root().absolute()
    check_empty(connection, media)
    media_entries = {path: entry for path, entry in entries.items() if path.startswith(f"{MEDIA}/")}
    media.mkdir(parents=True, exist_ok=True)
    staging = media / f".restoring-{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    try:
        progress(_("Media: %(count)d files") % {"count": len(media_entries)})
        for path in media_entries:
            _copy_hashing(src / path, staging / path.removeprefix(f"{MEDIA}/"))
        verify_files(staging, media_entries, strip=f"{MEDIA}/")
        progress(_("Database (%(vendor)s)") % {"vendor": connection.vendor})
        _load_database(connection, src / manifest["database"])
        progress(_("Checking the row counts, the migrations and the append-only triggers"))
        check_restored(manifest, connection)
        for entry in staging.iterdir():
            entry.rename(media / entry.name)
    except OSError as error:
        full = _no_space(error, media)
        if full is None:
            raise
        raise full from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    verify_files(media, media_entries, strip=f"{MEDIA}/")
    progress(
        _("Restored: %(tables)d tables, %(rows)d rows, %(files)d media files.")
        % {
            "tables": len(manifest["tables"]),
            "rows": sum(manifest["tables"].values()),
            "files": len(media_entries),
        }
    )
    return manifest
