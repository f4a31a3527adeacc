"""The audit trail is kept at least 180 days: a shorter setting stops every manage.py
command (system check), and the application has no way to delete an event."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from ducha.accounts.audit import record
from ducha.accounts.choices import SecurityEventKind as Kind
from ducha.accounts.models import SecurityEvent
from ducha.core.events import ImmutableEventError


def test_the_default_keeps_180_days(settings):
    assert settings.DUCHA_AUDIT_RETENTION_DAYS == 180
    call_command("check")


@pytest.mark.parametrize("days", [179, 30, 0, -1])
def test_a_retention_below_180_days_is_refused(settings, days):
    settings.DUCHA_AUDIT_RETENTION_DAYS = days
    with pytest.raises(SystemCheckError, match="DUCHA_AUDIT_RETENTION_DAYS"):
        call_command("check")


def test_a_longer_retention_is_accepted(settings):
    settings.DUCHA_AUDIT_RETENTION_DAYS = 3 * 365
    call_command("check")


@pytest.mark.django_db
def test_the_application_cannot_delete_or_change_an_event():
    event = record(Kind.LOGIN_FAILED, username="ghost")
    with pytest.raises(ImmutableEventError):
        event.delete()
    with pytest.raises(ImmutableEventError):
        SecurityEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(ImmutableEventError):
        SecurityEvent.objects.filter(pk=event.pk).update(username="someone")
    assert SecurityEvent.objects.get(pk=event.pk).username == "ghost"
