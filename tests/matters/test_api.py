"""Matters handed down over /api/v1/: the same rules and refusals as the pages."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ducha.matters.models import MatterBatch, MatterEvent, MatterHandover
from ducha.notices.models import Notification
from ducha.problems.models import FocusArea
from tests.api.conftest import field_errors


def _body(world, offices, issuer="city_office", **extra):
    today = timezone.localdate()
    body = {
        "issuing_office": world.orgs[issuer].pk,
        "offices": [world.orgs[key].pk for key in offices],
        "title": "省视频会议事项清单",
        "source_kind": "meeting",
        "issued_on": today.isoformat(),
        "matters": [
            {"title": "落实卡口值守", "deadline": (today + timedelta(days=7)).isoformat()},
            {
                "title": "开展重点场所排查",
                "deadline": (today + timedelta(days=14)).isoformat(),
                "description": "每周报送进度",
            },
        ],
    }
    body.update(extra)
    return body


def test_hand_down_list_and_detail(world, api_as):
    city = api_as("city_office")
    response = city.post("/matter-batches", _body(world, ["county_office", "sibling_office"]))
    assert response.status_code == 201, response.content
    batch = response.json()
    assert batch["number"] == 1
    assert len(batch["handovers"]) == 4
    assert [line["matters"] for line in batch["progress"]] == [2, 2]
    assert {n.recipient.username for n in Notification.objects.all()} == {
        "county_office",
        "sibling_office",
    }
    county = api_as("county_office").get(f"/matter-batches/{batch['id']}").json()
    assert {h["office"]["id"] for h in county["handovers"]} == {world.orgs["county_office"].pk}
    assert all(h["allowed_actions"] == ["sign"] for h in county["handovers"])
    assert api_as("town_office").get(f"/matter-batches/{batch['id']}").status_code == 404
    assert api_as("other_office").get("/matter-batches").json()["count"] == 0
    assert api_as("province_office").get("/matter-batches").json()["count"] == 1


def test_refusals_name_the_field_and_save_nothing(world, api_as):
    county = api_as("county_office")
    cases = [
        (_body(world, ["sibling_office"], issuer="county_office"), "offices"),
        (_body(world, ["county_office"], issuer="county_office"), "offices"),
        (_body(world, ["county_office"]), "issuing_office"),  # not the caller's office
        (_body(world, [], issuer="county_office"), "offices"),
        (_body(world, ["town_office"], issuer="county_office", matters=[]), "matters"),
        (
            _body(
                world,
                ["town_office"],
                issuer="county_office",
                issued_on=(timezone.localdate() + timedelta(days=1)).isoformat(),
            ),
            "issued_on",
        ),
        (_body(world, ["town_office"], issuer="county_office", title=""), "title"),
        (_body(world, ["town_office"], issuer="county_office", title="长" * 201), "title"),
    ]
    for body, field in cases:
        response = county.post("/matter-batches", body)
        assert response.status_code == 422, (field, response.content)
        assert field in field_errors(response), (field, response.json())
    assert not MatterBatch.objects.exists()
    assert not MatterEvent.objects.exists()
    # The bounds of one batch.
    many = [{"title": f"事项{n}", "deadline": "2099-01-01"} for n in range(51)]
    response = county.post(
        "/matter-batches", _body(world, ["town_office"], "county_office", matters=many)
    )
    assert response.status_code == 422 and field_errors(response) == {"matters"}
    assert (
        api_as("county_handler")
        .post("/matter-batches", _body(world, ["town_office"], "county_office"))
        .status_code
        == 403
    )


def test_the_loop_of_one_matter(world, api_as, batch):
    handover = MatterHandover.objects.get(office=world.orgs["county_office"], matter__position=1)
    county = api_as("county_office")
    path = f"/matter-handovers/{handover.pk}/actions"
    assert county.post(f"{path}/break_down", {"units": [], "focus_area": 1}).status_code == 409
    assert county.post(f"{path}/sign", {}).status_code == 200
    assert county.post(f"{path}/sign", {}).status_code == 409
    focus = FocusArea.objects.get(code="screening").pk
    far = county.post(
        f"{path}/break_down", {"units": [world.orgs["sibling_dept"].pk], "focus_area": focus}
    )
    assert far.status_code == 422 and field_errors(far) == {"units"}
    done = county.post(
        f"{path}/break_down", {"units": [world.orgs["county_dept"].pk], "focus_area": focus}
    )
    assert done.status_code == 200
    line = done.json()["progress"][0]
    assert (line["signed"], line["problems"], line["problems_closed"]) == (1, 1, 0)
    empty = county.post(f"{path}/report", {"text": " "})
    assert empty.status_code == 422 and field_errors(empty) == {"text"}
    no_reason = county.post(f"{path}/report", {"text": "已落实"})
    assert no_reason.status_code == 422 and field_errors(no_reason) == {"reason"}
    assert county.post(f"{path}/report", {"text": "已落实", "reason": "整改中"}).status_code == 200
    assert county.post(f"{path}/urge", {}).status_code == 403
    assert county.post(f"{path}/accept", {}).status_code == 403
    assert api_as("city_office").post(f"{path}/urge", {}).status_code == 409  # reported
    assert api_as("city_office").post(f"{path}/accept", {"comment": "同意"}).status_code == 200
    assert api_as("city_office").post(f"{path}/accept", {}).status_code == 409
    assert api_as("sibling_office").post(f"{path}/sign", {}).status_code == 404
    actions = list(MatterEvent.objects.filter(handover=handover).values_list("action", flat=True))
    assert actions == ["sign", "break_down", "report", "accept"]


def test_urge_from_above_the_issuer(world, api_as, batch):
    handover = MatterHandover.objects.get(office=world.orgs["sibling_office"], matter__position=2)
    response = api_as("province_office").post(
        f"/matter-handovers/{handover.pk}/actions/urge", {"comment": "省里过问"}
    )
    assert response.status_code == 200
    assert Notification.objects.get(kind="matter_urged").recipient == world.users["sibling_office"]


def test_an_if_match_that_is_no_longer_current_is_refused(world, api_as, batch):
    handover = MatterHandover.objects.get(office=world.orgs["county_office"], matter__position=1)
    county = api_as("county_office")
    read = county.get(f"/matter-batches/{batch.pk}").json()
    tag = next(h["etag"] for h in read["handovers"] if h["id"] == handover.pk)
    path = f"/matter-handovers/{handover.pk}/actions"
    assert county.post(f"{path}/sign", {}, headers={"If-Match": tag}).status_code == 200
    # The tag read before the signing no longer holds: nothing is reported.
    stale = county.post(f"{path}/report", {"text": "已落实"}, headers={"If-Match": tag})
    assert stale.status_code == 412
    handover.refresh_from_db()
    assert handover.state == "signed"
    assert MatterEvent.objects.filter(handover=handover, action="report").count() == 0


def test_new_notifications_are_handed_on_after_commit(
    world, api_as, monkeypatch, django_capture_on_commit_callbacks
):
    from ducha.notices import hooks

    handed: list[list[int]] = []
    monkeypatch.setattr(hooks, "AFTER_NOTIFIED", [lambda ids: handed.append(list(ids))])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("city_office").post("/matter-batches", _body(world, ["county_office"]))
    assert response.status_code == 201
    assert handed == [[Notification.objects.get(kind="matter_handed_down").pk]]
