"""The ledger's pages: the same actions and refusals as the API, on a phone-sized form."""

from __future__ import annotations

from ducha.problems.models import Problem
from ducha.resumption.models import Enterprise, EnterpriseLedger, ResumptionEvent, ResumptionRule
from tests.resumption.conftest import days_ago, register


def _errors(response) -> set[str]:
    return set(response.context["form"].errors)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_register_on_the_page(world, login):
    client = login(world, "county_office")
    page = client.get("/resumption/new/")
    assert page.status_code == 200
    assert days_ago(0).isoformat() in page.content.decode()
    form = {
        "kind": "project",
        "name": "双桥区地铁一号线工程",
        "category": "construction",
        "region": world.orgs["county"].pk,
        "registered_on": days_ago(3).isoformat(),
        "area": "东区",
        "supervised": "",
        "excluded_reason": "",
    }
    refused = client.post("/resumption/new/", form)
    assert refused.status_code == 400 and _errors(refused) == {"excluded_reason"}
    away = client.post("/resumption/new/", {**form, "region": world.orgs["sibling"].pk})
    assert away.status_code == 400 and "region" in _errors(away)
    assert not Enterprise.objects.exists()
    made = client.post("/resumption/new/", {**form, "excluded_reason": "轨道交通由市级监管"})
    assert made.status_code == 302, made.context and made.context["form"].errors
    enterprise = Enterprise.objects.get()
    assert made["Location"] == f"/resumption/{enterprise.pk}/"
    assert (enterprise.supervised, enterprise.excluded_reason) == (False, "轨道交通由市级监管")
    detail = client.get(made["Location"]).content.decode()
    assert "轨道交通由市级监管" in detail and 'data-testid="excluded-reason"' in detail
    assert login(world, "county_handler").get("/resumption/new/").status_code == 403


def test_the_street_records_statuses_on_its_phone_page(world, login):
    enterprise = register(world)
    client = login(world, "town_office")
    url = f"/resumption/{enterprise.pk}/status/"
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="file"' in body and 'value="resume"' in body and 'value="stop"' in body
    assert f'value="{days_ago(0).isoformat()}"' in body  # today unless said otherwise
    early = client.post(url, {"action": "file", "on": days_ago(11).isoformat()})
    assert early.status_code == 400 and _errors(early) == {"on"}
    unfiled = client.post(url, {"action": "resume", "on": days_ago(1).isoformat()})
    assert unfiled.status_code == 409
    assert any("先备案后复工" in m for m in _messages(unfiled))
    idle = client.post(url, {"action": "stop", "on": days_ago(1).isoformat()})
    assert idle.status_code == 409 and any("未复工" in m for m in _messages(idle))
    assert ResumptionEvent.objects.filter(enterprise=enterprise).count() == 1
    filed = client.post(url, {"action": "file", "on": days_ago(2).isoformat(), "version": 0})
    assert filed.status_code == 302
    stale = client.post(url, {"action": "resume", "on": days_ago(1).isoformat(), "version": 0})
    assert stale.status_code == 412
    assert client.post(url, {"action": "resume", "version": 1}).status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.status, enterprise.status_on) == ("resumed", days_ago(0))
    timeline = client.get(f"/resumption/{enterprise.pk}/").content.decode()
    assert days_ago(2).isoformat() in timeline and "镇督查办干部" in timeline


def test_an_office_that_wants_it_gets_a_problem_of_an_unfiled_resumption(world, login):
    enterprise = register(world)
    client = login(world, "county_office")
    chose = client.post("/resumption/rule/", {"region": world.orgs["county"].pk, "mode": "problem"})
    assert chose.status_code == 302
    saved = ResumptionRule.objects.get(region=world.orgs["county"])
    assert (saved.filing_first, saved.problem_when_unfiled) == (False, True)
    answer = client.post(
        f"/resumption/{enterprise.pk}/status/", {"action": "resume", "on": days_ago(1)}
    )
    assert answer.status_code == 302
    problem = Problem.objects.get()
    assert problem.focus_area.code == "work_resumption" and enterprise.name in problem.title
    detail = client.get(f"/resumption/{enterprise.pk}/").content.decode()
    assert f"/problems/{problem.pk}/" in detail
    assert login(world, "county_leader").get("/resumption/rule/").status_code == 403
    town = login(world, "town_office").post(
        "/resumption/rule/", {"region": world.orgs["county"].pk, "mode": "record"}
    )
    assert town.status_code == 400 and "region" in _errors(town)


