"""Append-only event rows: written once by an action, never changed or deleted by the app.

Every row is also a link of a hash chain (decision 0017, `core/chains.py`): it is sealed
(its shard, position and digest set, its chain's head moved) in the transaction that
inserts it, whether by `save()`, by `bulk_create()` or by `core.bulk.insert` (COPY).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models, router, transaction

from ducha.core import chains


class ImmutableEventError(RuntimeError):
    def __init__(self) -> None:
        super().__init__("Events are immutable: they cannot be changed or deleted.")


class EventQuerySet(models.QuerySet):
    """Bulk changes are refused like single ones; bulk inserts are chained."""

    def update(self, **kwargs: Any) -> int:
        raise ImmutableEventError

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableEventError

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        # A row skipped on a conflict would leave a hole in its chain.
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise ImmutableEventError
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            chains.seal(self.model, objs, self.db)
            return super().bulk_create(objs, *args, **kwargs)


class ImmutableEvent(models.Model):
    # The link of the row in its table's hash chain; set by `chains.seal`, never by hand.
    # Nullable: rows written around the application (a raw INSERT) have none, and the
    # verification says so.
    chain_shard = models.PositiveSmallIntegerField(null=True, editable=False)
    chain_seq = models.PositiveBigIntegerField(null=True, editable=False)
    digest = models.CharField(max_length=80, null=True, editable=False)  # noqa: DJ001

    # The field whose value chooses the row's chain (see chains.chain_by).
    chain_by: ClassVar[str | None] = None

    objects = EventQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise ImmutableEventError
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            chains.seal(type(self), [self], using)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableEventError
