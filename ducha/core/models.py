"""The hash chains' own tables (decision 0017): one head per chain, one anchor per day.

The chained rows themselves are the `ImmutableEvent` tables of every app; their digest
columns come from `ducha.core.events.ImmutableEvent`, and the chaining from `core/chains.py`.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ChainHead(models.Model):
    """The last position and digest of one chain (one immutable table × one shard).

    The row is locked (`SELECT … FOR UPDATE`) by the transaction that appends to its chain,
    until it commits: writers of other shards and other tables are not held up.
    """

    label = models.CharField(max_length=100)
    shard = models.PositiveSmallIntegerField()
    seq = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["label", "shard"], name="chain_head_once")]

    def __str__(self) -> str:
        return f"{self.label}#{self.shard}@{self.seq}"


class ChainAnchor(models.Model):
    """The heads of every chain at one moment of a day, hashed together with the previous
    anchor's digest. Append-only in the database; its digest is also written to the log, so
    that a copy lives outside the database."""

    day = models.DateField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # {label: {shard: [seq, digest]}}
    heads = models.JSONField(default=dict)
    previous = models.CharField(max_length=80, blank=True, default="")
    digest = models.CharField(max_length=80)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.digest}"
