"""Problems in every corner of the loop, and helpers to draft, issue and open documents."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import docx
import openpyxl
from django.utils import timezone

from ducha.problems import actions
from ducha.problems.models import Problem
from ducha.referrals.models import Referral
from tests.world import World


@dataclass
class County:
    """Problems of 双桥区 and one of its neighbour, by what they show."""

    overdue: Problem  # 卫健局, open, past its deadline
    open: Problem  # 卫健局, open, on time
    town: Problem  # 卫健局, open, in 水泉沟镇 (inside the county)
    on_time: Problem  # 市场监管局, closed by its deadline
    late: Problem  # 水泉沟镇 (a region as the unit), closed after its deadline
    spot: Problem  # fixed on the spot, no unit
    new: Problem  # not yet assigned
    sibling: Problem  # 双滦区, outside the county


def _close(world: World, problem: Problem, handler: str = "county_handler") -> Problem:
    office = world.users["county_office"]
    problem = actions.do_submit_rectification(
        problem, acting_user=world.users[handler], text="已整改"
    )
    return actions.do_verify(problem, acting_user=office, accept=True)


def county(world: World) -> County:
    office = world.users["county_office"]
    long_ago = timezone.now() - timedelta(days=4)

    def assigned(unit: str, **kwargs: Any) -> Problem:
        problem = world.problem(**kwargs)
        return actions.do_assign(problem, acting_user=office, responsible_org=world.orgs[unit])

    overdue = assigned("county_dept", title="卡口登记表缺页", found_at=long_ago)
    still_open = assigned("county_dept", title="测温枪无备用电池")
    town = assigned("county_dept", title="镇卫生院预检分诊无人值守", region="town")
    on_time = _close(
        world, assigned("county_market_dept", title="农贸市场未扫码"), "market_handler"
    )
    late = _close(world, assigned("town", title="镇区快递点未消杀", found_at=long_ago))
    spot = actions.do_close_on_spot(
        world.problem(title="值守人员未戴口罩"), acting_user=office, evidence="当场佩戴"
    )
    new = world.problem(title="隔离点物资台账不全")
    sibling = world.problem(by="sibling_office", region="sibling", title="双滦区卡口无人")
    return County(overdue, still_open, town, on_time, late, spot, new, sibling)


def post(api: Any, path: str, body: dict[str, Any] | None = None) -> Any:
    return api.post(path, body or {})


def patch(api: Any, path: str, body: dict[str, Any]) -> Any:
    return api.client.patch(
        "/api/v1" + path, json.dumps(body), content_type="application/json", headers=api.headers
    )


def draft(api: Any, kind: str, **body: Any) -> dict[str, Any]:
    response = api.post("/documents", {"kind": kind, **body})
    assert response.status_code == 201, response.content
    return response.json()


def issue(api: Any, kind: str, **body: Any) -> dict[str, Any]:
    created = draft(api, kind, **body)
    response = api.post(f"/documents/{created['id']}/issue")
    assert response.status_code == 200, response.content
    return response.json()


def download(api: Any, document: dict[str, Any], file_format: str) -> bytes:
    response = api.get(f"/documents/{document['id']}/files/{file_format}")
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def open_docx(api: Any, document: dict[str, Any]) -> Any:
    return docx.Document(io.BytesIO(download(api, document, "docx")))


def open_xlsx(api: Any, document: dict[str, Any]) -> Any:
    return openpyxl.load_workbook(io.BytesIO(download(api, document, "xlsx")))


def paragraphs(document: Any) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs if paragraph.text]


def table_rows(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def list_stats(api: Any, **filters: Any) -> dict[str, Any]:
    """The stats line of the problem list for the same filters, as the API gives it."""
    response = api.get("/problems", {"page_size": 1, **filters})
    assert response.status_code == 200, response.content
    return response.json()["stats"]


def referral(world: World, problem: Problem | None = None, **fields: Any) -> Referral:
    """A referral of a county problem to the county's discipline body, written with the ORM
    (its actions belong to the referrals app)."""
    problem = problem or world.assigned(title="卡口值守人员擅离岗位")
    row = Referral(
        problem=problem,
        region=problem.region,
        referring_office=world.orgs["county_office"],
        receiver=fields.pop("receiver", world.orgs["county_discipline"]),
        facts=fields.pop("facts", "值守人员连续两日擅离岗位。\n经查，系带班领导默许。"),
        referred_by=world.users["county_office"],
        **fields,
    )
    row.copy_levels_from(problem.region)
    row.save()
    return row


def imprint_rows(document: Any) -> list[list[str]]:
    """The 版记 of a Word file: the last table, under the body."""
    return table_rows(document.tables[-1])
