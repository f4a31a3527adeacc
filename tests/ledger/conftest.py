"""Ledger tests: workbooks built and read with openpyxl, uploads through the pages and the API."""

from __future__ import annotations

import io
import itertools
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from ducha.celery import app
from ducha.problems import actions
from tests.api.conftest import BASE, anonymous, api_as, token_as  # noqa: F401

# The template's headings as a Chinese office sees them.
HEADINGS = [
    "问题",
    "描述",
    "地区",
    "点位",
    "督查重点",
    "发现组",
    "发现时间",
    "紧急程度",
    "性质",
    "承办单位",
    "整改时限",
]
EXPORT_HEADINGS = [
    "编号",
    "问题",
    "描述",
    "地区",
    "点位",
    "督查重点",
    "发现组",
    "发现时间",
    "紧急程度",
    "性质",
    "状态",
    "承办单位",
    "整改时限",
    "红黄绿灯",
    "销号时间",
    "整改用时（小时）",
    "立行立改",
    "反复",
    "长效机制",
    "呈报对象",
    "记录人",
    "签收时间",
    "批准延期次数",
    "延期天数",
]


@pytest.fixture(autouse=True)
def _default_language():
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def local(moment: datetime) -> datetime:
    """A moment as Excel holds it: local wall-clock time, no time zone."""
    return timezone.make_naive(moment).replace(microsecond=0)


def hours_ago(hours: float) -> datetime:
    return local(timezone.now() - timedelta(hours=hours)).replace(second=0)


_serial = itertools.count(1)


def row(**values: Any) -> dict[str, Any]:
    """A data row keyed by heading; omitted columns stay empty. Titles differ row to row."""
    defaults = {
        "问题": f"农贸市场未落实测温登记（{next(_serial)}）",
        "地区": "河北省/承德市/双桥区",
        "督查重点": "排查",
        "发现时间": hours_ago(2),
    }
    return {**defaults, **values}


def workbook(
    rows: list[dict[str, Any] | None],
    headings: list[str] | None = None,
    sheet: str = "问题台账",
) -> bytes:
    """An .xlsx with a heading row and one row per dict (None leaves a blank row)."""
    headings = HEADINGS if headings is None else headings
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headings)
    for values in rows:
        ws.append([None] * len(headings) if values is None else [values.get(h) for h in headings])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload_file(data: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def api_upload(api, data: bytes, name: str = "台账.xlsx"):
    return api.client.post(
        BASE + "/ledger/imports", {"file": upload_file(data, name)}, headers=api.headers
    )


def content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def sheet_rows(data: bytes, sheet: int | str = 0) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(data))
    ws = book.worksheets[sheet] if isinstance(sheet, int) else book[sheet]
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def open_book(data: bytes):
    return load_workbook(io.BytesIO(data))


def stats_found(response) -> int:
    """The "found" number of the problem list's stats line."""
    match = re.search(r'data-testid="stats">[^0-9]*(\d+)', response.content.decode())
    assert match, "no stats line"
    return int(match.group(1))


def list_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-problem="(\d+)"', response.content.decode())]


FORMULAS = ['=HYPERLINK("http://example.invalid","点此")', "+1+2", "-3+4", "@SUM(A1)"]


@pytest.fixture
def problems(world):
    """Problems across the tree: county, town, sibling county; new, assigned, closed."""
    town = world.problem(region="town", title="镇卡口未登记", site=world.sites["checkpoint"])
    assigned = world.assigned(title="药店未登记购药人员")
    urgent = world.problem(title="隔离点物资不足", urgency="urgent", nature="common")
    closed = world.problem(by="county_team_member", title="市场摊位间距不足")
    actions.do_close_on_spot(
        closed, acting_user=world.users["county_team_member"], evidence="现场已整改"
    )
    formula = world.problem(title=FORMULAS[0], description=FORMULAS[1])
    sibling = world.problem(by="sibling_office", region="sibling", title="双滦区问题")
    old = world.problem(
        title="逾期未整改", found_at=timezone.now() - timedelta(days=10), urgency="urgent"
    )
    actions.do_assign(
        old, acting_user=world.users["county_office"], responsible_org=world.orgs["county_dept"]
    )
    return {
        "town": town,
        "assigned": assigned,
        "urgent": urgent,
        "closed": closed,
        "formula": formula,
        "sibling": sibling,
        "overdue": old,
    }


FILTERS = [
    {},
    {"state": "assigned"},
    {"state": "closed"},
    {"overdue": "1"},
    {"overdue": "0"},
    {"urgency": "urgent"},
    {"nature": "common"},
    {"q": "未登记"},
    {"light": "green"},
    {"closed_late": "0"},
]


@pytest.fixture
def eager():
    """Celery runs a task inside `.delay()`, as the worker would."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
