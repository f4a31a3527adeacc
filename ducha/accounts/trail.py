"""What the security audit trail records by itself: logins, failed logins, logouts, expired
sessions, permission refusals, admin changes; and the helper every export and download uses.

Everything here writes through `ducha.accounts.audit.record`. The actions that issue or
revoke tokens, lock or unlock accounts, set up two-factor login or change roles record their
own events; this module covers what no action sees. Recording never changes an answer: a
page refused stays refused, a login succeeds or fails the same with or without its row.
"""

from __future__ import annotations

import getpass
import hashlib
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DatabaseError, models, transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from ducha.accounts.audit import USERNAME_LENGTH, address_of, record
from ducha.accounts.choices import SecurityEventKind

# Set on the request by the session timeout just before it logs the user out, so that the
# logout is recorded as an expiry (with the clock that ran out), not as the user's own.
EXPIRED_ATTR = "ducha_session_expired"
_FAILURE_RECORDED = "_ducha_login_failure_recorded"

R = TypeVar("R", bound=HttpResponseBase)

# Bounds on what a request may put into an event's detail.
QUERY_KEYS = 20
QUERY_VALUE_LENGTH = 200
IDS = 500
REPR_LENGTH = 200

# The access helper's refusals noted during the request being answered (it has no request
# to hand), written by the middleware once the answer is known.
_pending: ContextVar[list[dict[str, Any]] | None] = ContextVar("ducha_audit_pending", default=None)


# --- bounding the volume ---------------------------------------------------------------


def _principal(request: HttpRequest | None, user: Any) -> str:
    if user is not None and getattr(user, "is_authenticated", False):
        return f"u{user.pk}"
    address = address_of(request) if request is not None else None
    return f"a{address or '-'}"


def within_budget(kind: str, principal: str, once_key: str = "") -> bool:
    """Whether one more row of `kind` for this account or address may be written now.

    At most `DUCHA_AUDIT_BURST_PER_MINUTE` rows of one kind per account (or, without one,
    per address) per minute, and with `once_key` (a method and path) one row per minute for
    the same key. A crawler or a password sprayer then writes a few thousand rows an hour,
    not millions. The counters live in the cache (shared between processes with Redis; per
    process with the default local-memory cache, so the bound is per process there).
    """
    prefix = f"ducha:audit:{kind}:{principal}"
    if once_key:
        digest = hashlib.sha256(once_key.encode()).hexdigest()[:32]
        if not cache.add(f"{prefix}:once:{digest}", 1, timeout=60):
            return False
    bucket = f"{prefix}:count"
    cache.add(bucket, 0, timeout=60)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=60)
        count = 1
    return bool(count <= settings.DUCHA_AUDIT_BURST_PER_MINUTE)


# --- logins, failed logins, logouts ----------------------------------------------------


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(SecurityEventKind.LOGIN, request=request, actor=user)


def on_login_failed(
    sender: Any, credentials: Mapping[str, Any], request: HttpRequest | None = None, **kw: Any
) -> None:
    # One attempt is one row, however often the request authenticates (the lockout page
    # validates its form again, which fails again).
    if request is not None:
        if getattr(request, _FAILURE_RECORDED, False):
            return
        setattr(request, _FAILURE_RECORDED, True)
    User = get_user_model()
    typed = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    typed = typed[:USERNAME_LENGTH]
    if not within_budget(SecurityEventKind.LOGIN_FAILED, _principal(request, None)):
        return
    # The account, when the name is one: its audit administrator then sees the attempt.
    subject = User._default_manager.filter(**{User.USERNAME_FIELD: typed}).first()
    locked = bool(getattr(request, "axes_locked_out", False)) if request is not None else False
    record(
        SecurityEventKind.LOGIN_FAILED,
        request=request,
        actor=None,
        subject=subject,
        username=typed,
        locked_out=locked,
    )


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:  # logging out while not signed in
        return
    expired = getattr(request, EXPIRED_ATTR, None) if request is not None else None
    if expired:
        record(SecurityEventKind.SESSION_EXPIRED, request=request, actor=user, clock=expired)
    else:
        record(SecurityEventKind.LOGOUT, request=request, actor=user)


# --- permission refused ----------------------------------------------------------------


def _note_refusal(request: HttpRequest | None, user: Any, **detail: Any) -> None:
    method = request.method if request is not None else ""
    path = request.path if request is not None else ""
    once = f"{method} {path} {detail.get('model', '')} {detail.get('id', '')}"
    if not within_budget(SecurityEventKind.PERMISSION_DENIED, _principal(request, user), once):
        return
    record(
        SecurityEventKind.PERMISSION_DENIED, request=request, actor=user, method=method, **detail
    )


