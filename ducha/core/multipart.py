"""Operations that take files with their fields (multipart/form-data).

ninja reads the form fields a schema names and ignores any other, where a JSON body
refuses them (`Body` forbids extra fields); these operations refuse them too, so that a
misspelt field is never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import pydantic
from django.http import HttpRequest
from ninja.errors import ValidationError

B = TypeVar("B", bound=pydantic.BaseModel)


def refuse_unknown_fields(request: HttpRequest, known: Iterable[str]) -> None:
    """422 naming every form field or file part that is not one of `known`."""
    # A browser's form may carry Django's CSRF token as a field of its own.
    allowed = {*known, "csrfmiddlewaretoken"}
    unknown = [name for name in (*request.POST, *request.FILES) if name not in allowed]
    if unknown:
        raise ValidationError(
            [
                {"type": "extra_forbidden", "loc": ("form", name), "msg": "extra"}
                for name in dict.fromkeys(unknown)
            ]
        )


def json_body(schema: type[B], text: str, field: str = "payload") -> B:
    """A JSON body sent as the form field `field` (its shape is too deep for form fields),
    checked as the same body sent as JSON would be, with the same errors."""
    try:
        return schema.model_validate_json(text)
    except pydantic.ValidationError as error:
        raise ValidationError(
            [_located(item, field) for item in error.errors(include_url=False)]
        ) from None


def _located(item: Any, field: str) -> dict[str, Any]:
    """The error as ninja gives a body's: located in the form field, without the input (a
    text too long keeps its length, as `errors.Api` does)."""
    located = {k: v for k, v in item.items() if k != "input"}
    located["loc"] = ("form", field, *tuple(item.get("loc", ())))
    if item.get("type") == "string_too_long" and isinstance(item.get("input"), str):
        located["ctx"] = {**(item.get("ctx") or {}), "length": len(item["input"])}
    return located
