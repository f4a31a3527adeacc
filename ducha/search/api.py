"""Full-text search across the loop (docs/search.md)."""

from ninja import Router

router = Router(tags=["search"])
