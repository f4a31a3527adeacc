"""Choosers: the rows an input field may name, as one query shared by every path that
takes the field.

A page's form offers exactly the chooser's rows, the API looks a client's id up among
them, and the action checks the row it is given against them. All three refuse anything
else with the chooser's own message on the chooser's own field, so the page and the API
cannot drift apart (docs/decisions/0015-rules-in-actions.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet

from ducha.core.errors import InvalidInput
from ducha.core.scoping import NOT_IN_SCOPE

M = TypeVar("M", bound=Model)


class Chooser(Generic[M]):
    """The rows field `field` may name, given the context (the user, the problem …) that
    `query` takes, and the refusal of any other row."""

    def __init__(
        self, field: str, query: Callable[..., QuerySet[M]], message: Any = NOT_IN_SCOPE
    ) -> None:
        self.field = field
        self.query = query
        self.message = message

    def choices(self, *context: Any) -> QuerySet[M]:
        return self.query(*context)

    def refusal(self, field: str | None = None) -> InvalidInput:
        return InvalidInput(str(self.message), field or self.field)

    def pick(self, pk: Any, *context: Any) -> M:
        """The row with this id among the choices (an id a client sent), or the refusal."""
        found = None
        if isinstance(pk, int) and not isinstance(pk, bool):
            found = self.choices(*context).filter(pk=pk).first()
        if found is None:
            raise self.refusal()
        return found

    def check(self, row: M, *context: Any) -> M:
        """The row itself when it is among the choices (an action's argument), or the refusal."""
        if not self.choices(*context).filter(pk=row.pk).exists():
            raise self.refusal()
        return row

    def offer(self, form_field: Any, *context: Any) -> None:
        """Make a form's ModelChoiceField offer the choices and refuse others in our words."""
        form_field.queryset = self.choices(*context)
        form_field.error_messages = {**form_field.error_messages, "invalid_choice": self.message}
