"""Schemas and input types shared by every app's API."""

from __future__ import annotations

import json
from datetime import date, datetime
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import ConfigDict, ValidationInfo, field_validator

from ducha.core.dates import MAX_ID, date_error
from ducha.core.text import CEILING, text_error

# An ISO 8601 date-time with its offset: a time without one is refused, since the offices
# span time zones and a guess could move a deadline by hours.
AwareDatetime = datetime

# Numbers must fit a 64-bit column (a larger id makes the database driver fail), and a
# list is never longer than a person could have chosen.
MAX_ITEMS = 1_000

MAX_PAGE_SIZE = 200
# Far beyond any list (200 × 100,000 rows), and short of an OFFSET the database refuses.
MAX_PAGE = 100_000


def _admits_bool(annotation: Any) -> bool:
    if annotation is bool:
        return True
    if get_origin(annotation) in (Union, UnionType, Annotated):
        return any(_admits_bool(arg) for arg in get_args(annotation))
    return False


def _refusal(value: Any) -> str | None:
    # Every text, date and number that reaches an endpoint, whatever its field says.
    if isinstance(value, str):
        return text_error(value, max_length=CEILING)
    if isinstance(value, date):
        return date_error(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ID:
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": MAX_ID
        }
    if isinstance(value, list | tuple | dict):
        if len(value) > MAX_ITEMS:
            return _("Send at most %(count)s items.") % {"count": MAX_ITEMS}
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        return next((r for r in map(_refusal, items) if r), None)
    return None


class Bounded(Schema):
    """Input (a body or a query) whose every value is bounded, new fields included: text
    holds no character that cannot be stored or printed, dates lie in 2000–2099, times carry
    their offset, numbers fit a database column, and true/false is never a number."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool) and info.field_name:
            annotation = cls.model_fields[info.field_name].annotation
            if not _admits_bool(annotation):
                raise ValueError(_("Enter a valid value."))
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _bounded(cls, value: Any) -> Any:
        refusal = _refusal(value)
        if refusal is not None:
            raise ValueError(refusal)
        return value


class Ref(Schema):
    """A related object, named."""

    id: int
    name: str


class Body(Bounded):
    """A request body. Unknown fields are refused, so a misspelt field is never ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class FieldError(Schema):
    loc: list[Any]
    field: str
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldError]


class PageQuery(Bounded):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(settings.DUCHA_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


class PageOut(Schema):
    count: int
    page: int
    page_size: int


def json_answer(data: Any) -> HttpResponse:
    """`data` as ninja would render it, without validating it against the response schema:
    a list built to its schema (tested against it) need not be checked again on every
    request, which costs more than building it."""
    return HttpResponse(
        json.dumps(data, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8"
    )


def ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj)}


# Documented error answers; the handlers in ducha.api.errors produce them.
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut | ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    **READ_ERRORS,
    400: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
}
