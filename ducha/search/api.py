"""Full-text search across the loop over JSON (docs/search.md): the same sections, counts and
refusals as the search page.

Runtime annotations (no `from __future__ import annotations`): ninja reads each endpoint's
query schema from its signature.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from ducha.accounts.auth import caller
from ducha.core.errors import InvalidInput
from ducha.core.schemas import READ_ERRORS, PageOut, PageQuery
from ducha.core.search import FullTextSearch, parse_query
from ducha.search.finding import PREVIEW_ROWS, Kind, search
from ducha.search.forms import EMPTY

router = Router(tags=["search"])


class SearchQuery(PageQuery):
    q: FullTextSearch
    kind: Kind | None = None


class HitOut(Schema):
    id: int
    title: str
    marked_title: str
    marked_snippet: str
    url: str
    rank: float


class SearchSectionOut(PageOut):
    kind: Kind
    items: list[HitOut]


class SearchOut(Schema):
    # The words searched for, in their normal form (the query itself is the caller's own).
    words: list[str]
    sections: list[SearchSectionOut]


@router.get("/search", response={200: SearchOut, **READ_ERRORS})
def search_all(request: HttpRequest, filters: Query[SearchQuery]) -> dict[str, Any]:
    """Problems, inspections and issued documents holding every word of `q`, best first,
    among those the caller may see. Without `kind`, each kind's first rows
    (`page_size` at most 5); with it, that kind paged. `marked_*` is escaped HTML with the
    matched words in `<mark>`."""
    query = parse_query(filters.q)
    if query is None:
        raise InvalidInput(str(EMPTY), "q")
    kind = filters.kind.value if filters.kind else ""
    page_size = filters.page_size if kind else min(filters.page_size, PREVIEW_ROWS)
    sections = search(caller(request), query, kind=kind, page=filters.page, page_size=page_size)
    return {
        "words": list(query.words),
        "sections": [
            {
                "kind": section.kind,
                "count": section.count,
                "page": section.page,
                "page_size": section.page_size,
                "items": [hit.__dict__ for hit in section.hits],
            }
            for section in sections
        ],
    }
