"""The census itself: fill every route and operation, send it as each caller, judge the answer.

Judgements follow the route classes of expectations.py; every request that breaks them is a
finding `(route or operation, caller, what happened)`.
"""

from __future__ import annotations

import io
import itertools
import json
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests.census.county import MARKER, County
from tests.census.expectations import (
    ADMIN_ROW,
    FIELD_KINDS,
    FIELD_VALUES,
    NO_ID_STATUSES,
    OBJECT_SLOTS,
    PUBLIC,
    SHARED_FIELDS,
    VALUE_SLOTS,
)
from tests.census.routes import Operation, Route, fill, params_of, slot
from tests.world import PASSWORD, World


def body_of(response: Any) -> bytes:
    """The bytes a caller receives; for Word and Excel files, the XML inside them."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as package:
            body += b"".join(package.read(name) for name in package.namelist())
    return body


# An id no row has: the answer for a foreign object must be the answer for this one.
MISSING_ID = 2_000_000_000


class Unfillable(LookupError):
    pass


def _admin_model(template: str) -> Any:
    app_label, model_name = template.split("/")[1:3]
    return apps.get_model(app_label, model_name)


def check_fillable(template: str) -> list[str]:
    """The parameters of a template the tables cannot fill (as "slot" strings)."""
    missing = []
    for param in params_of(template):
        key = slot(template, param)
        if param == ADMIN_ROW and template.startswith("admin/") and key != "r/object_id":
            try:
                _admin_model(template)
            except (LookupError, ValueError):
                missing.append(key)
        elif key not in OBJECT_SLOTS and key not in VALUE_SLOTS:
            missing.append(key)
    return missing


@dataclass
class Filled:
    url: str
    names_county: bool  # a county object is named in the path


@dataclass
class Census:
    world: World
    county: County
    # (route or operation, caller, verdict) → one request that shows it
    findings: dict[tuple[str, str, str], str] = field(default_factory=dict)
    public: set[str] = field(default_factory=set)
    requests: int = 0
    # status code → how many answers had it
    statuses: Counter[int] = field(default_factory=Counter)
    clients: dict[str, Client] = field(default_factory=dict)
    # kind → what the county's own people got on its routes: "200", "marker"
    seen: dict[str, set[str]] = field(default_factory=dict)

    # Filling ---------------------------------------------------------------------------

    def fills(self, template: str, *, missing: bool = False) -> list[Filled]:
        """Every URL of a template: each county object of the right kind, each value."""
        options: list[list[tuple[Any, bool]]] = []
        for param in params_of(template):
            key = slot(template, param)
            if param == ADMIN_ROW and template.startswith("admin/") and key != "r/object_id":
                model = _admin_model(template)
                pk = model._base_manager.order_by("pk").values_list("pk", flat=True).first()
                options.append([(pk or MISSING_ID, False)])
            elif key in OBJECT_SLOTS:
                ids = [MISSING_ID] if missing else self.county.ids[OBJECT_SLOTS[key]]
                options.append([(pk, True) for pk in ids])
            elif key in VALUE_SLOTS:
                options.append([(value, False) for value in VALUE_SLOTS[key]()])
            else:
                raise Unfillable(f"{template}: no value for {param} ({key})")
        names = params_of(template)
        filled = []
        for combination in itertools.product(*options):
            values = {name: value for name, (value, _) in zip(names, combination, strict=True)}
            filled.append(Filled(fill(template, values), any(c for _, c in combination)))
        return filled

    # Callers ---------------------------------------------------------------------------

    def client(self, who: str) -> Client:
        if who not in self.clients:
            client = Client()
            if who != "anonymous":
                assert client.login(username=self.world.users[who].username, password=PASSWORD)
            self.clients[who] = client
        return self.clients[who]

    def send(self, who: str, method: str, url: str, **kwargs: Any) -> Any:
        self.requests += 1
        response = getattr(self.client(who), method)(url, **kwargs)
        self.statuses[response.status_code] += 1
        return response

    def fault(self, target: str, who: str, verdict: str, request: str) -> None:
        self.findings.setdefault((target, who, verdict), request)

    def _shows_county(self, response: Any) -> bool:
        return MARKER.encode() in body_of(response)

    # Pages and the admin ---------------------------------------------------------------

    def anonymous_route(self, route: Route) -> None:
        login = {
            "page": resolve_url(settings.LOGIN_URL),
            "admin": "/admin/login/",
            "api": None,
        }[route.area]
        for template in route.templates:
            for filled in self.fills(template):
                response = self.send("anonymous", "get", filled.url)
                if response.status_code >= 500:
                    self.fault(route.pattern, "anonymous", "5xx", f"GET {filled.url}")
                if login is None:
                    gated = response.status_code == 401
                else:
                    gated = response.status_code == 302 and response["Location"].startswith(
                        login + "?next="
                    )
                if not gated:
                    self.public.add(route.pattern)

    def outsider_route(self, route: Route, who: str) -> None:
        for template in route.templates:
            for filled in self.fills(template):
                self._outsider_get(route, who, filled)

    def _outsider_get(self, route: Route, who: str, filled: Filled) -> None:
        response = self.send(who, "get", filled.url)
        method = "GET"
        if response.status_code == 405 and route.pattern not in PUBLIC:
            # A form that only takes POST: its answer to an empty form is the one to judge.
            response, method = self.send(who, "post", filled.url, data={}), "POST"
        status = response.status_code
        where = f"{method} {filled.url}"
        if route.area == "admin" and route.pattern not in PUBLIC:
            if not (status == 302 and response["Location"].startswith("/admin/login/?next=")):
                self.fault(route.pattern, who, f"{status}, not the admin login", where)
            return
        if status >= 500:
            self.fault(route.pattern, who, f"{status}", where)
        elif filled.names_county and status != 404:
            self.fault(route.pattern, who, f"{method} {status}, not 404", where)
        elif status not in NO_ID_STATUSES and route.pattern not in PUBLIC:
            self.fault(route.pattern, who, f"{method} {status}", where)
        if self._shows_county(response):
            self.fault(route.pattern, who, f"{method} {status} shows the county", where)

    def insider_get(self, target: str, template: str, who_by_kind: dict[str, str]) -> None:
        """The control: the county's own people open its objects (200, the marker shown)."""
        for filled in self.fills(template):
            kinds = [
                OBJECT_SLOTS[key]
                for key in (slot(template, param) for param in params_of(template))
                if key in OBJECT_SLOTS
            ]
            if len(kinds) != 1:
                continue
            who = who_by_kind.get(kinds[0], "county_office")
            response = self.send(who, "get", filled.url)
            seen = self.seen.setdefault(kinds[0], set())
            if response.status_code == 200:
                seen.add("200")
                if self._shows_county(response):
                    seen.add("marker")

    # The API -----------------------------------------------------------------------------

    def _schema_of(self, schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in spec:
            spec = schema["components"]["schemas"][spec["$ref"].rsplit("/", 1)[-1]]
        if "anyOf" in spec:
            options = [option for option in spec["anyOf"] if option.get("type") != "null"]
            return self._schema_of(schema, options[0])
        if "allOf" in spec:
            return self._schema_of(schema, spec["allOf"][0])
        return spec

    def _value(self, schema: dict[str, Any], name: str, spec: dict[str, Any]) -> tuple[Any, bool]:
        """A valid value for a field, and whether it names a county object."""
        spec = self._schema_of(schema, spec)
        many = spec.get("type") == "array"
        if name in FIELD_KINDS or name in SHARED_FIELDS:
            kind = FIELD_KINDS.get(name) or SHARED_FIELDS[name]
            pk = self.county.ids[kind][0]
            return ([pk] if many else pk), name in FIELD_KINDS
        if name in FIELD_VALUES:
            return FIELD_VALUES[name](), False
        if "enum" in spec:
            return spec["enum"][0], False
        kind = spec.get("type")
        if kind == "object":
            fields, required = spec.get("properties", {}), set(spec.get("required", []))
            return next(self._variants(schema, fields, required, plain=True))
        if kind == "array":
            item, named = self._value(schema, name, spec.get("items", {}))
            return [item] * spec.get("minItems", 0), named and spec.get("minItems", 0) > 0
        if kind == "integer" or kind == "number":
            return max(spec.get("minimum", 1), 1), False
        if kind == "boolean":
            return True, False
        return self._string(spec), False

    def _string(self, spec: dict[str, Any]) -> Any:
        fmt = spec.get("format")
        if fmt == "date":
            return timezone.localdate().isoformat()
        if fmt == "date-time":
            return (timezone.now() - timedelta(hours=1)).isoformat()
        if fmt == "uuid":
            return str(uuid.uuid4())
        if fmt == "binary":
            out = io.BytesIO()
            Image.new("RGB", (8, 8), (0, 0, 0)).save(out, "PNG")
            return SimpleUploadedFile("census.png", out.getvalue(), content_type="image/png")
        return "census" + "x" * max(spec.get("minLength", 0) - 6, 0)

    def _variants(
        self, schema: dict[str, Any], fields: dict[str, dict], required: set[str], plain: bool
    ) -> Iterator[tuple[dict, bool]]:
        """The required fields alone; unless `plain`, then with each optional field that names
        an object added in turn (one at a time: some exclude each other)."""
        base, named = {}, False
        # A file is sent whenever the operation takes one, as every client does.
        required = required | {
            name
            for name, spec in fields.items()
            if self._schema_of(schema, spec).get("format") == "binary"
        }
        for name in (name for name in fields if name in required):
            base[name], names = self._value(schema, name, fields[name])
            named = named or names
        yield base, named
        if plain:
            return
        for name, spec in fields.items():
            if name not in required and (name in FIELD_KINDS or name in SHARED_FIELDS):
                value, names = self._value(schema, name, spec)
                yield {**base, name: value}, named or names

    def queries(
        self, schema: dict[str, Any], op: Operation, plain: bool
    ) -> Iterator[tuple[dict, bool]]:
        params = [p for p in op.spec.get("parameters", []) if p["in"] == "query"]
        fields = {p["name"]: p.get("schema", {}) for p in params}
        required = {p["name"] for p in params if p.get("required")}
        yield from self._variants(schema, fields, required, plain)

    def bodies(
        self, schema: dict[str, Any], op: Operation, plain: bool
    ) -> Iterator[tuple[str, Any, bool, bool]]:
        """(content type, body, names the county, is the empty probe): the valid bodies, then
        an empty one when that is not valid already."""
        content = op.spec.get("requestBody", {}).get("content", {})
        if not content:
            yield "", None, False, False
            return
        content_type, media = next(iter(content.items()))
        spec = self._schema_of(schema, media["schema"])
        fields, required = spec.get("properties", {}), set(spec.get("required", []))
        valid = list(self._variants(schema, fields, required, plain))
        for body, named in valid:
            yield content_type, body, named, False
        if valid[0][0]:
            yield content_type, {}, False, True

    def call(self, who: str, op: Operation, url: str, query: dict, ctype: str, body: Any) -> Any:
        if op.method == "get":
            return self.send(who, "get", url, data=query)
        if ctype.startswith("multipart/"):
            for value in body.values():
                if hasattr(value, "seek"):
                    value.seek(0)  # the same file is sent again
            return self.send(who, op.method, url, data=body)
        kwargs: dict[str, Any] = {}
        if ctype:
            kwargs = {"data": json.dumps(body), "content_type": ctype}
        return self.send(who, op.method, url, **kwargs)

    def anonymous_operation(self, schema: dict[str, Any], op: Operation) -> None:
        query, _ = next(self.queries(schema, op, plain=True))
        for filled in self.fills(op.template):
            for ctype, body, _, _ in self.bodies(schema, op, plain=True):
                response = self.call("anonymous", op, filled.url, query, ctype, body)
                if response.status_code != 401:
                    self.fault(op.key, "anonymous", f"{response.status_code}, not 401", filled.url)

    def outsider_operation(self, schema: dict[str, Any], op: Operation, who: str) -> None:
        missing = self.fills(op.template, missing=True)[0].url
        # With a county object in the path, one valid body is enough to reach the scope check;
        # without one, each object a query or body may name is tried.
        plain = any(f.names_county for f in self.fills(op.template))
        requests = [
            (query, query_named, ctype, body, body_named, probe)
            for query, query_named in self.queries(schema, op, plain)
            for ctype, body, body_named, probe in self.bodies(schema, op, plain)
        ]
        for filled in self.fills(op.template):
            for query, query_named, ctype, body, body_named, probe in requests:
                response = self.call(who, op, filled.url, query, ctype, body)
                status = response.status_code
                sent = json.dumps(body, default=str) if ctype else urlencode(query, doseq=True)
                where = f"{filled.url} {sent}".strip()
                if status >= 500:
                    self.fault(op.key, who, f"{status}", where)
                elif filled.names_county and probe:
                    # A body refused before the scope check: judged against a missing id.
                    again = self.call(who, op, missing, query, ctype, body).status_code
                    if status != again or 200 <= status < 300 or status == 403:
                        verdict = f"empty body {status}, a missing id {again}"
                        self.fault(op.key, who, verdict, where)
                elif filled.names_county and status != 404:
                    self.fault(op.key, who, f"{status}, not 404", where)
                elif op.method != "get" and (query_named or body_named) and 200 <= status < 300:
                    self.fault(op.key, who, f"{status} acting on a county object", where)
                elif not filled.names_county and status not in NO_ID_STATUSES:
                    self.fault(op.key, who, f"{status}", where)
                if self._shows_county(response):
                    self.fault(op.key, who, f"{status} shows the county", where)
