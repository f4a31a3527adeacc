"""Schemas and input types shared by every app's API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.conf import settings
from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict


def _aware(value: datetime) -> datetime:
    # A time without an offset is a wall-clock time where the offices are.
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


# An ISO 8601 date-time; naive values are read in settings.TIME_ZONE.
AwareDatetime = Annotated[datetime, AfterValidator(_aware)]

MAX_PAGE_SIZE = 200


class Ref(Schema):
    """A related object, named."""

    id: int
    name: str


class Body(Schema):
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


class PageQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(settings.DUCHA_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


class PageOut(Schema):
    count: int
    page: int
    page_size: int


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
