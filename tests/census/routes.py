"""Every URL pattern Django resolves and every operation the API's OpenAPI schema declares.

Nothing here is listed by hand: patterns come from the root resolver, walked recursively,
and operations from the schema. A pattern is turned into URLs the way `reverse()` does it
(`normalize`), with each parameter filled from the table of kinds in expectations.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize

from ducha.api.urls import api

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Route:
    """One URL pattern: how it is written and the URL templates it can produce."""

    pattern: str  # as written, prefixes included: "problems/<int:pk>/act/<str:action>/"
    name: str  # "namespace:name", or "" when the pattern has none
    templates: tuple[str, ...]  # "problems/%(pk)s/act/%(action)s/"

    @property
    def area(self) -> str:
        if self.pattern.startswith(("api/", "^api")):
            return "api"
        return "admin" if self.pattern.startswith("admin/") else "page"


@dataclass(frozen=True)
class Operation:
    """One OpenAPI operation."""

    method: str  # lower case, as in the schema
    path: str  # "/api/v1/problems/{problem_id}"
    operation_id: str
    spec: dict[str, Any]

    @property
    def template(self) -> str:
        return re.sub(r"\{(\w+)\}", r"%(\1)s", self.path.removeprefix("/"))

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _walk(patterns: list[Any], regex: str, written: str, namespace: str) -> list[Route]:
    found = []
    for entry in patterns:
        piece = entry.pattern.regex.pattern.removeprefix("^")
        text = written + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            found += _walk(entry.url_patterns, regex + piece, text, inner)
        else:
            assert isinstance(entry, URLPattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            templates = tuple(fmt for fmt, _ in normalize("^" + regex + piece))
            found.append(Route(text, name, templates))
    return found


def url_patterns() -> list[Route]:
    return _walk(get_resolver().url_patterns, "", "", "")


def openapi_schema() -> dict[str, Any]:
    return api.get_openapi_schema()


def operations(schema: dict[str, Any]) -> list[Operation]:
    return [
        Operation(method, path, spec["operationId"], spec)
        for path, methods in schema["paths"].items()
        for method, spec in methods.items()
    ]


def params_of(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)


def slot(template: str, param: str) -> str:
    """The key a parameter is looked up by: the literal path segment before it, and its name.

    `problems/%(pk)s/` → "problems/pk", `api/v1/tasks/%(task_id)s` → "tasks/task_id". An id
    is named by what precedes it, so a new route under a known word is filled by itself, and
    a new word fails the census until the table says what it is.
    """
    before = template.split(f"%({param})s")[0]
    literal = [part for part in before.split("/") if part and not _PLACEHOLDER.search(part)]
    return f"{literal[-1] if literal else ''}/{param}"


def fill(template: str, values: dict[str, Any]) -> str:
    return "/" + _PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), template)
