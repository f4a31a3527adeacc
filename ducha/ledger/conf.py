"""The ledger's limits, read where they are used (set in ducha/settings.py from the
environment: DUCHA_LEDGER_MAX_BYTES, …_MAX_ROWS, …_MAX_UNPACKED_BYTES, …_MAX_RATIO,
…_MAX_SHARED_STRINGS, …_MAX_SHARED_STRINGS_BYTES, …_INLINE_BYTES, …_INLINE_ROWS,
…_EXPORT_MAX_ROWS)."""

from __future__ import annotations

from django.conf import settings


def ledger_setting(name: str) -> int:
    # Read at each use, so that a changed setting (tests, a reloaded worker) takes effect.
    return int(getattr(settings, name))
