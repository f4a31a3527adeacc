"""The ledger's settings, with their defaults (each can be set in ducha/settings.py)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict[str, int] = {
    # An uploaded ledger may be this large, and hold this many problem rows.
    "DUCHA_LEDGER_MAX_BYTES": 10 * 1024 * 1024,
    "DUCHA_LEDGER_MAX_ROWS": 20_000,
    # An .xlsx is a zip: what it unpacks to is limited too (a small file can unpack to GBs).
    "DUCHA_LEDGER_MAX_UNPACKED_BYTES": 200 * 1024 * 1024,
    # Files up to this size are checked during the upload request, larger ones by a worker.
    "DUCHA_LEDGER_INLINE_BYTES": 256 * 1024,
    # Up to this many rows are imported during the request, more by a worker.
    "DUCHA_LEDGER_INLINE_ROWS": 200,
    # Longest export; an Excel sheet holds 1,048,576 rows.
    "DUCHA_LEDGER_EXPORT_MAX_ROWS": 1_000_000,
}


def ledger_setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))
