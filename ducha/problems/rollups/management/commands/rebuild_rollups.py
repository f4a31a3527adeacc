"""`manage.py rebuild_rollups`: recount the dashboards' rollup tables, or check them."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ducha.problems.rollups import rebuild


class Command(BaseCommand):
    help = (
        "Recount the rollup tables from the problems. With --check, compare instead and fail "
        "when a row differs; --from-events counts from the event log alone."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="compare, change nothing")
        parser.add_argument(
            "--from-events", action="store_true", help="with --check: replay the event log"
        )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        if options["check"]:
            differences = rebuild.check(from_events=options["from_events"])
            if differences:
                raise CommandError("\n".join([_("The rollups differ:"), *differences]))
            seconds = time.monotonic() - started
            self.stdout.write(_("The rollups are true (%(seconds).1f s).") % {"seconds": seconds})
            return
        rebuild.rebuild()
        seconds = time.monotonic() - started
        self.stdout.write(_("Rollups rebuilt in %(seconds).1f s.") % {"seconds": seconds})