def test_the_ledger_entry_in_lines(world, login):
    enterprise = register(world)
    client = login(world, "county_handler")
    url = f"/resumption/{enterprise.pk}/ledger/"
    page = client.get(url)
    assert page.status_code == 200 and "口罩，5000，只，7" in page.content.decode()
    form = {
        "staff_total": 80,
        "staff_screened": 81,
        "staff_isolated": 0,
        "supplies": "口罩，5000，只，7\n消毒液, 200, 升, 10",
        "responsible_person": "李主任",
    }
    screened = client.post(url, form)
    assert screened.status_code == 400 and _errors(screened) == {"staff_screened"}
    unreadable = client.post(url, {**form, "staff_screened": 80, "supplies": "口罩\n"})
    assert unreadable.status_code == 400 and _errors(unreadable) == {"supplies"}
    negative = client.post(url, {**form, "staff_screened": 80, "supplies": "口罩，-1，只，7"})
    assert negative.status_code == 400 and _errors(negative) == {"supplies"}
    assert "第1行" in str(negative.context["form"].errors["supplies"])
    for odd in ("口罩，NaN，只，7", "口罩，sNaN，只，7", "口罩，1e400，只，7", "口罩，5，只，-1"):
        refused = client.post(url, {**form, "staff_screened": 80, "supplies": odd})
        assert refused.status_code == 400 and _errors(refused) == {"supplies"}, odd
    assert not EnterpriseLedger.objects.exists()
    done = client.post(url, {**form, "staff_screened": 80})
    assert done.status_code == 302
    entry = EnterpriseLedger.objects.get()
    assert entry.supplies == [
        {"name": "口罩", "quantity": 5000, "unit": "只", "days": 7},
        {"name": "消毒液", "quantity": 200, "unit": "升", "days": 10},
    ]
    again = client.get(url).content.decode()
    assert "口罩，5000，只，7" in again  # the form starts from the current entry
    assert login(world, "county_leader").get(url).status_code == 403
    assert login(world, "sibling_office").get(url).status_code == 404


def test_need_exclude_and_include_on_the_page(world, login):
    enterprise = register(world)
    member = login(world, "county_team_member")
    need = member.post(
        f"/resumption/{enterprise.pk}/need/", {"kind": "logistics", "text": "原料运输受阻"}
    )
    assert need.status_code == 302
    assert Problem.objects.get().description == "原料运输受阻"
    office = login(world, "county_office")
    empty = office.post(f"/resumption/{enterprise.pk}/exclude/", {"reason": ""})
    assert empty.status_code == 400 and _errors(empty) == {"reason"}
    out = office.post(f"/resumption/{enterprise.pk}/exclude/", {"reason": "由市级直接监管"})
    assert out.status_code == 302
    assert not Enterprise.objects.get(pk=enterprise.pk).supervised
    back = office.post(f"/resumption/{enterprise.pk}/include/", {})
    assert back.status_code == 302 and Enterprise.objects.get(pk=enterprise.pk).supervised
    edit = office.post(
        f"/resumption/{enterprise.pk}/edit/",
        {
            "kind": "enterprise",
            "name": "兴隆口罩厂（二厂）",
            "category": "key_supplies",
            "region": world.orgs["town"].pk,
            "registered_on": days_ago(10).isoformat(),
            "supervisor": world.orgs["county_dept"].pk,
        },
    )
    assert edit.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.category) == ("兴隆口罩厂（二厂）", "key_supplies")
    assert (
        login(world, "county_handler").get(f"/resumption/{enterprise.pk}/edit/").status_code == 403
    )


def test_the_list_and_the_tab(world, login):
    register(world)
    register(world, name="双桥区商贸城", category="services", area="东区")
    office = login(world, "county_office")
    page = office.get("/resumption/")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-nav="resumption:list"' in body
    assert 'data-count="total">2<' in body and 'data-count="not_filed">2<' in body
    narrowed = office.get("/resumption/", {"area": "东区"}).content.decode()
    assert "双桥区商贸城" in narrowed and "承德兴隆口罩厂" not in narrowed
    assert office.get("/resumption/", {"status": "bogus"}).status_code == 400
    # The office imports from Excel and reads the rates from here; a unit reads the rates.
    assert 'href="/ledger/enterprises/"' in body and 'href="/reports/resumption/"' in body
    unit = login(world, "county_handler").get("/resumption/").content.decode()
    assert 'href="/reports/resumption/"' in unit and 'href="/ledger/enterprises/"' not in unit
    sibling = login(world, "sibling_office").get("/resumption/").content.decode()
    assert "承德兴隆口罩厂" not in sibling
    admin = login(world, "county_admin").get("/resumption/").content.decode()
    assert 'data-nav="resumption:list"' not in admin and "承德兴隆口罩厂" not in admin
