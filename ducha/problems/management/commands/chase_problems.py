"""`manage.py chase_problems`: one pass of the escalation ladder by hand (the scheduler runs
it every few minutes). Prints how many reminders and escalations it took; running it again
takes nothing new, since each step is taken once per problem and deadline."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ducha.problems.ladder import STEPS, chase


class Command(BaseCommand):
    help = "Run one pass of the escalation ladder (automatic reminders and escalations)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", type=int, default=None, help="problems read per query (default: setting)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch = options["batch"]
        if batch is not None and not 1 <= batch <= 10_000:
            self.stderr.write("--batch must be between 1 and 10000")
            raise SystemExit(2)
        counts = chase(batch=batch)
        for step in STEPS:
            state = "" if step.enabled else " (off)"
            self.stdout.write(f"{step.kind}: {counts.get(step.kind, 0)}{state}")
        if counts.get("failed"):
            self.stdout.write(f"failed: {counts['failed']}")
