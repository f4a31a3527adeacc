"""Single records come only through here: 404 for missing and out of scope alike, 403 for a
visible one the caller's roles may not act on. Reading a record that names a person leaves
a row in the security audit trail (docs/accountability.md, "The read trail")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.http import HttpRequest

from ducha.accountability.choices import ALLOWED_FROM
from ducha.accountability.models import Accountability, Commendation
from ducha.accounts.audit import record as audit
from ducha.accounts.choices import SecurityEventKind
from ducha.core.scoping import VIEW, access

R = TypeVar("R", Accountability, Commendation)


def access_record(user: Any, model: type[R], record_id: Any, action: str = VIEW) -> R:
    return access(model, user, record_id, action).obj


def read_record(request: HttpRequest, user: Any, model: type[R], record_id: Any) -> R:
    """The record for reading; opening one that names a person is itself recorded (who,
    when, which), on the page and in the API alike."""
    record = access_record(user, model, record_id)
    if record.person_name:
        audit(
            SecurityEventKind.PERSONAL_RECORD_READ,
            request=request,
            actor=user,
            record=model._meta.model_name,
            id=record.pk,
        )
    return record


def list_read(request: HttpRequest, user: Any, model: type[Any], ids: Sequence[int]) -> None:
    """A list that shows names leaves one row per reading, naming the records shown."""
    if ids:
        audit(
            SecurityEventKind.PERSONAL_RECORD_READ,
            request=request,
            actor=user,
            record=model._meta.model_name,
            ids=list(ids),
        )


def allowed_actions(user: Any, record: Accountability | Commendation) -> list[str]:
    """The actions the user may take on the record now (its state and their roles)."""
    rows = type(record).objects
    return [
        action
        for action, states in ALLOWED_FROM.items()
        if record.state in states and rows.visible_to(user, action).filter(pk=record.pk).exists()
    ]
