"""Resolve ids sent by a client, only among the rows the caller may see."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from ducha.core.scoping import not_in_scope

M = TypeVar("M", bound=Model)


def pick(queryset: QuerySet[M], pk: Any, field: str) -> M:
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise not_in_scope(field)
    return found
