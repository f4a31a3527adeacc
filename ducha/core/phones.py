"""Chinese telephone numbers: a mobile (11 digits, optionally +86) or a landline with its area
code (an extension may follow). Separators people type (spaces, hyphens) are allowed where
they are usual; the number is kept as typed."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_MAX_LENGTH = 20
MOBILE = re.compile(r"(?:\+?86[ -]?)?1[3-9]\d{9}", re.ASCII)
# Area codes are 3 or 4 digits starting with 0 (010, 0755); numbers 7 or 8 digits.
LANDLINE = re.compile(r"0\d{2,3}[ -]?\d{7,8}(?:-\d{1,6})?", re.ASCII)


def validate_phone(value: str) -> None:
    if len(value) > PHONE_MAX_LENGTH or not (MOBILE.fullmatch(value) or LANDLINE.fullmatch(value)):
        raise ValidationError(
            _(
                "Enter a mobile number of 11 digits (e.g. 13812345678) or a landline number "
                "with its area code (e.g. 010-12345678)."
            ),
            code="invalid_phone",
        )
