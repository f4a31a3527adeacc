"""Every kind of bad row is reported with its row number (as Excel shows it) and its reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.accounts.models import Membership
from ducha.orgs.models import Org, Site, Team
from ducha.problems.models import FocusArea, Problem
from tests.ledger.conftest import api_upload, hours_ago, local, row, workbook

pytestmark = pytest.mark.django_db


def _report(api, rows) -> dict:
    response = api_upload(api, workbook(rows))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "validated"
    return body


def _errors(body) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["code"]) for e in body["errors"]]


def test_each_bad_row_with_its_number_and_reason(world, api_as):
    FocusArea.objects.create(code="old-campaign", name="旧专项", active=False)
    future = local(timezone.now() + timedelta(days=3)).replace(second=0)
    rows = [
        row(),  # 2: fine
        row(问题=None),  # 3
        row(问题="长" * 201),  # 4
        row(地区="不存在区"),  # 5
        row(地区="河北省/承德市/双滦区"),  # 6: exists, but outside the jurisdiction
        None,  # 7: blank, skipped but counted by Excel
        row(督查重点="不存在的重点"),  # 8
        row(督查重点="旧专项"),  # 9: no longer in use
        row(督查重点=None),  # 10
        row(地区="水泉沟镇", 点位="不存在的点位"),  # 11
        row(点位="双滦区农贸市场"),  # 12: a site of another county
        row(发现组="不存在的督查组"),  # 13
        row(发现时间=None),  # 14
        row(发现时间="昨天上午"),  # 15
        row(发现时间=future),  # 16
        row(紧急程度="特急", 性质="一般问题"),  # 17
        row(承办单位="不存在的单位"),  # 18
        row(承办单位="双滦区卫健局"),  # 19: a unit of another county
        row(整改时限=future),  # 20: a deadline without a unit
        row(承办单位="双桥区卫健局", 整改时限=hours_ago(1)),  # 21
        row(问题=None, 地区="不存在区"),  # 22: two errors
        row(问题="  ", 发现时间="2026-13-45"),  # 23
    ]
    body = _report(api_as("county_office"), rows)
    assert _errors(body) == [
        (3, "title", "required"),
        (4, "title", "too_long"),
        (5, "region", "region_not_found"),
        (6, "region", "region_not_found"),
        (8, "focus_area", "focus_area_unknown"),
        (9, "focus_area", "focus_area_unknown"),
        (10, "focus_area", "required"),
        (11, "site", "site_not_found"),
        (12, "site", "site_not_found"),
        (13, "team", "team_not_found"),
        (14, "found_at", "required"),
        (15, "found_at", "not_a_time"),
        (16, "found_at", "found_in_future"),
        (17, "urgency", "not_a_choice"),
        (17, "nature", "not_a_choice"),
        (18, "responsible_org", "unit_not_found"),
        (19, "responsible_org", "unit_not_found"),
        (20, "deadline", "deadline_without_unit"),
        (21, "deadline", "deadline_past"),
        (22, "title", "required"),
        (22, "region", "region_not_found"),
        (23, "title", "required"),
        (23, "found_at", "not_a_time"),
    ]
    assert (body["rows_total"], body["rows_valid"], body["rows_invalid"]) == (21, 1, 20)
    messages = {(e["row"], e["column"]): e["message"] for e in body["errors"]}
    assert messages[(4, "title")] == "最多 200 个字，此处有 201 个字。"
    assert messages[(17, "urgency")] == "请填写以下之一：一般、紧急。"
    assert messages[(17, "nature")] == "请填写以下之一：个性问题、共性问题。"
    assert messages[(6, "region")] == messages[(5, "region")]
    assert "2026-03-01 09:30" in messages[(15, "found_at")]


def test_regions_by_path_suffix_or_code_and_ambiguous_names(world, api_as):
    town, county = world.orgs["town"], world.orgs["county"]
    other_town = Org.objects.create(kind="region", name="狮子沟镇", level=4, parent=county)
    for parent in (town, other_town):
        Org.objects.create(kind="region", name="东街社区", level=5, parent=parent)
    rows = [
        row(地区="东街社区"),  # 2: two communities have this name
        row(地区="水泉沟镇/东街社区"),  # 3
        row(地区="河北省/承德市/双桥区/狮子沟镇/东街社区"),  # 4
        row(地区="130802100"),  # 5: the town's code
        row(地区=130802),  # 6: a code typed as a number
        row(地区="承德市／双桥区"),  # 7: full-width slash
        row(地区="130803"),  # 8: the sibling's code, outside the jurisdiction
    ]
    body = _report(api_as("county_office"), rows)
    assert _errors(body) == [(2, "region", "region_ambiguous"), (8, "region", "region_not_found")]
    assert "河北省/承德市/双桥区/水泉沟镇/东街社区" in body["errors"][0]["message"]
    assert body["rows_valid"] == 5


def test_labels_codes_and_other_languages_are_understood(world, api_as):
    rows = [
        row(紧急程度="urgent", 性质="common"),
        row(紧急程度="緊急", 性质="共性問題"),
        row(紧急程度=" 紧急 ", 性质="共性问题", 督查重点="screening"),
    ]
    body = _report(api_as("county_office"), rows)
    assert body["errors"] == []
    assert body["rows_valid"] == 3


def test_names_that_several_rows_share(world, api_as):
    town = world.orgs["town"]
    Site.objects.create(name="双桥区高速卡口", kind="checkpoint", region=town)
    Org.objects.create(kind="department", name="双桥区卫健局", parent=town)
    twin = Team.objects.create(
        name=world.teams["county_team"].name,
        kind="joint",
        dispatched_by=world.orgs["county_office"],
    )
    twin.regions.add(world.orgs["county"])
    rows = [
        row(地区="水泉沟镇", 点位="双桥区高速卡口"),
        row(发现组=twin.name),
        row(地区="水泉沟镇", 承办单位="双桥区卫健局"),
    ]
    body = _report(api_as("county_office"), rows)
    assert _errors(body) == [
        (2, "site", "site_ambiguous"),
        (3, "team", "team_ambiguous"),
        (4, "responsible_org", "unit_ambiguous"),
    ]


def test_a_team_member_may_record_but_not_assign(world, api_as):
    future = local(timezone.now() + timedelta(days=3)).replace(second=0)
    rows = [
        row(发现组="双桥区督查组"),
        row(承办单位="双桥区卫健局", 整改时限=future),
        row(地区="双滦区"),
    ]
    body = _report(api_as("county_team_member"), rows)
    assert _errors(body) == [
        (3, "responsible_org", "may_not_assign"),
        (4, "region", "region_not_found"),
    ]


def test_a_region_seen_but_not_recorded_in(world, api_as):
    """A city leader who is also on a county team sees the city but records in the county."""
    leader = world.users["county_team_member"]
    Membership.objects.create(user=leader, org=world.orgs["city_office"], role="leader")
    body = _report(api_as("county_team_member"), [row(), row(地区="双滦区")])
    assert _errors(body) == [(3, "region", "region_not_yours")]
    assert body["errors"][0]["message"] == "您的角色不能在该地区记录问题。"


def test_a_report_in_english_for_an_english_reader(world, api_as):
    api = api_as("county_office")
    body = api_upload(api, workbook([row(问题=None)])).json()
    english = api.get(f"/ledger/imports/{body['id']}", headers={"Accept-Language": "en"}).json()
    assert english["errors"][0]["message"] == "This column must be filled in."
    assert english["errors"][0]["column_label"] == "Problem"
    assert Problem.objects.count() == 0
