"""The register of forms through the pages, and the same refusals as the API."""

from __future__ import annotations

from ducha.reportforms.models import ReportForm, ReportFormEvent
from tests.reportforms.conftest import ITEMS, decide, register

ITEM_LINES = (
    "返岗人数 | integer | unit=人 | min=0\n\n"
    "防控等级 | choice | choices=低/中/高\n"
    "发现问题数 | shared=problems_found | optional\n"
)


def _form(world, **extra):
    data = {
        "region": world.orgs["county"].pk,
        "number": 1,
        "name": "返岗人员统计表",
        "department": world.orgs["county_dept"].pk,
        "frequency": "daily",
        "filled_by": 5,
        "minutes": 20,
        "items": ITEM_LINES,
    }
    data.update(extra)
    return data


def test_office_registers_a_form_on_the_page(world, login):
    client = login(world, "county_office")
    page = client.get("/forms/new/")
    assert page.status_code == 200
    assert 'data-testid="example"' in page.content.decode()
    response = client.post("/forms/new/", _form(world))
    form = ReportForm.objects.get()
    assert response.status_code == 302 and response.url == f"/forms/{form.pk}/"
    items = list(form.items.order_by("position"))
    assert [(i.key, i.kind, i.unit) for i in items] == [
        ("返岗人数", "integer", "人"),
        ("防控等级", "choice", ""),
        ("发现问题数", "integer", ""),
    ]
    assert items[1].choices == ["低", "中", "高"]
    assert (items[2].shared_figure, items[2].required) == ("problems_found", False)
    assert form.county_id == world.orgs["county"].pk
    detail = client.get(response.url).content.decode()
    assert 'data-item="防控等级"' in detail
    assert 'data-figure-key="problems_found"' in detail
    assert 'data-testid="decide"' in detail


def test_bad_items_are_refused_by_their_line(world, login):
    client = login(world, "county_office")
    cases = [
        ("返岗人数\n\n隔离人数 | colour", "第3行"),
        ("返岗人数\n隔离人数 | size=3", "第2行"),
        # Refused by the action: the page still says the line it was written on.
        ("返岗人数\n\n隔离人数 | min=5 | max=1", "第3行"),
        ("返岗人数\n\n\n返岗 人数", "第4行"),
        ("返岗人数\n" + "x" * 101, "第2行"),
        ("防控等级 | choice | choices=低", "第1行"),
    ]
    for items, line in cases:
        response = client.post("/forms/new/", _form(world, items=items))
        assert response.status_code == 422, items
        assert line in response.content.decode(), (items, line)
    too_many = "\n".join(f"项目{n}" for n in range(201))
    assert client.post("/forms/new/", _form(world, items=too_many)).status_code == 422
    for field, value in [
        ("department", world.orgs["sibling_dept"].pk),
        ("minutes", 0),
        ("filled_by", 3),
        ("region", world.orgs["sibling"].pk),
        ("name", "a\nb"),
    ]:
        response = client.post("/forms/new/", _form(world, **{field: value}))
        assert response.status_code == 422, field
        assert f'data-field="{field}"' in response.content.decode()
        assert response.context["form"].errors.get(field), (field, response.context["form"].errors)
    assert not ReportForm.objects.exists()
    assert not ReportFormEvent.objects.exists()


def test_number_taken_refused_alike_on_page_and_api(world, login, api_as):
    register(world, 1)
    page = login(world, "county_office").post("/forms/new/", _form(world))
    api = api_as("county_office").post(
        "/report-forms",
        {
            "number": 1,
            "name": "x",
            "department": world.orgs["county_dept"].pk,
            "frequency": "daily",
            "minutes": 5,
            "items": [{"label": "y"}],
        },
    )
    assert page.status_code == 422 and api.status_code == 422
    assert api.json()["field"] == "number"
    assert api.json()["detail"] in page.context["form"].errors["number"]


