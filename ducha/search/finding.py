"""One search over the loop: problems, inspections and issued documents, each ranked, paged
and counted only among the rows the user may see (docs/search.md).

Every section starts from the model's `visible_to(user)`; the full-text index only narrows
that queryset (`ducha.core.fulltext.matching`), so a row out of scope, a secret visit or a
draft of another office is neither found nor counted. Pages and the API both call `search`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, QuerySet, TextChoices, Value, When
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from ducha.core.fulltext import ranked
from ducha.core.search import TextQuery, highlight, normalise
from ducha.documents.choices import DocState
from ducha.documents.models import Document
from ducha.fieldwork.models import Answer, Inspection
from ducha.problems.choices import Action
from ducha.problems.models import Problem, ProblemEvent

# Around the first matched word, this many characters on each side make the snippet.
SNIPPET_SIDE = 40
# Without `kind`, each section shows its best few rows and links to the rest.
PREVIEW_ROWS = 5

# The events whose words a problem's search text holds besides its title, description, rule.
WORDED_ACTIONS = (
    Action.SUBMIT_RECTIFICATION,
    Action.VERIFY_ACCEPT,
    Action.VERIFY_REJECT,
    Action.CLOSE_ON_SPOT,
)


class Kind(TextChoices):
    PROBLEMS = "problems", _("Problems")
    INSPECTIONS = "inspections", _("Inspections")
    DOCUMENTS = "documents", _("Documents")


@dataclass(frozen=True)
class Hit:
    id: int
    title: str
    marked_title: SafeString
    marked_snippet: SafeString
    url: str
    rank: float


@dataclass(frozen=True)
class Section:
    kind: str
    label: str
    count: int
    page: int
    page_size: int
    hits: list[Hit]

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def snippet(texts: Iterable[str], query: TextQuery, side: int = SNIPPET_SIDE) -> SafeString:
    """A short piece of the first text that holds a query word, the words marked; the first
    non-empty text's beginning when none does (the match was in a part not shown)."""
    fallback = ""
    for text in texts:
        if not text:
            continue
        fallback = fallback or text
        folded = normalise(text)
        found = [at for word in query.sought if (at := folded.find(word)) != -1]
        if found:
            start = max(0, min(found) - side)
            end = min(len(text), min(found) + side * 2)
            piece = highlight(text[start:end], query)
            before = "…" if start > 0 else ""
            after = "…" if end < len(text) else ""
            return mark_safe(f"{escape(before)}{piece}{escape(after)}")  # noqa: S308
    shown = fallback[: side * 3]
    return mark_safe(escape(shown) + ("…" if len(fallback) > len(shown) else ""))  # noqa: S308


def _problem_hits(rows: Sequence[Problem], query: TextQuery) -> list[Hit]:
    comments: dict[int, list[str]] = {}
    events = ProblemEvent.objects.filter(
        problem__in=[row.pk for row in rows], action__in=WORDED_ACTIONS
    ).order_by("created_at", "pk")
    for problem_id, comment in events.values_list("problem_id", "comment"):
        comments.setdefault(problem_id, []).append(comment)
    return [
        Hit(
            id=row.pk,
            title=row.title,
            marked_title=highlight(row.title, query),
            marked_snippet=snippet([row.description, row.rule, *comments.get(row.pk, [])], query),
            url=reverse("problems:detail", args=[row.pk]),
            rank=float(getattr(row, "search_rank", 0.0) or 0.0),
        )
        for row in rows
    ]


def inspection_title(inspection: Inspection) -> str:
    sites = "、".join(site.name for site in inspection.sites.all())
    return f"{inspection} · {sites}" if sites else str(inspection)


def _inspection_hits(rows: Sequence[Inspection], query: TextQuery) -> list[Hit]:
    notes: dict[int, list[str]] = {}
    answers = Answer.objects.filter(inspection__in=[row.pk for row in rows]).exclude(note="")
    for inspection_id, note in answers.order_by("pk").values_list("inspection_id", "note"):
        notes.setdefault(inspection_id, []).append(note)
    hits = []
    for row in rows:
        title = inspection_title(row)
        hits.append(
            Hit(
                id=row.pk,
                title=title,
                marked_title=highlight(title, query),
                marked_snippet=snippet([row.notes, *notes.get(row.pk, [])], query),
                url=reverse("fieldwork:inspection", args=[row.pk]),
                rank=float(getattr(row, "search_rank", 0.0) or 0.0),
            )
        )
    return hits


def _document_hits(rows: Sequence[Document], query: TextQuery) -> list[Hit]:
    hits = []
    for row in rows:
        title = str(row)
        texts = [str(value) for _key, value in sorted((row.texts or {}).items())]
        hits.append(
            Hit(
                id=row.pk,
                title=title,
                marked_title=highlight(title, query),
                marked_snippet=snippet(texts, query),
                url=reverse("documents:detail", args=[row.pk]),
                rank=float(getattr(row, "search_rank", 0.0) or 0.0),
            )
        )
    return hits


@dataclass(frozen=True)
class Searchable:
    rows: Callable[[Any], QuerySet[Any]]
    hits: Callable[[Any, TextQuery], list[Hit]]
    # The column whose words weigh most: a row naming them in its title comes first.
    title: str = ""


def _titles_first(rows: QuerySet[Any], query: TextQuery, title: str) -> QuerySet[Any]:
    """Rows whose title holds more of the words before the others, then by the index's rank.

    The words are compared as typed in the title, so a title in traditional script counts as
    a body match here; the index's rank, which sees the normal form, still orders those.
    """
    if not title:
        return rows
    in_title = sum(
        (
            Case(When(**{f"{title}__icontains": word}, then=Value(1)), default=Value(0))
            for word in query.sought
        ),
        start=Value(0),
    )
    return rows.annotate(title_words=in_title).order_by(
        F("title_words").desc(), F("search_rank").desc(), "-pk"
    )


SEARCHABLE: dict[str, Searchable] = {
    Kind.PROBLEMS: Searchable(
        rows=lambda user: Problem.objects.visible_to(user).only(
            "pk", "title", "description", "rule"
        ),
        hits=_problem_hits,
        title="title",
    ),
    Kind.INSPECTIONS: Searchable(
        rows=lambda user: (
            Inspection.objects.visible_to(user).select_related("team").prefetch_related("sites")
        ),
        hits=_inspection_hits,
    ),
    Kind.DOCUMENTS: Searchable(
        # Drafts are work in progress, found from the documents list; search finds records.
        rows=lambda user: Document.objects.visible_to(user).filter(state=DocState.ISSUED),
        hits=_document_hits,
        title="title",
    ),
}


def search(
    user: Any, query: TextQuery, *, kind: str = "", page: int = 1, page_size: int = PREVIEW_ROWS
) -> list[Section]:
    """The sections of a search: one kind (paged) or every kind (its first page each)."""
    kinds = [kind] if kind else list(Kind.values)
    sections = []
    for name in kinds:
        searchable = SEARCHABLE[name]
        asked = query
        found = _titles_first(ranked(searchable.rows(user), asked), asked, searchable.title)
        count = found.count()
        if not count and not asked.by_characters:
            # The words find nothing: look for the strings inside the stored words.
            asked = query.characters()
            found = _titles_first(ranked(searchable.rows(user), asked), asked, searchable.title)
            count = found.count()
        pages = max(1, -(-count // page_size))
        current = min(max(page, 1), pages)
        offset = (current - 1) * page_size
        rows = list(found[offset : offset + page_size])
        sections.append(
            Section(
                kind=name,
                label=str(Kind(name).label),
                count=count,
                page=current,
                page_size=page_size,
                hits=searchable.hits(rows, asked),
            )
        )
    return sections
