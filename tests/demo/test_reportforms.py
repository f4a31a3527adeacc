"""报表精简 in the demo: Chengdu Hi-tech Zone's 35 forms consolidated to 8, every figure
counted from the registered forms and the office's decisions."""

from __future__ import annotations

import pytest

from ducha.demo import reportforms as records_of
from ducha.problems.querysets import rate

pytestmark = pytest.mark.django_db


def test_thirty_five_forms_became_eight(demo, signed_in):
    office = signed_in("chengdu.office")
    figures = office.get("/api/v1/report-forms/burden").json()
    assert figures["region"]["name"] == "成都高新区"
    assert (figures["before"], figures["after"]) == (35, 8)
    assert (figures["dropped"], figures["merged"], figures["shared"]) == (11, 13, 3)
    assert (figures["kept"], figures["pending"]) == (8, 0)
    assert figures["rate"] == rate(35 - 8, 35)
    before, after = figures["per_day_before"], figures["per_day_after"]
    for measure in ("forms", "items", "minutes"):
        assert float(after[measure]) < float(before[measure]), measure
    page = office.get("/forms/").content.decode()
    assert f'data-figure="rate">{rate(27, 35)}<' in page
    assert 'data-figure="before">35<' in page


def test_each_merged_form_overlaps_the_form_it_joined(demo, signed_in):
    office = signed_in("chengdu.office")
    listed = office.get("/api/v1/report-forms", {"page_size": 100}).json()["items"]
    ids = {item["number"]: item["id"] for item in listed}
    pairs = {
        frozenset((pair["first"]["id"], pair["second"]["id"]))
        for pair in office.get("/api/v1/report-forms/analysis").json()["overlaps"]
    }
    merged = [form for form in records_of.FORMS if form.into is not None]
    assert len(merged) == 13
    for form in merged:
        assert frozenset((ids[form.number], ids[form.into])) in pairs, form.name
    kept = office.get(f"/api/v1/report-forms/{ids[1]}").json()
    assert {m["number"] for m in kept["merged"]} == {f.number for f in merged if f.into == 1}


def test_the_analysis_names_the_repeated_and_held_items(demo, signed_in):
    office = signed_in("chengdu.office")
    found = office.get("/api/v1/report-forms/analysis", {"share": "0.5"}).json()
    repeated = {row["key"]: row for row in found["repeated"]}
    for key in ("辖区人口", "返岗人数", "隔离人数", "企业复工数"):
        assert len(repeated[key]["forms"]) > 1, key
    assert len(repeated["返岗人数"]["departments"]) > 2
    assert {row["figure"] for row in found["held"]} >= {"enterprises_resumed", "problems_found"}
    page = office.get("/forms/analysis/?share=0.5").content.decode()
    assert 'data-key="返岗人数"' in page


def test_other_scenes_see_none_of_it(demo, signed_in):
    assert signed_in("huian.office").get("/api/v1/report-forms/burden").json()["before"] == 0
    handler = signed_in("chengdu.handler")  # 市场监管局
    names = {i["name"] for i in handler.get("/api/v1/report-forms").json()["items"]}
    assert names == {"农贸市场运行情况日报表", "商超价格监测日报表"}
