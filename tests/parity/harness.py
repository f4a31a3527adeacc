"""One harness for page/API parity: the same input through a page and through the API.

Each side runs on the same state: the request is made inside a savepoint that is rolled back
afterwards, so the second side finds exactly what the first one found. The clock stands
still meanwhile, so deadlines counted from "now" come out the same on both sides.

What a side answered is read as a user and a client read it: the page's HTML (the message
under a field, above a form or on top of the page, and the status), the API's JSON (its
`detail` and `field`, or its list of field errors). What it changed is read from every
immutable table (`ImmutableEvent`): the rows it added, without their ids and times, with
the ids of rows made by the same call written as "<new>".
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from unittest import mock

from django.apps import apps
from django.db import models, transaction
from django.db.models import Max
from django.test import Client
from django.utils import timezone

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import SecurityEvent
from ducha.core.events import ImmutableEvent
from tests.world import PASSWORD, World

API = "/api/v1"
# Payload values that are random by design (the first characters of a new token's key).
RANDOM = {"hint"}
# What depends on the moment a file was written, to the second, by a clock the test does
# not hold (a Word file's zip entries): an issued document's hashes.
WRITTEN_AT = {("DocumentFile", "sha256"), ("DocumentEvent", "files")}
# Where the page puts a refusal that names no field of its form.
TOP = None
SAME = "same as the API"


@dataclass(frozen=True)
class Call:
    """One request. `files` (form field → uploads) makes the body multipart; an API call
    without files sends `data` as JSON."""

    method: str
    path: str
    data: dict[str, Any] = field(default_factory=dict)
    files: dict[str, list[Any]] = field(default_factory=dict)


def post(path: str, data: dict[str, Any] | None = None, **files: list[Any]) -> Call:
    return Call("post", path, data or {}, files)


def patch(path: str, data: dict[str, Any]) -> Call:
    return Call("patch", path, data)


def delete(path: str) -> Call:
    return Call("delete", path)


Builder = Callable[[World, Any], Call]


@dataclass(frozen=True)
class Case:
    """One input sent through both sides.

    `setup(world)` makes the state the input meets and returns what the builders need;
    `page` and `api` build the two requests. For bad input, `field` is the field the API's
    refusal names (None for a refusal of the state), `page_field` where the page shows it
    when its form calls it otherwise (TOP: above the form or on top of the page), and
    `status` the status both give. For good input (`good=True`) both sides must succeed
    and add the same immutable rows.
    """

    name: str
    persona: str
    setup: Callable[[World], Any]
    page: Builder
    api: Builder
    field: str | None = None
    page_field: str | None = SAME
    status: int = 422
    good: bool = False

    def __str__(self) -> str:
        return self.name


@dataclass
class Answer:
    status: int
    # The messages shown per field, and those that name none (above the form, on top).
    fields: dict[str, list[str]]
    top: list[str]
    rows: list[tuple[Any, ...]]
    body: str


# --- sending ---------------------------------------------------------------------------------


def signed_in(world: World, persona: str) -> Client:
    client = Client()
    assert client.login(username=world.users[persona].username, password=PASSWORD), persona
    return client


def _send(client: Client, call: Call, *, api: bool) -> Any:
    send = getattr(client, call.method)
    if api and not call.files and call.method != "get":
        return send(API + call.path, json.dumps(call.data), content_type="application/json")
    if api:
        return send(API + call.path, {**call.data, **call.files})
    if call.method != "post":
        raise AssertionError("pages only post")
    return send(call.path, {**call.data, **call.files})


def _immutable_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if issubclass(m, ImmutableEvent)]


def _ducha_models() -> list[type[models.Model]]:
    # Tables keyed by a composite key (rollup cells) hold counts, never rows an id names.
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("ducha.")
        and not isinstance(m._meta.pk, models.CompositePrimaryKey)
    ]


def _marks() -> dict[type[models.Model], int]:
    """The highest id of every table of ours: rows above it are new."""
    return {
        model: model._base_manager.aggregate(top=Max("pk"))["top"] or 0 for model in _ducha_models()
    }


def _by_key() -> dict[str, type[models.Model]]:
    """A payload key that names a row ("revisit", "problem_event", "problems") → its model."""
    return {model._meta.model_name or "": model for model in _ducha_models()}


# Payload keys that name a row by another name than its model's (an audit row's "token").
KEY_ALIASES = {"token": "apitoken"}


def _model_key(key: str) -> str:
    return KEY_ALIASES.get(key, key.replace("_", "").removesuffix("s"))


def _plain(value: Any, model: type[models.Model] | None, marks: dict) -> Any:
    if isinstance(value, list):
        return [_plain(item, model, marks) for item in value]
    if isinstance(value, dict):
        known = _by_key()
        return {
            key: "<random>"
            if key in RANDOM
            else "<written at>"
            if ("DocumentEvent", key) in WRITTEN_AT
            else _plain(item, known.get(_model_key(key)), marks)
            for key, item in sorted(value.items())
        }
    if model is not None and isinstance(value, int) and not isinstance(value, bool):
        return "<new>" if value > marks.get(model, 0) else value
    return value


def _row(row: models.Model, marks: dict) -> tuple[Any, ...]:
    values: list[Any] = [type(row).__name__]
    for f in row._meta.concrete_fields:
        if f.primary_key or (isinstance(f, models.DateTimeField) and f.name == "created_at"):
            continue
        if isinstance(f, models.FileField):
            continue  # the storage names a second copy apart; what it holds is compared
        if f.name in ("digest", "chain_shard", "chain_seq"):
            continue  # the hash chain's link: from the moment of writing and the new ids
        value = getattr(row, f.attname)
        if (type(row).__name__, f.name) in WRITTEN_AT:
            value = "<written at>"
        if f.is_relation:
            value = _plain(value, f.related_model, marks)
        elif isinstance(value, dict | list):
            value = _plain(value, None, marks)
        values.append((f.name, value))
    return tuple(values)


def _new_rows(marks: dict) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for model in _immutable_models():
        added = model._base_manager.filter(pk__gt=marks.get(model, 0)).order_by("pk")
        if model is SecurityEvent:
            # A refusal's own trace in the audit trail (tests/audit) is no change of state;
            # the page's and the API's differ by their path.
            added = added.exclude(kind=SecurityEventKind.PERMISSION_DENIED)
        rows += [_row(row, marks) for row in added]
    return rows


@contextmanager
def still_clock() -> Iterator[datetime]:
    """Time stands still (to the second) while both sides answer."""
    now = timezone.now().replace(microsecond=0)
    with mock.patch("django.utils.timezone.now", return_value=now):
        yield now


def attempt(client: Client, call: Call, *, api: bool) -> Answer:
    """Send the call, read the answer and the rows it added, then undo everything."""
    marks = _marks()
    with transaction.atomic():
        response = _send(client, call, api=api)
        rows = _new_rows(marks)
        transaction.set_rollback(True)
    body = response.content.decode()
    if api:
        fields, top = _api_refusal(response, body)
    else:
        fields, top = _page_refusal(response, body)
    return Answer(response.status_code, fields, top, rows, body)


# --- reading -----------------------------------------------------------------------------------


def _api_refusal(response: Any, body: str) -> tuple[dict[str, list[str]], list[str]]:
    if response.status_code < 400 or not body.startswith("{"):
        return {}, []
    detail = response.json().get("detail")
    fields: dict[str, list[str]] = {}
    if isinstance(detail, list):
        for item in detail:
            fields.setdefault(item["field"], []).append(item["msg"])
        return fields, []
    if response.json().get("field"):
        return {response.json()["field"]: [detail]}, []
    return {}, [detail]


_FIELD = re.compile(r'data-field="([^"]+)"')
_ERRORS = re.compile(r'data-testid="field-error">(.*?)</ul>', re.S)
_ITEM = re.compile(r"<li>(.*?)</li>", re.S)
_TOP = re.compile(
    r'data-testid="(?:form-error|message|error-text)"[^>]*>(.*?)</(?:div|p)>\s*(?:</div>)?', re.S
)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _page_refusal(response: Any, body: str) -> tuple[dict[str, list[str]], list[str]]:
    """The messages under each field (`data-field` … `field-error`), and those above a form
    (`form-error`), on top of the page (`message`) or of a refusal page (`error-text`)."""
    fields: dict[str, list[str]] = {}
    starts = [(m.start(), m.group(1)) for m in _FIELD.finditer(body)]
    for index, (start, name) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(body)
        errors = _ERRORS.search(body, start, end)
        if errors:
            fields.setdefault(name, []).extend(_text(i) for i in _ITEM.findall(errors.group(1)))
    top: list[str] = []
    for match in _TOP.finditer(body):
        inner = match.group(1)
        parts = re.findall(r"<div>(.*?)</div>", inner, re.S) or [inner]
        top += [_text(part) for part in parts if _text(part)]
    return fields, top


# --- judging ----------------------------------------------------------------------------------


def run(world: World, case: Case) -> tuple[Answer, Answer]:
    context = case.setup(world)
    page_client = signed_in(world, case.persona)
    api_client = signed_in(world, case.persona)
    with still_clock():
        page = attempt(page_client, case.page(world, context), api=False)
        api = attempt(api_client, case.api(world, context), api=True)
    return page, api


def check_refusal(case: Case, page: Answer, api: Answer) -> None:
    """Both refuse, with the same status, on the same field, in the same words, and change
    nothing."""
    assert api.status == case.status, (case.name, "api", api.status, api.body[:500])
    assert page.status == case.status, (case.name, "page", page.status, page.fields, page.top)
    assert api.rows == [] and page.rows == [], (case.name, "a refusal added rows")
    if case.status == 404:
        return  # missing and out of scope read alike, and say nothing more on either side
    if case.field is None:
        assert api.fields == {} and len(api.top) == 1, (case.name, api.body[:500])
    else:
        assert set(api.fields) == {case.field}, (case.name, api.fields, api.top)
    [message] = api.top if case.field is None else api.fields[case.field]
    shown_on = case.field if case.page_field == SAME else case.page_field
    if shown_on is TOP:
        assert page.fields == {}, (case.name, "page names a field", page.fields)
        assert message in page.top, (case.name, message, page.top)
    else:
        assert set(page.fields) == {shown_on}, (case.name, page.fields, page.top)
        assert page.fields[shown_on] == [message], (case.name, message, page.fields)


def check_success(case: Case, page: Answer, api: Answer) -> None:
    """Both succeed and add the same immutable rows."""
    assert page.status in (200, 302) and not page.fields, (
        case.name,
        "page",
        page.status,
        page.fields,
        page.top,
    )
    assert api.status in (200, 201, 204), (case.name, "api", api.status, api.body[:500])
    assert page.rows, (case.name, "the action recorded nothing")
    assert page.rows == api.rows, (case.name, page.rows, api.rows)
