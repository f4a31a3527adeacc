"""The register of forms over /api/v1/: registering, editing, deciding, and the refusals."""

from __future__ import annotations

from ducha.reportforms.models import FormItem, ReportForm, ReportFormEvent
from tests.api.conftest import field_errors
from tests.reportforms.conftest import ITEMS, decide, register


def _body(world, **extra):
    body = {
        "number": 1,
        "name": "返岗人员统计表",
        "department": world.orgs["county_dept"].pk,
        "frequency": "daily",
        "filled_by": 5,
        "minutes": 20,
        "items": [
            {"label": "返岗人数", "unit": "人", "min_value": 0},
            {"label": "防控等级", "kind": "choice", "choices": ["低", "中", "高"]},
            {"label": "发现问题数", "shared_figure": "problems_found", "required": False},
        ],
    }
    body.update(extra)
    return body


def test_register_read_edit_and_decide(world, api_as):
    office = api_as("county_office")
    made = office.post("/report-forms", _body(world))
    assert made.status_code == 201, made.content
    form = made.json()
    assert form["region"]["id"] == world.orgs["county"].pk
    assert [i["key"] for i in form["item_list"]] == ["返岗人数", "防控等级", "发现问题数"]
    assert form["allowed_actions"] == ["edit", "decide"]
    url = f"/report-forms/{form['id']}"
    edited = office.post(
        f"{url}/actions/edit", {"name": "返岗人员日报表"}, headers={"If-Match": form["etag"]}
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["name"] == "返岗人员日报表"
    stale = office.post(
        f"{url}/actions/decide", {"decision": "keep"}, headers={"If-Match": form["etag"]}
    )
    assert stale.status_code == 412
    kept = office.post(
        f"{url}/actions/decide",
        {"decision": "keep", "reason": "基础数据"},
        headers={"If-Match": edited.json()["etag"]},
    )
    assert kept.status_code == 200, kept.content
    assert kept.json()["decision"] == "keep"
    assert [e["action"] for e in kept.json()["events"]] == ["register", "edit", "decide"]
    assert ReportFormEvent.objects.count() == 3
    # Read by the leader, who may not decide; not seen by the neighbouring county.
    leader = api_as("county_leader")
    assert leader.get(url).json()["allowed_actions"] == []
    assert leader.post(f"{url}/actions/decide", {"decision": "drop"}).status_code == 403
    assert api_as("sibling_office").get(url).status_code == 404
    assert (
        api_as("sibling_office").post(f"{url}/actions/decide", {"decision": "drop"}).status_code
        == 404
    )
    assert api_as("city_office").get(url).status_code == 200


def test_register_refusals_name_the_field_and_save_nothing(world, api_as):
    office = api_as("county_office")
    register(world, 7)
    too_many = [{"label": f"项目{n}"} for n in range(201)]
    cases = [
        (_body(world, number=7), "number"),
        (_body(world, department=world.orgs["sibling_dept"].pk), "department"),
        (_body(world, department=world.orgs["county_office"].pk), "department"),
        (_body(world, region=world.orgs["sibling"].pk), "region"),
        (_body(world, minutes=0), "minutes"),
        (_body(world, minutes=601), "minutes"),
        (_body(world, filled_by=3), "filled_by"),
        (_body(world, name=""), "name"),
        (_body(world, items=[]), "items"),
        (_body(world, items=too_many), "items"),
        (_body(world, items=[{"label": "返岗人数"}, {"label": "返岗 人数"}]), "items"),
        (_body(world, items=[{"label": "Ａ"}, {"label": "A"}]), "items"),
        (_body(world, items=[{"label": "x", "min_value": 5, "max_value": 1}]), "items"),
        (_body(world, items=[{"label": "x", "kind": "colour"}]), "items"),
        (_body(world, items=[{"label": "x", "kind": "choice", "choices": ["a"]}]), "items"),
        (_body(world, items=[{"label": "x", "kind": "choice", "choices": ["c"] * 51}]), "items"),
        (_body(world, items=[{"label": "x", "shared_figure": "weather"}]), "items"),
        (_body(world, items=[{"label": "x" * 101}]), "label"),
    ]
    for body, field in cases:
        response = office.post("/report-forms", body)
        assert response.status_code in (400, 422), (
            field,
            {k: v for k, v in body.items() if k != "items"},
            body["items"][:2],
        )
        assert field in field_errors(response) or field == "label", (field, response.content)
    assert "第2项" in office.post("/report-forms", cases[10][0]).json()["detail"]
    assert api_as("county_leader").post("/report-forms", _body(world)).status_code == 403
    assert api_as("county_handler").post("/report-forms", _body(world)).status_code == 403
    assert ReportForm.objects.count() == 1
    assert FormItem.objects.count() == len(ITEMS)
    assert ReportFormEvent.objects.count() == 1


def test_decide_refusals(world, api_as):
    office = api_as("county_office")
    kept = register(world, 1)
    other = register(world, 2)
    held = register(world, 3, items=[{"label": "发现问题数", "shared_figure": "problems_found"}])
    dropped = decide(world, register(world, 4), "drop")
    abroad = register(world, 5)
    abroad = decide(world, abroad, "keep")
    sibling = ReportForm.objects.create(
        region=world.orgs["sibling"],
        number=1,
        name="邻区表",
        department=world.orgs["sibling_dept"],
        frequency="daily",
        minutes=5,
        created_by=world.users["sibling_office"],
    )

    def refused(form, field, **body):
        response = office.post(f"/report-forms/{form.pk}/actions/decide", body)
        assert response.status_code == 422, (body, response.content)
        assert field_errors(response) == {field}, (body, response.content)
        return response.json()["detail"]

    refused(other, "merged_into", decision="merge", merged_into=other.pk)
    refused(other, "merged_into", decision="merge")
    refused(other, "merged_into", decision="merge", merged_into=dropped.pk)
    refused(other, "merged_into", decision="merge", merged_into=sibling.pk)
    refused(other, "merged_into", decision="drop", merged_into=kept.pk)
    assert "辖区人口" in refused(other, "decision", decision="shared")
    decide(world, other, "merge", merged_into=kept)
    # The target of a merge must still be filled, and is not dropped while it holds one.
    refused(held, "merged_into", decision="merge", merged_into=other.pk)
    assert "统计表2" in refused(kept, "decision", decision="drop")
    refused(kept, "decision", decision="merge", merged_into=abroad.pk)
    refused(kept, "decision", decision="pending")
    assert (
        office.post(f"/report-forms/{held.pk}/actions/decide", {"decision": "shared"}).status_code
        == 200
    )
    assert (
        office.post(f"/report-forms/{kept.pk}/actions/decide", {"decision": "colour"}).status_code
        == 422
    )
    assert ReportForm.objects.get(pk=kept.pk).decision == "pending"
    # A city office sees the county's forms, but not the neighbour's form through a merge.
    city = api_as("city_office")
    assert city.get(f"/report-forms/{kept.pk}").status_code == 200


def test_department_handler_sees_its_own_forms_only(world, api_as):
    own = register(world, 1)
    theirs = register(world, 2, dept="county_market_dept")
    handler = api_as("county_handler")
    listed = handler.get("/report-forms").json()
    assert [item["id"] for item in listed["items"]] == [own.pk]
    assert handler.get(f"/report-forms/{theirs.pk}").status_code == 404
    assert handler.get(f"/report-forms/{own.pk}").json()["allowed_actions"] == []
    assert (
        handler.post(f"/report-forms/{own.pk}/actions/decide", {"decision": "drop"}).status_code
        == 403
    )
    assert api_as("outsider").get("/report-forms").json()["count"] == 0


def test_burden_and_analysis(world, api_as):
    a = register(world, 1, minutes=30)
    b = register(world, 2, minutes=20, items=[*ITEMS[:2], {"label": "企业复工数"}, {"label": "x"}])
    c = register(world, 3, frequency="weekly", minutes=14, items=[{"label": "y"}, {"label": "z"}])
    d = register(
        world,
        4,
        dept="county_market_dept",
        minutes=10,
        items=[{"label": "发现问题数", "shared_figure": "problems_found"}],
    )
    decide(world, a, "keep")
    decide(world, b, "merge", merged_into=a)
    decide(world, c, "drop")
    decide(world, d, "shared")
    office = api_as("county_office")
    figures = office.get("/report-forms/burden").json()
    assert (figures["before"], figures["after"], figures["rate"]) == (4, 1, "75.00")
    assert (figures["dropped"], figures["merged"], figures["shared"], figures["kept"]) == (
        1,
        1,
        1,
        1,
    )
    # Before: three daily forms and a weekly one; after: form 1 with the two items of form 2
    # it lacks (企业复工数, x), each at form 2's 5 minutes an item.
    assert figures["per_day_before"] == {"forms": "3.1", "items": "8.3", "minutes": "62.0"}
    assert figures["per_day_after"] == {"forms": "1.0", "items": "5.0", "minutes": "40.0"}
    assert office.get("/report-forms").json()["figures"]["rate"] == "75.00"
    found = office.get("/report-forms/analysis", {"share": "0.5"}).json()
    assert {row["key"] for row in found["repeated"]} == {"辖区人口", "返岗人数"}
    assert [(p["first"]["id"], p["second"]["id"], p["percent"]) for p in found["overlaps"]] == [
        (a.pk, b.pk, "66.67")
    ]
    assert office.get("/report-forms/analysis", {"share": "0.7"}).json()["overlaps"] == []
    assert [row["figure"] for row in found["held"]] == ["problems_found"]
    assert found["held"][0]["departments"][0]["id"] == world.orgs["county_market_dept"].pk
    for share in ("0", "1.5", "abc"):
        response = office.get("/report-forms/analysis", {"share": share})
        assert response.status_code == 422 and field_errors(response) == {"share"}
    sibling = world.orgs["sibling"].pk
    refused = office.get("/report-forms/burden", {"region": sibling})
    assert refused.status_code == 422 and field_errors(refused) == {"region"}
    assert api_as("sibling_office").get("/report-forms/burden").json()["before"] == 0


def test_edit_refusals(world, api_as):
    office = api_as("county_office")
    form = register(world, 1)
    register(world, 2)
    held = decide(
        world,
        register(world, 3, items=[{"label": "发现问题数", "shared_figure": "problems_found"}]),
        "shared",
    )
    url = f"/report-forms/{form.pk}/actions/edit"
    cases = [
        ({"number": 2}, "number"),
        ({"department": world.orgs["sibling_dept"].pk}, "department"),
        ({"minutes": 0}, "minutes"),
        ({"items": []}, "items"),
        ({"items": [{"label": "x", "min_value": 1.005}]}, "items"),
        ({"colour": "red"}, "colour"),
    ]
    for body, field in cases:
        response = office.post(url, body)
        assert response.status_code == 422, (body, response.content)
        assert field_errors(response) == {field}, (body, response.content)
    # A form served from shared data keeps only items the platform holds.
    refused = office.post(f"/report-forms/{held.pk}/actions/edit", {"items": [{"label": "y"}]})
    assert refused.status_code == 422 and field_errors(refused) == {"decision"}
    assert "y" in refused.json()["detail"]
    changed = office.post(
        url, {"items": [{"label": "企业复工数"}], "department": world.orgs["county_market_dept"].pk}
    )
    assert changed.status_code == 200, changed.content
    assert [i["key"] for i in changed.json()["item_list"]] == ["企业复工数"]
    assert changed.json()["department"]["id"] == world.orgs["county_market_dept"].pk
    assert ReportFormEvent.objects.filter(form=form).count() == 2


def test_a_village_committee_sees_the_forms_it_fills(world, api_as):
    from ducha.accounts.models import Membership
    from ducha.orgs.models import Org

    village = Org.objects.create(
        kind="region", name="水泉村", level=5, parent=world.orgs["town"], code="130802100201"
    )
    committee = world.users["outsider"]
    Membership.objects.create(user=committee, org=village, role="unit_handler")
    village_form = decide(world, register(world, 1), "keep")
    pending = register(world, 2)
    town_form = register(world, 3, filled_by=4)
    decide(world, register(world, 4), "drop")
    decide(world, register(world, 5), "merge", merged_into=village_form)
    listed = api_as("outsider").get("/report-forms").json()["items"]
    assert {item["id"] for item in listed} == {village_form.pk, pending.pk}
    assert api_as("outsider").get(f"/report-forms/{town_form.pk}").status_code == 404


def test_a_collection_is_filled_as_often_as_its_most_frequent_form(world, api_as):
    weekly = decide(world, register(world, 1, frequency="weekly", minutes=21), "keep")
    decide(world, register(world, 2, items=ITEMS[:1], minutes=7), "merge", merged_into=weekly)
    figures = api_as("county_office").get("/report-forms/burden").json()
    # Before: 1/7 of form 1 (3 items, 21 minutes) and all of form 2 (1 item, 7 minutes).
    assert figures["per_day_before"] == {"forms": "1.1", "items": "1.4", "minutes": "10.0"}
    # After: form 1's three items, form 2's among them, filled daily as form 2 was.
    assert figures["per_day_after"] == {"forms": "1.0", "items": "3.0", "minutes": "21.0"}
    assert (figures["before"], figures["after"], figures["rate"]) == (2, 1, "50.00")
