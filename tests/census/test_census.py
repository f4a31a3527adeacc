"""The route census: every URL pattern and every API operation, as anonymous and as outsiders.

Routes and operations are found, not listed (routes.py); what they are filled with and what
they must answer is the small mapping in expectations.py. A route added later is covered by
itself, or fails here until the mapping knows its parameters.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.census.census import Census, check_fillable
from tests.census.county import add_neighbours, build_county
from tests.census.expectations import (
    INSIDERS,
    KNOWN_FAILURES,
    OBJECT_SLOTS,
    PUBLIC,
    outsiders_on,
)
from tests.census.routes import openapi_schema, operations, url_patterns

ROUTES = url_patterns()
SCHEMA = openapi_schema()
OPERATIONS = operations(SCHEMA)
# API patterns are sent once per operation (method) they serve, not as bare GETs.
SERVED = {op.template for op in OPERATIONS}


def _by_operation(route) -> bool:
    return route.area == "api" and bool(set(route.templates) & SERVED)


@pytest.fixture
def census(world, settings, tmp_path) -> Census:
    settings.MEDIA_ROOT = tmp_path
    add_neighbours(world)
    return Census(world, build_county(world))


def _report(capsys, census: Census, title: str, patterns: set[int], operations: set[str]) -> None:
    with capsys.disabled():
        print(
            f"\n{title}: {len(patterns)} of {len(ROUTES)} URL patterns "
            f"({sum(r.area == 'page' for r in ROUTES)} pages, "
            f"{sum(r.area == 'admin' for r in ROUTES)} admin, "
            f"{sum(r.area == 'api' for r in ROUTES)} API), "
            f"{len(operations)} of {len(OPERATIONS)} OpenAPI operations, "
            f"{census.requests} requests; answers by status: "
            + ", ".join(f"{status}: {n}" for status, n in sorted(census.statuses.items()))
        )


def _judged(census: Census, callers: list[str]) -> tuple[set[int], set[str]]:
    """Send every route and operation as each caller; the patterns (by position) and the
    operations that were sent."""
    patterns: set[int] = set()
    done: set[str] = set()
    for who in callers:
        for index, route in enumerate(ROUTES):
            if _by_operation(route):
                continue
            if who == "anonymous":
                census.anonymous_route(route)
            else:
                census.outsider_route(route, who)
            patterns.add(index)
        for op in OPERATIONS:
            if who == "anonymous":
                census.anonymous_operation(SCHEMA, op)
            else:
                census.outsider_operation(SCHEMA, op, who)
            done.add(op.key)
            patterns.update(i for i, r in enumerate(ROUTES) if op.template in r.templates)
    return patterns, done


def _listing(findings: dict) -> str:
    return "\n".join(
        f"  {target} as {who}: {verdict}  (e.g. {request})"
        for (target, who, verdict), request in sorted(findings.items())
    )


def test_every_parameter_of_every_route_can_be_filled():
    missing = {
        f"{route.pattern}: {key}"
        for route in ROUTES
        for template in route.templates
        for key in check_fillable(template)
    }
    missing |= {f"{op.key}: {key}" for op in OPERATIONS for key in check_fillable(op.template)}
    assert not missing, "add these to OBJECT_SLOTS or VALUE_SLOTS:\n" + "\n".join(sorted(missing))


def test_every_api_pattern_is_an_operation_or_public():
    stray = {r.pattern for r in ROUTES if r.area == "api" and not _by_operation(r)} - PUBLIC
    assert not stray


def test_anonymous_callers_are_sent_to_log_in(census, capsys):
    patterns, done = _judged(census, ["anonymous"])
    _report(capsys, census, "census, anonymous", patterns, done)
    assert len(patterns) >= len(ROUTES) and len(done) >= len(OPERATIONS)
    assert not census.findings, _listing(census.findings)
    assert census.public == PUBLIC


def test_outsiders_get_404_for_every_county_object_and_see_none_of_it(census, capsys):
    outsiders = outsiders_on(connection.vendor)
    patterns, done = _judged(census, outsiders)
    _report(capsys, census, f"census, {len(outsiders)} outsiders", patterns, done)
    assert len(patterns) >= len(ROUTES) and len(done) >= len(OPERATIONS)
    found = set(census.findings)
    new = {key: census.findings[key] for key in found - KNOWN_FAILURES}
    assert not new, "findings:\n" + _listing(new)
    fixed = KNOWN_FAILURES - found
    assert not fixed, f"fixed, take them off KNOWN_FAILURES: {sorted(fixed)}"


def test_the_county_opens_its_own_objects(census):
    """The control: the ids filled in are real, and the marker shows where the county looks.
    Without it, a 404 for everyone would pass the census."""
    for route in ROUTES:
        if route.area != "admin":
            for template in route.templates:
                census.insider_get(route.pattern, template, INSIDERS)
    for op in OPERATIONS:
        if op.method == "get":
            census.insider_get(op.key, op.template, INSIDERS)
    kinds = {kind for kind in census.county.ids if kind in set(OBJECT_SLOTS.values())}
    opened = {kind for kind, seen in census.seen.items() if "200" in seen}
    shown = {kind for kind, seen in census.seen.items() if "marker" in seen}
    # No route reads a token, a security key or a user (a token or key is only revoked or
    # removed; users are the administrators'), nor one notification (it is opened or marked
    # read by POST; the inbox lists them).
    unread = {"token", "security_key", "user", "notification"}
    assert opened == kinds - unread
    # A region carries no text of the census's own.
    assert shown == kinds - unread - {"region"}
