"""The ledger's limits, read where they are used (set in ducha/settings.py from the
environment: DUCHA_LEDGER_MAX_BYTES, …_MAX_ROWS, …_MAX_UNPACKED_BYTES, …_MAX_RATIO,
…_MAX_SHARED_STRINGS, …_MAX_SHARED_STRINGS_BYTES, …_INLINE_BYTES, …_INLINE_ROWS,
…_EXPORT_MAX_ROWS; enterprise ledgers' …_ENTERPRISE_MAX_ROWS, …_ENTERPRISE_MAX_SHARED_STRINGS
and …_ENTERPRISE_IMPORT_CHUNK; the import's …_IMPORT_CHUNK rows a transaction, in
…_IMPORT_PARTS worker tasks side by side,
…_IMPORT_LEASE seconds without progress before an import counts as stopped,
…_LOCK_TIMEOUT_MS)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # A chunk holds the heads of the event chains it writes to, and then the country's
    # rollup rows, until it commits. With the chains split 1,024 ways (DUCHA_CHAIN_SHARDS) an
    # office's next action rarely needs a head a chunk holds, and 500 rows a chunk kept other
    # offices' creates at p95 21 ms; split 16 ways, every chunk held every head and the
    # creates' p95 passed 100 ms (docs/performance.md, ledger import, seventh round).
    "DUCHA_LEDGER_IMPORT_CHUNK": 500,
    # A problem ledger's chunks are shared out among this many worker tasks side by side:
    # one a worker process (the worker's --concurrency, 2 by default). 1: one task does all.
    "DUCHA_LEDGER_IMPORT_PARTS": 2,
    # Well above a chunk's time, including its retries after lock timeouts.
    "DUCHA_LEDGER_IMPORT_LEASE": 300,
    "DUCHA_LEDGER_LOCK_TIMEOUT_MS": 500,
    # Enterprise ledgers (复工复产台账) list a zone's every enterprise: tens of thousands of
    # rows, each with a name and a credit code of its own among the shared strings.
    "DUCHA_LEDGER_ENTERPRISE_MAX_ROWS": 100_000,
    "DUCHA_LEDGER_ENTERPRISE_MAX_SHARED_STRINGS": 400_000,
    # An enterprise chunk writes no rollup rows; it holds its enterprises and the heads of
    # the event chains it extends (docs/performance.md).
    "DUCHA_LEDGER_ENTERPRISE_IMPORT_CHUNK": 1000,
}


def ledger_setting(name: str) -> int:
    # Read at each use, so that a changed setting (tests, a reloaded worker) takes effect.
    if name in DEFAULTS:
        return int(getattr(settings, name, DEFAULTS[name]))
    return int(getattr(settings, name))
