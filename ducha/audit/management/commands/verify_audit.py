"""`manage.py verify_audit`: walk every hash chain of the record (decision 0017).

Prints each table's rows and chains and the first broken row (table, id, what differs);
exits 1 on any break. Progress goes to stderr every 20,000 rows of a table. Memory does not
grow with the tables: they are read a chunk at a time. The run is recorded in the audit
trail like one from the chains page. `--anchor` writes today's anchor first, for a
deployment without the scheduler.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ducha.audit.chain_runs import do_verify_chains
from ducha.core.chain_check import Report, write_anchor


class Command(BaseCommand):
    help = "Verify the hash chains of every immutable table; exit 1 on a break."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="no progress lines")
        parser.add_argument(
            "--anchor",
            action="store_true",
            help="first write today's anchor of every chain's head (the scheduler does it daily)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(table: str, rows: int) -> None:
            self.stderr.write(f"… {table}: {rows} rows")

        if options["anchor"]:
            anchor = write_anchor()
            self.stdout.write(
                f"anchor: {anchor.day} {anchor.digest}" if anchor else "anchor: exists"
            )
        report = do_verify_chains(
            via="verify_audit", progress=None if options["quiet"] else progress
        )
        self.print(report)
        if not report.ok:
            sys.exit(1)

    def print(self, report: Report) -> None:
        for table in report.tables:
            state = "ok" if not table.broken else f"{table.broken} broken"
            self.stdout.write(f"{table.table}: {table.rows} rows, {table.chains} chains, {state}")
        self.stdout.write(f"anchors: {report.anchors}")
        first = report.first_break
        if first is None:
            self.stdout.write(self.style.SUCCESS(f"All {report.rows} rows verify."))
            return
        self.stdout.write(
            self.style.ERROR(
                f"First broken row: {first.table} id={first.pk} chain={first.shard} "
                f"position={first.seq} ({first.kind}): {first.detail}"
            )
        )
        for table in report.tables:
            for found in table.breaks[1:]:
                self.stdout.write(f"  also {found.table} id={found.pk} ({found.kind})")
