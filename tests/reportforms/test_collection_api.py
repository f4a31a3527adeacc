"""一表通 over /api/v1/: a village fills the merged form once; each department reads its own
columns; bad values are refused naming the item; another county neither sees nor fills."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ducha.reportforms.models import FormReturn, ReportFormEvent
from tests.api.conftest import field_errors
from tests.reportforms.collection_world import answers, make_form


def _fill(api, form, **values):
    return api.post(f"/report-forms/{form.pk}/returns", {"values": answers(**values)})


def test_the_collection_holds_both_forms_items_once_with_the_strictest_bounds(merged, api_as):
    health = merged["health"]
    seen = api_as("village_handler").get(f"/report-forms/{health.pk}/collection")
    assert seen.status_code == 200, seen.content
    body = seen.json()
    assert [item["key"] for item in body["items"]] == [
        "returnees",
        "fever",
        "note",
        "market_open",
        "market_state",
        "checked_on",
    ]
    returnees = body["items"][0]
    # 卫健局's definition (the lower number) with 市场监管局's maximum.
    assert returnees["label"] == "返乡人数"
    assert (returnees["min_value"], returnees["max_value"]) == ("0.00", "5000.00")
    assert body["period"] == timezone.localdate().isoformat()
    assert body["returns"] == []


def test_a_village_fills_once_and_each_department_reads_its_own_columns(merged, api_as):
    health, market = merged["health"], merged["market"]
    village = api_as("village_handler")
    filled = _fill(village, health)
    assert filled.status_code == 201, filled.content
    assert filled.json()["values"]["returnees"] == 12
    assert (
        _fill(api_as("village2_handler"), health, returnees=3, market_open=False).status_code == 201
    )
    assert ReportFormEvent.objects.filter(action="fill", form=health).count() == 2

    health_view = api_as("county_handler").get(f"/report-forms/{health.pk}/view")
    assert health_view.status_code == 200, health_view.content
    view = health_view.json()
    assert view["title"] == "返乡人员健康监测日报表"
    assert [c["label"] for c in view["columns"]] == ["返乡人数", "发热人数", "备注"]
    assert view["header"][2:] == [c["header"] for c in view["columns"]]
    assert "人" in view["header"][2]
    rows = {row["region"]["name"]: row["values"] for row in view["rows"]}
    assert rows == {"石门村": [12, 1, "已全部登记"], "大庙村": [3, 1, "已全部登记"]}

    market_view = api_as("market_handler").get(f"/report-forms/{market.pk}/view").json()
    assert [c["label"] for c in market_view["columns"]] == [
        "市场是否开放",
        "返乡人员",
        "市场状态",
        "排查日期",
    ]
    rows = {row["region"]["name"]: row["values"] for row in market_view["rows"]}
    assert rows["石门村"] == [True, 12, "正常", "2026-03-01"]
    assert rows["大庙村"][0] is False
    # Each department reads its own form only (another's is not even seen); the office and
    # the city read both.
    assert api_as("market_handler").get(f"/report-forms/{health.pk}/view").status_code == 404
    assert api_as("county_handler").get(f"/report-forms/{market.pk}/view").status_code == 404
    assert api_as("village_handler").get(f"/report-forms/{health.pk}/view").status_code == 403
    for reader in ("county_office", "county_leader", "city_office"):
        read = api_as(reader).get(f"/report-forms/{market.pk}/view")
        assert read.status_code == 200 and len(read.json()["rows"]) == 2, reader
    today = timezone.localdate()
    past = api_as("county_office").get(
        f"/report-forms/{health.pk}/view", {"period": (today - timedelta(days=1)).isoformat()}
    )
    assert past.json()["rows"] == []


def test_filling_the_period_again_updates_the_same_return(merged, api_as):
    health = merged["health"]
    village = api_as("village_handler")
    first = _fill(village, health).json()
    again = _fill(village, health, returnees=14)
    assert again.status_code == 200, again.content
    assert (again.json()["id"], again.json()["version"]) == (first["id"], 1)
    listed = village.get(f"/report-forms/{health.pk}/returns").json()
    assert listed["count"] == 1
    [current] = listed["items"]
    assert village.get(f"/report-form-returns/{current['id']}").json()["etag"] == current["etag"]
    url = f"/report-form-returns/{current['id']}/actions/refill"
    refilled = village.post(
        url, {"values": answers(returnees=15)}, headers={"If-Match": current["etag"]}
    )
    assert refilled.status_code == 200, refilled.content
    assert refilled.json()["values"]["returnees"] == 15
    stale = village.post(
        url, {"values": answers(returnees=16)}, headers={"If-Match": current["etag"]}
    )
    assert stale.status_code == 412
    assert FormReturn.objects.get().values["returnees"] == 15
    assert ReportFormEvent.objects.filter(form_return_id=first["id"]).count() == 3
    # Another committee cannot refill it, a department neither; the office reads it.
    assert api_as("village2_handler").post(url, {"values": answers()}).status_code == 404
    assert api_as("county_office").post(url, {"values": answers()}).status_code == 403
    assert api_as("county_office").get(f"/report-forms/{health.pk}/returns").json()["count"] == 1
    assert api_as("county_office").get(f"/report-form-returns/{first['id']}").status_code == 200
    assert api_as("county_handler").get(f"/report-form-returns/{first['id']}").status_code == 404
    assert api_as("sibling_office").get(f"/report-form-returns/{first['id']}").status_code == 404
    assert api_as("county_handler").get(f"/report-forms/{health.pk}/returns").json()["count"] == 0


def test_bad_values_are_refused_naming_the_item_and_nothing_is_saved(merged, api_as):
    health = merged["health"]
    village = api_as("village_handler")
    cases = [
        ({"returnees": -1}, "returnees", "返乡人数"),
        ({"returnees": 6000}, "returnees", "返乡人数"),
        ({"returnees": 1.5}, "returnees", "返乡人数"),
        ({"returnees": "十二"}, "returnees", "返乡人数"),
        ({"fever": None}, "fever", "发热人数"),
        ({"market_state": "关闭"}, "market_state", "市场状态"),
        ({"market_open": "maybe"}, "market_open", "市场是否开放"),
        ({"note": "很" * 51}, "note", "备注"),
        ({"checked_on": "2026-13-01"}, "checked_on", "排查日期"),
    ]
    for values, key, label in cases:
        refused = _fill(village, health, **values)
        assert refused.status_code == 422, (values, refused.content)
        assert field_errors(refused) == {f"values.{key}"}, (values, refused.content)
        assert label in refused.json()["detail"]
    unknown = village.post(
        f"/report-forms/{health.pk}/returns", {"values": {**answers(), "fee": 1}}
    )
    assert unknown.status_code == 422 and field_errors(unknown) == {"values"}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = village.post(
        f"/report-forms/{health.pk}/returns", {"values": answers(), "period": tomorrow}
    )
    assert future.status_code == 422 and field_errors(future) == {"period"}
    assert not FormReturn.objects.exists()
    assert not ReportFormEvent.objects.exists()


def test_only_the_committees_below_fill_and_another_county_sees_nothing(merged, api_as):
    health, market = merged["health"], merged["market"]
    outsider = api_as("sibling_village_handler")
    assert _fill(outsider, health).status_code == 404
    assert outsider.get(f"/report-forms/{health.pk}/collection").status_code == 404
    assert api_as("sibling_office").get(f"/report-forms/{health.pk}/view").status_code == 404
    assert api_as("sibling_office").get(f"/report-forms/{health.pk}/returns").status_code == 404
    # The office reads but does not fill; a department neither; a merged form is not filled.
    assert _fill(api_as("county_office"), health).status_code == 403
    assert _fill(api_as("county_handler"), health).status_code == 403
    assert _fill(api_as("village_handler"), market).status_code == 404
    assert not FormReturn.objects.exists()
    _fill(api_as("village_handler"), health)
    assert api_as("sibling_office").get(f"/report-forms/{health.pk}/returns").status_code == 404
    assert api_as("village2_handler").get(f"/report-forms/{health.pk}/returns").json()["count"] == 0


def test_where_merged_forms_disagree_the_strictest_definition_holds(merged, world, api_as):
    health = merged["health"]
    make_form(
        world,
        number=4,
        name="集贸市场日报表",
        department="county_market_dept",
        decision="merge",
        merged_into=health,
        items=[
            {
                "label": "市场状况",
                "key": "market_state",
                "kind": "choice",
                "choices": ["限流", "正常"],
            },
            {"label": "情况说明", "key": "note", "kind": "text", "max_length": 20},
            {"label": "发热", "key": "fever", "kind": "integer", "min_value": Decimal(1)},
        ],
    )
    items = api_as("village_handler").get(f"/report-forms/{health.pk}/collection").json()["items"]
    by_key = {item["key"]: item for item in items}
    assert len(items) == 6
    # The lowest-numbered form's label and order; every form's bounds at once.
    assert by_key["market_state"]["label"] == "市场状态"
    assert by_key["market_state"]["choices"] == ["正常"]
    assert (by_key["note"]["required"], by_key["note"]["max_length"]) == (True, 20)
    assert by_key["fever"]["min_value"] == "1.00"
    refused = _fill(api_as("village_handler"), health, note=None)
    assert refused.status_code == 422 and field_errors(refused) == {"values.note"}
    assert "备注" in refused.json()["detail"]
    assert _fill(api_as("village_handler"), health, note="已登记").status_code == 201
