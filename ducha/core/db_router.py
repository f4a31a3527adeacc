"""The database router with a replica (DUCHA_REPLICA_URL): writes and migrations on the
primary, reads where `ducha.core.replica` says (docs/decisions/0022-read-replica.md)."""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS

from ducha.core import replica


class PrimaryReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        return replica.read_database(model)

    def db_for_write(self, model: Any, **hints: Any) -> str:
        replica.note_write(model)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica holds the primary's rows: an object read on one relates to the other's.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
