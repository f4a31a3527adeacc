"""Append-only event rows: written once by an action, never changed or deleted by the app."""

from __future__ import annotations

from typing import Any

from django.db import models


class ImmutableEventError(RuntimeError):
    def __init__(self) -> None:
        super().__init__("Events are immutable: they cannot be changed or deleted.")


class EventQuerySet(models.QuerySet):
    """Bulk changes are refused like single ones."""

    def update(self, **kwargs: Any) -> int:
        raise ImmutableEventError

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableEventError


class ImmutableEvent(models.Model):
    objects = EventQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise ImmutableEventError
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableEventError
