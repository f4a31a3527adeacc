"""The ledger over /api/v1/: registering, statuses, the ledger, needs and supervision, with
the same rules and refusals as the pages."""

from __future__ import annotations

from ducha.problems.models import Problem
from ducha.resumption.models import (
    Enterprise,
    EnterpriseLedger,
    EnterpriseNeed,
    ResumptionEvent,
    ResumptionSpell,
)
from tests.api.conftest import field_errors
from tests.resumption.conftest import days_ago, register, rule


def _body(world, **extra):
    body = {
        "kind": "enterprise",
        "name": "承德兴隆口罩厂",
        "category": "key_supplies",
        "region": world.orgs["town"].pk,
        "registered_on": days_ago(20).isoformat(),
        "credit_code": "91130800MA0XXXXX1A",
        "area": "南区",
        "supervisor": world.orgs["county_dept"].pk,
    }
    body.update(extra)
    return body


def _act(api, enterprise, action, etag=None, **body):
    headers = {"If-Match": etag} if etag else {}
    return api.post(f"/enterprises/{enterprise.pk}/actions/{action}", body, headers=headers)


def test_register_read_and_list(world, api_as):
    county = api_as("county_office")
    response = county.post("/enterprises", _body(world))
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["status"] == "registered" and made["supervisor"]["name"] == "双桥区卫健局"
    assert set(made["allowed_actions"]) >= {"edit", "file", "exclude", "record_ledger"}
    assert "resume" not in made["allowed_actions"]  # filing comes first by default
    assert [e["action"] for e in county.get(f"/enterprises/{made['id']}/history").json()] == [
        "register"
    ]
    # The supervising unit reads it and records its status; the leader only reads.
    handler = api_as("county_handler").get(f"/enterprises/{made['id']}").json()
    assert set(handler["allowed_actions"]) == {"file", "record_ledger", "report_need"}
    assert api_as("county_leader").get(f"/enterprises/{made['id']}").json()["allowed_actions"] == []
    assert api_as("sibling_office").get(f"/enterprises/{made['id']}").status_code == 404
    assert api_as("market_handler").get(f"/enterprises/{made['id']}").status_code == 404
    listed = api_as("city_office").get("/enterprises").json()
    assert listed["count"] == 1 and listed["counts"]["not_filed"] == 1
    assert api_as("sibling_office").get("/enterprises").json()["count"] == 0


def test_statuses_over_time_with_who_recorded_them(world, api_as):
    enterprise = register(world)
    handler = api_as("county_handler")
    etag = handler.get(f"/enterprises/{enterprise.pk}").json()["etag"]
    filed = _act(handler, enterprise, "file", etag, on=days_ago(8).isoformat())
    assert filed.status_code == 200, filed.content
    assert _act(handler, enterprise, "file", etag, on=days_ago(7).isoformat()).status_code == 412
    town = api_as("town_office")
    assert _act(town, enterprise, "resume", on=days_ago(6).isoformat()).status_code == 200
    assert _act(town, enterprise, "stop", on=days_ago(3).isoformat()).status_code == 200
    resumed = _act(town, enterprise, "resume")  # today, when no day is given
    assert resumed.status_code == 200, resumed.content
    assert resumed.json()["status"] == "resumed"
    assert resumed.json()["status_on"] == days_ago(0).isoformat()
    assert resumed.json()["filed_on"] == days_ago(8).isoformat()
    history = handler.get(f"/enterprises/{enterprise.pk}/history").json()
    assert [(e["action"], e["on"], e["from_status"], e["to_status"]) for e in history] == [
        ("register", None, "", ""),
        ("file", days_ago(8).isoformat(), "registered", "filed"),
        ("resume", days_ago(6).isoformat(), "filed", "resumed"),
        ("stop", days_ago(3).isoformat(), "resumed", "stopped"),
        ("resume", days_ago(0).isoformat(), "stopped", "resumed"),
    ]
    assert [e["actor"] for e in history][1:3] == ["卫健局经办人", "镇督查办干部"]
    spells = ResumptionSpell.objects.filter(enterprise=enterprise).order_by("resumed_on")
    assert [(s.resumed_on, s.stopped_on) for s in spells] == [
        (days_ago(6), days_ago(3)),
        (days_ago(0), None),
    ]
    assert {s.county_id for s in spells} == {world.orgs["county"].pk}
    assert Enterprise.objects.get(pk=enterprise.pk).version == 4


def test_bad_statuses_are_refused_and_change_nothing(world, api_as):
    enterprise = register(world)
    office = api_as("county_office")
    early = _act(office, enterprise, "file", on=days_ago(11).isoformat())
    assert early.status_code == 422 and field_errors(early) == {"on"}
    assert "登记日期" in early.json()["detail"]
    future = _act(office, enterprise, "file", on=days_ago(-1).isoformat())
    assert future.status_code == 422 and field_errors(future) == {"on"}
    unfiled = _act(office, enterprise, "resume", on=days_ago(1).isoformat())
    assert unfiled.status_code == 409
    assert "先备案后复工" in unfiled.json()["detail"]
    idle = _act(office, enterprise, "stop", on=days_ago(1).isoformat())
    assert idle.status_code == 409 and "未复工" in idle.json()["detail"]
    assert _act(office, enterprise, "file", on=days_ago(2).isoformat()).status_code == 200
    before = _act(office, enterprise, "resume", on=days_ago(3).isoformat())
    assert before.status_code == 422 and field_errors(before) == {"on"}
    fresh = Enterprise.objects.get(pk=enterprise.pk)
    assert (fresh.status, fresh.filed_on, fresh.version) == ("filed", days_ago(2), 1)
    assert ResumptionEvent.objects.filter(enterprise=enterprise).count() == 2
    assert not ResumptionSpell.objects.exists() and not Problem.objects.exists()


def test_an_unfiled_resumption_where_the_office_allows_it(world, api_as):
    recorded, problem_made = register(world), register(world, name="双桥区建工集团")
    office = api_as("county_office")
    rule(world, filing_first=False)
    response = _act(office, recorded, "resume", on=days_ago(1).isoformat())
    assert response.status_code == 200, response.content
    assert ResumptionEvent.objects.get(enterprise=recorded, action="resume").payload == {
        "unfiled": True
    }
    assert not Problem.objects.exists()
    rule(world, filing_first=False, problem_when_unfiled=True)
    response = _act(office, problem_made, "resume", on=days_ago(1).isoformat())
    assert response.status_code == 200, response.content
    event = ResumptionEvent.objects.get(enterprise=problem_made, action="resume")
    problem = Problem.objects.get()
    assert event.payload == {"unfiled": True, "problem": problem.pk}
    assert problem.focus_area.code == "work_resumption"
    assert problem.site == Enterprise.objects.get(pk=problem_made.pk).site
    assert problem.site.kind == "enterprise" and problem.region == world.orgs["town"]
    assert "双桥区建工集团" in problem.title


def test_the_ledger_and_its_history(world, api_as):
    enterprise = register(world)
    handler = api_as("county_handler")
    url = f"/enterprises/{enterprise.pk}/actions/record-ledger"
    entry = {
        "staff_total": 120,
        "staff_screened": 118,
        "staff_isolated": 2,
        "supplies": [{"name": "口罩", "quantity": 5000, "unit": "只", "days": 7}],
        "plan": "每日两次测温，错峰就餐。",
        "responsible_person": "王厂长",
        "responsible_phone": "13812345678",
    }
    assert handler.post(url, entry).status_code == 200
    assert handler.post(url, {**entry, "staff_screened": 120}).status_code == 200
    bad = [
        ({"staff_screened": 121}, "staff_screened"),
        ({"staff_isolated": 121}, "staff_isolated"),
        ({"staff_total": -1}, "staff_total"),
        ({"supplies": [{"name": "口罩", "quantity": -5, "unit": "只", "days": 7}]}, "supplies"),
        ({"supplies": [{"name": "口罩", "quantity": 5, "unit": "只", "days": 4000}]}, "supplies"),
        ({"supplies": [{"name": "", "quantity": 5}]}, "supplies"),
        ({"supplies": [{"name": "口罩", "quantity": 1}] * 31}, "supplies"),
        ({"responsible_person": ""}, "responsible_person"),
    ]
    for change, field in bad:
        response = handler.post(url, {**entry, **change})
        assert response.status_code == 422, (change, response.content)
        assert field_errors(response) == {field}, (change, response.content)
    assert api_as("county_leader").post(url, entry).status_code == 403
    assert api_as("market_handler").post(url, entry).status_code == 404
    ledger = handler.get(f"/enterprises/{enterprise.pk}/ledger").json()
    assert ledger["count"] == 2
    assert [item["staff_screened"] for item in ledger["items"]] == [120, 118]
    assert ledger["items"][1]["supplies"] == entry["supplies"]
    assert EnterpriseLedger.objects.count() == 2
    assert ResumptionEvent.objects.filter(action="record_ledger").count() == 2


def test_a_need_becomes_a_problem_of_the_loop(world, api_as):
    enterprise = register(world)
    member = api_as("county_team_member")
    url = f"/enterprises/{enterprise.pk}/actions/report-need"
    refused = member.post(url, {"kind": "supplies", "text": ""})
    assert refused.status_code == 422 and field_errors(refused) == {"text"}
    response = member.post(url, {"kind": "supplies", "text": "熔喷布仅够7天生产"})
    assert response.status_code == 200, response.content
    need = EnterpriseNeed.objects.get()
    assert need.problem.focus_area.code == "work_resumption"
    assert need.problem.site == Enterprise.objects.get(pk=enterprise.pk).site
    assert need.problem.description == "熔喷布仅够7天生产"
    moved = _act(api_as("county_office"), enterprise, "edit", region=world.orgs["county"].pk)
    assert moved.status_code == 200, moved.content
    need.problem.site.refresh_from_db()
    assert need.problem.site.region == world.orgs["county"]  # the site follows the enterprise
    seen = api_as("county_office").get(f"/enterprises/{enterprise.pk}").json()["needs"]
    assert seen[0]["problem"]["id"] == need.problem_id
    # The unit has not been assigned the problem: it sees the need, not the problem.
    unseen = api_as("county_handler").get(f"/enterprises/{enterprise.pk}").json()["needs"]
    assert unseen[0]["problem"] is None and unseen[0]["text"] == need.text
    assert api_as("county_leader").post(url, {"kind": "labour", "text": "缺工"}).status_code == 403


def test_register_refusals_name_the_field_and_save_nothing(world, api_as):
    county = api_as("county_office")
    cases = [
        (_body(world, region=world.orgs["sibling"].pk), "region"),
        (_body(world, region=world.orgs["county_dept"].pk), "region"),
        (_body(world, supervisor=world.orgs["sibling_dept"].pk), "supervisor"),
        (_body(world, credit_code="91130800"), "credit_code"),
        (_body(world, credit_code="91130800ma0xxxxx1a!"), "credit_code"),
        (_body(world, registered_on=days_ago(-1).isoformat()), "registered_on"),
        (_body(world, supervised=False), "excluded_reason"),
        (_body(world, kind="project"), "category"),
        (_body(world, name=""), "name"),
        (_body(world, name="a\nb"), "name"),
    ]
    for body, field in cases:
        response = county.post("/enterprises", body)
        assert response.status_code == 422, (field, response.content)
        assert field_errors(response) == {field}, (field, response.content)
    assert api_as("county_handler").post("/enterprises", _body(world)).status_code == 403
    assert api_as("county_leader").post("/enterprises", _body(world)).status_code == 403
    assert not Enterprise.objects.exists() and not ResumptionEvent.objects.exists()
    # The same credit code twice in one jurisdiction is refused.
    assert county.post("/enterprises", _body(world)).status_code == 201
    again = county.post("/enterprises", _body(world, name="另一家"))
    assert again.status_code == 422 and field_errors(again) == {"credit_code"}


def test_edit_exclude_and_include(world, api_as):
    enterprise = register(world)
    office = api_as("county_office")
    etag = office.get(f"/enterprises/{enterprise.pk}").json()["etag"]
    edited = _act(office, enterprise, "edit", etag, name="兴隆医用口罩厂", supervisor=None)
    assert edited.status_code == 200, edited.content
    assert edited.json()["name"] == "兴隆医用口罩厂" and edited.json()["supervisor"] is None
    assert _act(office, enterprise, "edit", etag, name="旧名").status_code == 412
    assert _act(office, enterprise, "file", on=days_ago(5).isoformat()).status_code == 200
    late = _act(office, enterprise, "edit", registered_on=days_ago(4).isoformat())
    assert late.status_code == 422 and field_errors(late) == {"registered_on"}
    away = _act(office, enterprise, "edit", region=world.orgs["sibling"].pk)
    assert away.status_code == 422 and field_errors(away) == {"region"}
    unknown = _act(office, enterprise, "edit", status="resumed")
    assert unknown.status_code == 422
    assert _act(api_as("county_leader"), enterprise, "edit", name="x").status_code == 403
    # Without a supervising body, the unit that supervised it sees it no more.
    assert _act(api_as("county_handler"), enterprise, "edit", name="x").status_code == 404
    no_reason = _act(office, enterprise, "exclude", reason="")
    assert no_reason.status_code == 422 and field_errors(no_reason) == {"reason"}
    excluded = _act(office, enterprise, "exclude", reason="机场项目由省级监管")
    assert excluded.status_code == 200 and excluded.json()["supervised"] is False
    assert excluded.json()["excluded_reason"] == "机场项目由省级监管"
    assert _act(office, enterprise, "exclude", reason="再次").status_code == 409
    counts = office.get("/enterprises").json()["counts"]
    assert (counts["excluded"], counts["supervised"], counts["filed"]) == (1, 0, 0)
    assert office.get("/enterprises", {"supervised": "false"}).json()["count"] == 1
    included = _act(office, enterprise, "include")
    assert included.status_code == 200 and included.json()["supervised"] is True
    assert _act(office, enterprise, "include").status_code == 409
    actions = list(
        ResumptionEvent.objects.filter(enterprise=enterprise).values_list("action", flat=True)
    )
    assert actions == ["register", "edit", "file", "exclude", "include"]


def test_a_unit_sees_only_what_it_supervises_and_filters_narrow_the_list(world, api_as):
    register(world)
    register(
        world,
        name="市场监管局监管的超市",
        category="services",
        supervisor=world.orgs["county_market_dept"],
        region=world.orgs["county"],
        area="东区",
    )
    register(
        world,
        name="机场航站楼工程",
        kind="project",
        category="construction",
        supervised=False,
        excluded_reason="省重点项目",
        area="东区",
    )
    assert api_as("county_handler").get("/enterprises").json()["count"] == 2
    assert api_as("market_handler").get("/enterprises").json()["count"] == 1
    # The town office sees what lies in the town, not what lies in the county itself.
    assert api_as("town_office").get("/enterprises").json()["count"] == 2
    office = api_as("county_office")

    def names(**query):
        return sorted(item["name"] for item in office.get("/enterprises", query).json()["items"])

    assert names(area="东区") == ["市场监管局监管的超市", "机场航站楼工程"]
    assert names(kind="project") == ["机场航站楼工程"]
    assert names(category="services") == ["市场监管局监管的超市"]
    assert names(region=world.orgs["town"].pk) == ["承德兴隆口罩厂", "机场航站楼工程"]
    assert names(q="口罩") == ["承德兴隆口罩厂"]
    assert names(status="registered", supervised="true") == [
        "市场监管局监管的超市",
        "承德兴隆口罩厂",
    ]
    assert names(region=world.orgs["sibling"].pk) == []
    page = office.get("/enterprises", {"page_size": 1, "page": 2}).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert office.get("/enterprises", {"status": "nonsense"}).status_code == 422
