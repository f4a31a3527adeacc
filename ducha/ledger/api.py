"""Excel ledgers: problem lists out, problems in. over JSON."""

from ninja import Router

router = Router(tags=["ledger"])
