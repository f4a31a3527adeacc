"""Matters handed down in the demo: Hui'an receives and reports back, Hebei hands down."""

from __future__ import annotations

import pytest

from ducha.demo import handed_down, hebei
from ducha.matters.models import MatterBatch, MatterHandover, MatterProblem

pytestmark = pytest.mark.django_db


def test_huian_receives_every_batch_of_the_records_and_reports_back(demo, signed_in):
    body = signed_in("huian.office").get("/api/v1/matter-batches").json()
    assert body["count"] == len(handed_down.HUIAN_BATCHES)
    issuers = {item["issuing_office"]["name"] for item in body["items"]}
    assert issuers == {"福建省疫情防控督查办", "泉州市疫情防控督查办"}
    states = set(
        MatterHandover.objects.filter(office__name="惠安县纪委监委党风政风监督室").values_list(
            "state", flat=True
        )
    )
    assert states == {"handed_down", "signed", "in_progress", "reported", "accepted"}
    # The problems made of matters are the units' own, in the loop like any other.
    handler = signed_in("huian.handler")
    problem_ids = set(MatterProblem.objects.values_list("problem_id", flat=True))
    listed = {item["id"] for item in handler.get("/api/v1/problems?page_size=200").json()["items"]}
    assert problem_ids & listed == set()  # 卫健局 was given none of them
    isolation = signed_in("huian.isolation").get("/api/v1/problems?page_size=200").json()
    own = {item["id"] for item in isolation["items"]} & problem_ids
    assert [item["state"] for item in isolation["items"] if item["id"] in own] == ["rectified"]
    # Quanzhou follows its own batches and the province's to its county (三级联动).
    quanzhou = signed_in("quanzhou.office").get("/api/v1/matter-batches").json()
    assert quanzhou["count"] == len(handed_down.HUIAN_BATCHES)


def test_hebei_hands_one_batch_to_every_city_office(demo, signed_in):
    batch = MatterBatch.objects.get(issuing_office__name="河北省大督查办")
    offices = set(batch.matters.values_list("handovers__office__name", flat=True))
    assert offices == {f"{name}大督查办" for _key, name, _code, _staff in hebei.CITIES}
    seen = signed_in("chengde.office").get(f"/api/v1/matter-batches/{batch.pk}").json()
    assert {h["office"]["name"] for h in seen["handovers"]} == {"承德市大督查办"}
    assert {h["state"] for h in seen["handovers"]} == {"signed"}
    assert signed_in("huian.office").get(f"/api/v1/matter-batches/{batch.pk}").status_code == 404
