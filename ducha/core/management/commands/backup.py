"""`manage.py backup DEST`: the database, the media files and a manifest, in one new directory."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ducha.core.audit_hooks import operation
from ducha.core.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a backup to DEST (a directory that must not exist): the database dump, the "
        "media files and manifest.json with every file's SHA-256. See docs/operations.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("dest", help="the backup directory to create")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options) -> None:
        self.verbosity = options["verbosity"]
        try:
            manifest = backup(
                Path(options["dest"]), using=options["database"], progress=self._progress
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        # After the dump, so the backup does not hold its own record; the next one will.
        operation("backup", destination=str(options["dest"]), files=len(manifest["files"]))
        self.stdout.write(self.style.SUCCESS(_("Backup written to %(dest)s.") % options))

    def _progress(self, line: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(line)
