"""The range of dates an input may name: anything outside it is a typing mistake or an attack.

Supervision records start long after 2000 and plan nothing beyond 2100; refusing the rest
keeps 0001-01-01 and 9999-12-31 out of sorting, arithmetic and the Word files.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
# The largest id a 64-bit key holds; a larger number in a lookup makes the driver fail.
MAX_ID = 2**63 - 1


def date_error(value: date | datetime) -> str | None:
    """Why the date (or date-time) cannot be taken, or None when it can."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            return _("Give the time with its time zone, for example 2026-01-31T09:30:00+08:00.")
        value = value.date()
    if not EARLIEST <= value <= LATEST:
        return _("Enter a date between %(earliest)s and %(latest)s.") % {
            "earliest": EARLIEST.isoformat(),
            "latest": LATEST.isoformat(),
        }
    return None


def in_range(value: date | datetime) -> None:
    """The same check as a Django validator, for the pages' date fields."""
    message = date_error(value)
    if message is not None:
        raise ValidationError(message, code="date_range")
