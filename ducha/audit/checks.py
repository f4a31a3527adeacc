"""System checks of the audit trail's settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

# 等保 2.0 level 3 asks for audit records kept at least six months.
MINIMUM_RETENTION_DAYS = 180


def check_retention(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    days = getattr(settings, "DUCHA_AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)
    if isinstance(days, int) and days >= MINIMUM_RETENTION_DAYS:
        return []
    return [
        Error(
            f"DUCHA_AUDIT_RETENTION_DAYS is {days!r}: the security audit trail must be kept "
            f"at least {MINIMUM_RETENTION_DAYS} days.",
            hint=f"Set DUCHA_AUDIT_RETENTION_DAYS to {MINIMUM_RETENTION_DAYS} or more.",
            id="audit.E001",
        )
    ]
