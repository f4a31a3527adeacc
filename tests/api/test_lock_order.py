"""The rollup rows are the last rows an action locks.

Every action writes the dashboards' rollup rows, which every other action in the same region
writes too; any other row it locks after them (a chain's head, when a record is sealed) can
close a circle with an action that locks that row first and the rollups after. The load test
found one: a verification that schedules a revisit seals a field record (the head of its
chain) before its rollups, while a rectification report sealed its photos' records after its
rollups, and PostgreSQL killed one of the two as a deadlock. The statements each action sends
through the API are read in order: after the first rollup write, no chain head is touched.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from ducha.problems import receipt
from ducha.problems.models import FocusArea

pytestmark = pytest.mark.django_db

ROLLUP_TABLES = ("reports_rollupcell", "reports_duecell")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _screening() -> int:
    return FocusArea.objects.get(code="screening").pk


def _after_the_rollups(statements: list[str]) -> list[str]:
    """The statements that touch a chain's head after the first rollup write."""
    first = next(
        (
            i
            for i, sql in enumerate(statements)
            if sql.lstrip().upper().startswith(("INSERT", "SELECT PG_ADVISORY"))
            and any(table in sql for table in ROLLUP_TABLES)
        ),
        None,
    )
    assert first is not None, "the action wrote no rollup row"
    return [sql for sql in statements[first:] if "core_chainhead" in sql]


def _sent(api, path: str, data: dict, multipart: bool = False) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        if multipart:
            response = api.client.post(path, data)
        else:
            response = api.client.post(path, data, content_type="application/json")
    assert response.status_code in (200, 201), response.content
    return [query["sql"] for query in captured.captured_queries]


def test_a_rectification_with_photos_seals_them_before_its_rollups(world, api_as):
    problem = world.assigned()
    receipt.do_sign(problem, acting_user=world.users["county_handler"])
    statements = _sent(
        api_as("county_handler"),
        f"/api/v1/problems/{problem.pk}/actions/submit_rectification/with-photos",
        {"text": "已整改", "photos_before": [_png("b.png")], "photos": [_png("a.png")]},
        multipart=True,
    )
    assert _after_the_rollups(statements) == []


def test_an_on_the_spot_close_with_photos_seals_them_before_its_rollups(world, api_as):
    problem = world.problem()
    statements = _sent(
        api_as("county_team_member"),
        f"/api/v1/problems/{problem.pk}/actions/close_on_spot/with-photos",
        {"evidence": "当场补登记", "photos": [_png("a.png")]},
        multipart=True,
    )
    assert _after_the_rollups(statements) == []


def test_the_loop_s_actions_lock_nothing_after_their_rollups(world, api_as):
    office, handler = api_as("county_office"), api_as("county_handler")
    created = office.client.post(
        "/api/v1/problems",
        {"title": "卡口未测温", "region": world.orgs["county"].pk, "focus_area": _screening()},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    problem = created.json()["id"]
    steps = [
        (office, "assign", {"responsible_org": world.orgs["county_dept"].pk}),
        (handler, "sign", {}),
        (handler, "submit_rectification", {"text": "已整改"}),
        (office, "verify_accept", {"comment": "属实"}),
    ]
    for api, action, body in steps:
        statements = _sent(api, f"/api/v1/problems/{problem}/actions/{action}", body)
        if action == "sign":
            continue  # signing changes no figure: it writes no rollup row
        assert _after_the_rollups(statements) == [], action
