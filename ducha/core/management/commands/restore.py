"""`manage.py restore SRC`: a backup into an empty database and an empty media directory."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ducha.core.audit_hooks import operation
from ducha.core.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the backup in SRC into the configured database, which must be empty (no "
        "tables), and MEDIA_ROOT, which must be empty; every file is checked against the "
        "manifest before and after, the row counts and append-only triggers after."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("src", help="the backup directory")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options) -> None:
        self.verbosity = options["verbosity"]
        src = str(options["src"])
        try:
            restore(Path(src), using=options["database"], progress=self._progress)
        except BackupError as error:
            # Written into the database that was refused, when it has an audit trail.
            operation("restore_refused", source=src, reason=str(error))
            raise CommandError(str(error)) from None
        operation("restore", source=src)
        self.stdout.write(self.style.SUCCESS(_("Restored from %(src)s.") % options))

    def _progress(self, line: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(line)