def test_decide_on_the_page(world, login):
    kept = register(world, 1)
    other = register(world, 2, dept="county_market_dept")
    dropped = decide(world, register(world, 3), "drop")
    client = login(world, "county_office")
    url = f"/forms/{other.pk}/decide/"
    refused = client.post(url, {"decision": "merge", "merged_into": other.pk, "version": 0})
    assert refused.status_code == 422
    assert refused.context["decide_form"].errors["merged_into"]
    refused = client.post(url, {"decision": "merge", "merged_into": dropped.pk, "version": 0})
    assert refused.status_code == 422
    assert (
        "无法" in refused.content.decode() or refused.context["decide_form"].errors["merged_into"]
    )
    done = client.post(
        url, {"decision": "merge", "merged_into": kept.pk, "reason": "指标重复", "version": 0}
    )
    assert done.status_code == 302
    other.refresh_from_db()
    assert (other.decision, other.merged_into_id, other.decision_reason) == (
        "merge",
        kept.pk,
        "指标重复",
    )
    # A stale page is refused and shows the form as it is now.
    stale = client.post(url, {"decision": "keep", "version": 0})
    assert stale.status_code == 302
    assert ReportForm.objects.get(pk=other.pk).decision == "merge"
    detail = client.get(f"/forms/{kept.pk}/").content.decode()
    assert f'data-form="{other.pk}"' in detail
    listed = client.get("/forms/").content.decode()
    assert 'data-figure="before">3<' in listed
    assert 'data-figure="after">1<' in listed
    assert 'data-figure="rate">66.67<' in listed
    only_merged = client.get("/forms/", {"decision": "merge"}).content.decode()
    assert f'data-form="{other.pk}"' in only_merged and f'data-form="{kept.pk}"' not in only_merged
    by_department = client.get("/forms/", {"department": world.orgs["county_market_dept"].pk})
    assert f'data-form="{other.pk}"' in by_department.content.decode()
    assert f'data-form="{kept.pk}"' not in by_department.content.decode()
    assert client.get("/forms/", {"frequency": "yearly"}).status_code == 400


def test_who_may_do_what(world, login, client):
    form = register(world, 1)
    leader = login(world, "county_leader")
    assert leader.get(f"/forms/{form.pk}/").status_code == 200
    assert 'data-testid="decide"' not in leader.get(f"/forms/{form.pk}/").content.decode()
    assert leader.post(f"/forms/{form.pk}/decide/", {"decision": "drop"}).status_code == 403
    assert leader.get("/forms/new/").status_code == 403
    assert 'data-nav="reportforms:list"' in leader.get("/forms/").content.decode()
    client.logout()
    sibling = login(world, "sibling_office")
    assert sibling.get(f"/forms/{form.pk}/").status_code == 404
    assert sibling.post(f"/forms/{form.pk}/decide/", {"decision": "drop"}).status_code == 404
    assert 'data-figure="before"' not in sibling.get("/forms/").content.decode()
    client.logout()
    handler = login(world, "market_handler")
    assert handler.get(f"/forms/{form.pk}/").status_code == 404
    assert ReportForm.objects.get(pk=form.pk).decision == "pending"


def test_analysis_page(world, login):
    register(world, 1)
    register(world, 2, dept="county_market_dept", items=ITEMS[:2])
    client = login(world, "county_office")
    page = client.get("/forms/analysis/", {"share": "0.5"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-key="辖区人口"' in text and 'data-figure="overlaps">1<' in text
    assert client.get("/forms/analysis/", {"share": "2"}).status_code == 400
    assert client.get("/forms/analysis/", {"region": world.orgs["sibling"].pk}).status_code == 400


def test_an_office_above_chooses_the_jurisdiction(world, login):
    register(world, 1)
    sibling_form = ReportForm(
        region=world.orgs["sibling"],
        number=1,
        name="邻区表",
        department=world.orgs["sibling_dept"],
        frequency="daily",
        minutes=5,
        created_by=world.users["sibling_office"],
    )
    sibling_form.copy_levels_from(world.orgs["sibling"])
    sibling_form.save()
    client = login(world, "city_office")
    page = client.get("/forms/").content.decode()
    assert f'data-region="{world.orgs["sibling"].pk}"' in page
    assert f'data-form="{sibling_form.pk}"' not in page
    chosen = client.get("/forms/", {"region": world.orgs["sibling"].pk}).content.decode()
    assert f'data-form="{sibling_form.pk}"' in chosen
    assert 'data-figure="before">1<' in chosen
