"""Form pieces shared by the apps' pages, and how a page runs an action."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ducha.core.errors import ActionError, InvalidInput, TransitionRefused

# Photos sent at once with one action, one answer or one visit.
MAX_PHOTOS = 10


def too_many_photos() -> str:
    return str(_("Send at most %(count)s photos at once.") % {"count": MAX_PHOTOS})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input; each is checked by content when it is attached."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {
            "accept": "image/*",
            "capture": "environment",
            "multiple": True,
            # Large camera pictures are made smaller in the browser before the upload.
            "data-shrink": True,
        }
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(too_many_photos())
        return [super(PhotosField, self).clean(item, initial) for item in files]


# --- running an action from a page --------------------------------------------------------

T = TypeVar("T")
Aliases = Mapping[str, str | None] | Callable[[str], str | None]


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What an action did for a page: its result, or the refusal the page now shows."""

    value: T | None = None
    refusal: ActionError | None = None

    @property
    def result(self) -> T:
        """What the action returned (only when it was not refused)."""
        if self.refusal is not None:
            raise RuntimeError("The action was refused; it returned nothing.")
        return cast(T, self.value)

    @property
    def ok(self) -> bool:
        return self.refusal is None

    @property
    def refused_state(self) -> bool:
        """Refused for the object's state (or version), not for the input: the page shows
        the object as it is now rather than the form again."""
        return isinstance(self.refusal, TransitionRefused)

    @property
    def status(self) -> int:
        """The status the API gives the same refusal (422, 409, 412 …)."""
        return 200 if self.refusal is None else self.refusal.status


def put_error(form: Any, error: ActionError, aliases: Aliases | None = None) -> None:
    """The action's message on the form field it names, or above the form."""
    field = error.field or ""
    if callable(aliases):
        field = aliases(field) or ""
    elif aliases is not None:
        field = aliases.get(field, field) or ""
    form.add_error(field if field in form.fields else None, error.message)


def run_action(
    request: HttpRequest,
    form: Any,
    action: Callable[..., T],
    /,
    *args: Any,
    aliases: Aliases | None = None,
    say: Mapping[type[ActionError], str | None] | None = None,
    **kwargs: Any,
) -> Outcome[T]:
    """Run `action(*args, **kwargs)` for a page and turn a refusal into what the page shows.

    Bad input (InvalidInput) goes on the form's field it names (`aliases` renames the
    action's field names to the form's). Without a form, and for a refused state or
    version (TransitionRefused, StaleVersion), the message goes on top of the page: the
    action's own, or the words `say` gives for that kind of refusal (None: the page shows
    it its own way, as the overlaps of a planned visit). Anything else (PermissionDenied,
    Http404) is not a refusal of the input and is left to Django.
    """
    try:
        return Outcome(value=action(*args, **kwargs))
    except ActionError as error:
        if isinstance(error, InvalidInput) and form is not None:
            put_error(form, error, aliases)
        else:
            kinds = [kind for kind in (say or {}) if isinstance(error, kind)]
            words = (say or {})[kinds[0]] if kinds else error.message
            if words is not None:
                messages.error(request, words)
        return Outcome(refusal=error)
