"""Resolve ids sent by a client, only among the rows the caller may see."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput

M = TypeVar("M", bound=Model)


def not_in_scope(field: str) -> InvalidInput:
    # Missing and out-of-scope read the same, so ids cannot be probed.
    return InvalidInput(_("Not found in your jurisdiction."), field)


def pick(queryset: QuerySet[M], pk: Any, field: str) -> M:
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise not_in_scope(field)
    return found
