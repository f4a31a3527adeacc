"""Full-text search across the loop (docs/search.md)."""
