"""Rebuild the words the full-text index reads (`search_text`) of problems, inspections and
documents, in chunks: for a database loaded before the column existed, or after the term
dictionary (ducha/core/data/search_terms.txt) changed. See docs/search.md.

The actions keep the column current; this computes it from the same texts as they do. The
index itself follows the column (PostgreSQL's generated column, SQLite's triggers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Model

from ducha.core.search import stored_words
from ducha.documents.actions import document_words
from ducha.documents.models import Document
from ducha.fieldwork.actions import inspection_words
from ducha.fieldwork.models import Answer, Inspection
from ducha.problems.models import Problem, ProblemEvent
from ducha.search.finding import WORDED_ACTIONS

CHUNK = 500


def _problem_words(rows: list[Any]) -> dict[int, str]:
    comments: dict[int, list[str]] = {}
    events = ProblemEvent.objects.filter(
        problem__in=[row.pk for row in rows], action__in=WORDED_ACTIONS
    ).order_by("created_at", "pk")
    for problem_id, comment in events.values_list("problem_id", "comment"):
        comments.setdefault(problem_id, []).append(comment)
    return {
        row.pk: stored_words(row.title, row.description, row.rule, *comments.get(row.pk, []))
        for row in rows
    }


def _inspection_words(rows: list[Any]) -> dict[int, str]:
    notes: dict[int, list[str]] = {}
    answers = Answer.objects.filter(inspection__in=[row.pk for row in rows]).order_by("pk")
    for inspection_id, note in answers.values_list("inspection_id", "note"):
        notes.setdefault(inspection_id, []).append(note)
    return {row.pk: inspection_words(row.notes, notes.get(row.pk, [])) for row in rows}


def _document_words(rows: list[Any]) -> dict[int, str]:
    return {row.pk: document_words(row) for row in rows}


# model, the fields its words come from, how a chunk's words are computed.
TARGETS: dict[str, tuple[type[Model], tuple[str, ...], Callable[[list[Any]], dict[int, str]]]] = {
    "problems": (Problem, ("title", "description", "rule"), _problem_words),
    "inspections": (Inspection, ("notes",), _inspection_words),
    "documents": (Document, ("title", "reference", "texts"), _document_words),
}


def _chunks(model: type[Model], fields: tuple[str, ...], size: int) -> Iterable[list[Any]]:
    # Keyset pages by id: no OFFSET scan, and rows added meanwhile by actions are indexed by them.
    last = 0
    rows = model._base_manager.order_by("pk").only("pk", "search_text", *fields)
    while True:
        chunk = list(rows.filter(pk__gt=last)[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


class Command(BaseCommand):
    help = "Rebuild the full-text search words of problems, inspections and documents."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only", choices=sorted(TARGETS), action="append", help="Only these kinds."
        )
        parser.add_argument("--chunk", type=int, default=CHUNK, help="Rows per transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        size = max(1, min(options["chunk"], 10_000))
        for name in options["only"] or list(TARGETS):
            model, fields, words_of = TARGETS[name]
            # The plain manager: an issued document refuses `save`, not its derived words.
            total = model._base_manager.count()
            done = changed = 0
            for chunk in _chunks(model, fields, size):
                words = words_of(chunk)
                # The same words in another order (the actions add them as they come) stay.
                stale = [
                    row
                    for row in chunk
                    if set(row.search_text.split()) != set(words[row.pk].split())
                ]
                for row in stale:
                    row.search_text = words[row.pk]
                with transaction.atomic():
                    model._base_manager.bulk_update(stale, ["search_text"])
                done += len(chunk)
                changed += len(stale)
                self.stdout.write(f"{name}: {done}/{total}")
            self.stdout.write(self.style.SUCCESS(f"{name}: {changed} of {total} reindexed"))
