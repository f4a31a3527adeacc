"""Bounded text: what a text input may hold, said once for the API, the pages and imports.

A text is refused when it holds a character that XML 1.0 cannot carry (the Word and Excel
files are XML) or that PostgreSQL cannot store (NUL), or when it is longer than its kind
allows. Line breaks and tabs are allowed only in multi-line fields. The limits are
explained in docs/decisions/0010-bounded-text.md.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.translation import gettext as _
from pydantic import AfterValidator, StringConstraints

from ducha.core.errors import InvalidInput

# Limits per kind of field, in characters.
NAME = 100  # names: API tokens, the keys of a document's texts
TITLE = 200  # titles of problems, documents and meetings
SEARCH = 200  # ?q= and other text filters
LINE = 300  # one line: an addressee list, a checklist question
LONG = 4_000  # descriptions, comments, reasons, notes, rules, evidence
REPORT = 10_000  # the sections of a daily report, a summary or a document's body
CEILING = REPORT  # any text input that names no kind of its own

# C0 controls but tab, line feed and carriage return; the two non-characters U+FFFE/U+FFFF;
# lone surrogates (a JSON "\ud800" decodes to one).
_ILLEGAL = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff"
ILLEGAL_MULTILINE = re.compile(f"[{_ILLEGAL}]")
ILLEGAL_ONE_LINE = re.compile(f"[{_ILLEGAL}\t\n\r]")


def text_error(value: str, *, max_length: int = CEILING, multiline: bool = True) -> str | None:
    """Why the text cannot be taken, in the user's language, or None when it can."""
    if len(value) > max_length:
        return _("Ensure this value has at most %(max_length)s characters (it has %(length)s).") % {
            "max_length": max_length,
            "length": len(value),
        }
    illegal = illegal_character(value, multiline=multiline)
    if illegal is None:
        return None
    position, char = illegal
    if char in "\t\n\r":
        return _("Write this on one line: line breaks and tabs are not allowed here.")
    return _(
        "Remove the control character %(char)s at position %(position)s: it cannot be stored "
        "or printed."
    ) % {"char": f"U+{ord(char):04X}", "position": position}


def clean_text(
    value: str,
    field: str,
    *,
    max_length: int = CEILING,
    required: bool = False,
    one_line: bool = False,
) -> str:
    """The text an action stores, stripped: refused on `field` when required and empty, too
    long, or holding characters no text may hold."""
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("This field is required."), field)
    message = text_error(value, max_length=max_length, multiline=not one_line)
    if message is not None:
        raise InvalidInput(message, field)
    return value


def illegal_character(value: str, *, multiline: bool = True) -> tuple[int, str] | None:
    """The first character the text may not hold, with its position (from 1), or None."""
    found = (ILLEGAL_MULTILINE if multiline else ILLEGAL_ONE_LINE).search(value)
    return None if found is None else (found.start() + 1, found.group())


def writable(value: Any) -> Any:
    """The value with what XML cannot carry removed, for the Word and Excel writers.

    Input is checked on the way in, but rows stored before the check (or written by other
    means) must still print: a document is never refused for one stray character.
    """
    if isinstance(value, str):
        return ILLEGAL_MULTILINE.sub("", value)
    return value


# --- The API (pydantic) ------------------------------------------------------------------


def text_checker(max_length: int, multiline: bool) -> Any:
    def check(value: str) -> str:
        message = text_error(value, max_length=max_length, multiline=multiline)
        if message is not None:
            raise ValueError(message)
        return value

    return AfterValidator(check)


# Types of the API's text fields; a 422 names the field and says what is wrong.
Name = Annotated[str, StringConstraints(max_length=NAME), text_checker(NAME, False)]
Title = Annotated[str, StringConstraints(max_length=TITLE), text_checker(TITLE, False)]
Search = Annotated[str, StringConstraints(max_length=SEARCH), text_checker(SEARCH, False)]
Line = Annotated[str, StringConstraints(max_length=LINE), text_checker(LINE, False)]
LongText = Annotated[str, StringConstraints(max_length=LONG), text_checker(LONG, True)]
ReportText = Annotated[str, StringConstraints(max_length=REPORT), text_checker(REPORT, True)]


# --- The pages (Django forms) ------------------------------------------------------------


class TextValidator:
    """The same check as the API's, as a Django validator (for forms and imports)."""

    def __init__(self, max_length: int, multiline: bool) -> None:
        self.max_length = max_length
        self.multiline = multiline

    def __call__(self, value: str) -> None:
        message = text_error(value, max_length=self.max_length, multiline=self.multiline)
        if message is not None:
            raise ValidationError(message, code="text")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextValidator) and (self.max_length, self.multiline) == (
            other.max_length,
            other.multiline,
        )

    def __hash__(self) -> int:
        return hash((self.max_length, self.multiline))


class TextField(forms.CharField):
    """A form's text field, bounded like the API's: one line unless a Textarea is used."""

    def __init__(self, *, max_length: int = TITLE, multiline: bool | None = None, **kwargs: Any):
        super().__init__(max_length=max_length, **kwargs)
        if multiline is None:
            multiline = isinstance(self.widget, forms.Textarea)
        # Django's own length and NUL checks are replaced so the pages say what the API says.
        self.validators = [
            v
            for v in self.validators
            if not isinstance(v, MaxLengthValidator | ProhibitNullCharactersValidator)
        ]
        self.validators.append(TextValidator(max_length, multiline))