def on_refusal(model: type[models.Model], user: Any, pk: int) -> None:
    """The access helper's hook: it answered 404 for `pk`. Only a row that exists was refused;
    a missing one is no refusal (and would let anyone fill the trail with made-up ids)."""
    if not model._base_manager.filter(pk=pk).exists():
        return
    detail = {"reason": "out_of_scope", "model": model._meta.label_lower, "id": pk}
    pending = _pending.get()
    if pending is None:  # outside a request (a command, a worker): write it now
        _note_refusal(None, user, **detail)
    else:
        # Written by the middleware once the view has answered, outside the view's
        # transaction: a 404 raised inside `atomic` would otherwise roll the row back.
        pending.append({"user": user, **detail})


class SecurityAuditMiddleware:
    """Records every 403 answer and the access helper's refusals of the request.

    Sits after AuthenticationMiddleware; API token requests set `request.user` in the view,
    which is done by the time the answer comes back here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        pending: list[dict[str, Any]] = []
        token = _pending.set(pending)
        try:
            response = self.get_response(request)
        finally:
            _pending.reset(token)
        user = getattr(request, "user", None)
        if response.status_code == 403:
            _note_refusal(request, user, reason="forbidden", status=403)
        for refusal in pending:
            _note_refusal(request, refusal.pop("user"), status=response.status_code, **refusal)
        return response


# --- exports and downloads -------------------------------------------------------------


def bounded_query(request: HttpRequest) -> dict[str, Any]:
    """The query string as sent, bounded: the filters an export was made with."""
    query: dict[str, Any] = {}
    for key in list(request.GET.keys())[:QUERY_KEYS]:
        values = [v[:QUERY_VALUE_LENGTH] for v in request.GET.getlist(key)[:QUERY_KEYS]]
        query[key[:QUERY_VALUE_LENGTH]] = values[0] if len(values) == 1 else values
    return query


def recorded(
    response: R, request: HttpRequest, kind: SecurityEventKind, what: str, **detail: Any
) -> R:
    """Record an export or download that is about to leave, and hand its response back.

    The one helper every page and API endpoint that sends a file of personal or disciplinary
    data goes through: `return recorded(file_response(...), request, EXPORT, "ledger",
    rows=n)`. `what` names the data; the detail says which (ids, row count) and the query
    string says with which filters. Refusals (not 200) are not exports.
    """
    if response.status_code == 200:
        record(kind, request=request, what=what, query=bounded_query(request), **detail)
    return response


# --- the admin site --------------------------------------------------------------------


def _changed_fields(message: Any) -> list[str]:
    """The field names in Django's change message ([{"changed": {"fields": [...]}}, ...])."""
    fields: list[str] = []
    if isinstance(message, list):
        for part in message:
            for change in part.values() if isinstance(part, dict) else ():
                if isinstance(change, dict):
                    fields.extend(str(f) for f in change.get("fields", []))
    return fields[:IDS]


def _account_of(obj: models.Model) -> Any:
    """The account a changed object is about (a user, or a user's membership or token)."""
    User = get_user_model()
    if isinstance(obj, User):
        return obj
    related = getattr(obj, "user", None)
    return related if isinstance(related, User) else None


def on_admin_change(
    request: HttpRequest, action: str, objects: Sequence[models.Model], message: Any = ""
) -> None:
    if not objects:
        return
    model = type(objects[0])
    detail: dict[str, Any] = {
        "action": action,
        "model": model._meta.label_lower,
        "ids": [str(obj.pk) for obj in objects[:IDS]],
        "count": len(objects),
        "objects": [str(obj)[:REPR_LENGTH] for obj in objects[:20]],
    }
    if action == "change":
        detail["fields"] = _changed_fields(message)
    if isinstance(message, list):
        detail["message"] = message[:50]
    # A deleted account is not named as the subject: the row would keep it from going.
    subject = _account_of(objects[0]) if action != "delete" and len(objects) == 1 else None
    record(SecurityEventKind.ADMIN_CHANGE, request=request, subject=subject, **detail)


def on_operation(kind: str, detail: dict[str, Any]) -> None:
    """A command's operation (a backup, a restore), by the operating-system account that ran
    it. The database may have no audit table yet (a refused restore into an empty one): then
    there is nowhere to write, and the command's own output is the record."""
    try:
        with transaction.atomic():
            record(SecurityEventKind(kind), username=getpass.getuser(), **detail)
    except DatabaseError:
        return
