"""The password policy: Django validators (so createsuperuser, the admin and the pages all
apply them) and the expiry rule.

Listed in settings.AUTH_PASSWORD_VALIDATORS; each refusal names the rule in words the user
can act on.
"""

from __future__ import annotations

import string
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ducha.accounts.models import PasswordHistory

CLASSES = (
    string.ascii_lowercase,
    string.ascii_uppercase,
    string.digits,
)


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters the password uses."""
    used = {i for i, chars in enumerate(CLASSES) for c in password if c in chars}
    if any(not any(c in chars for chars in CLASSES) for c in password):
        used.add(len(CLASSES))
    return len(used)


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_few_classes")

    def get_help_text(self) -> str:
        return _(
            "Use at least %(count)d of: lower-case letters, capital letters, digits, "
            "other characters."
        ) % {"count": self.min_classes}


class NotUsernameValidator:
    """Stricter than Django's similarity check: the username may not appear at all."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").casefold()
        if username and username in password.casefold():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("The password may not contain your username.")


class HistoryValidator:
    """Not the current password nor one of the last `count` set through the change action
    (each row holds a password as it was set, the newest being the current one)."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None or self.count <= 0:
            return
        hashes = [user.password] if user.password else []
        hashes += list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : self.count
            ]
        )
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.get_help_text(), code="password_recently_used")

    def get_help_text(self) -> str:
        return ngettext(
            "The password may not be your current one.",
            "The password may not be one of your last %(count)d passwords.",
            self.count,
        ) % {"count": self.count}


def password_set_at(user: Any) -> Any:
    latest = PasswordHistory.objects.filter(user=user).values_list("created_at", flat=True)
    return latest.first() or user.date_joined


def password_expired(user: Any) -> bool:
    """Whether the user must change the password before anything else (off when the
    setting is 0)."""
    days = settings.DUCHA_PASSWORD_MAX_AGE_DAYS
    if days <= 0:
        return False
    return bool(password_set_at(user) <= timezone.now() - timedelta(days=days))
