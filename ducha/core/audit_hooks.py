"""Registration points for the security audit trail, which lives above core (in accounts).

Core's access helper and admin base classes must leave a trace of some things (an object out
of the caller's scope, a change in the admin site) but cannot import the app that records
them. The accounts app adds its recorders here in `AccountsConfig.ready()`; with none
registered (a bare core), nothing is recorded and nothing fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import models
from django.http import HttpRequest

# (model, user, pk): `access()` answered 404 for this id; the row may or may not exist.
RefusalHook = Callable[[type[models.Model], Any, int], None]
# (request, action, objects, message): the admin site added, changed or deleted objects.
AdminChangeHook = Callable[[HttpRequest, str, Sequence[models.Model], Any], None]

# (kind, detail): an operation run outside any request, such as a backup or a restore.
OperationHook = Callable[[str, dict[str, Any]], None]

_refusal_hooks: list[RefusalHook] = []
_admin_change_hooks: list[AdminChangeHook] = []
_operation_hooks: list[OperationHook] = []


def on_refusal(hook: RefusalHook) -> None:
    if hook not in _refusal_hooks:
        _refusal_hooks.append(hook)


def on_admin_change(hook: AdminChangeHook) -> None:
    if hook not in _admin_change_hooks:
        _admin_change_hooks.append(hook)


def on_operation(hook: OperationHook) -> None:
    if hook not in _operation_hooks:
        _operation_hooks.append(hook)


def operation(kind: str, **detail: Any) -> None:
    """Record an operation of a management command (`kind` is a SecurityEventKind value)."""
    for hook in _operation_hooks:
        hook(kind, detail)


def refused(model: type[models.Model], user: Any, pk: int) -> None:
    for hook in _refusal_hooks:
        hook(model, user, pk)


def admin_changed(
    request: HttpRequest, action: str, objects: Sequence[models.Model], message: Any = ""
) -> None:
    for hook in _admin_change_hooks:
        hook(request, action, objects, message)
