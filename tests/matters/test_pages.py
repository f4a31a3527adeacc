"""Matters handed down, through the pages as each office would use them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ducha.matters.choices import HandoverState
from ducha.matters.models import MatterBatch, MatterEvent, MatterHandover, MatterProblem
from ducha.notices.models import Notification
from ducha.problems.models import FocusArea, Problem


def _hand_down_form(world, offices, **extra):
    today = timezone.localdate()
    data = {
        "issuing_office": world.orgs["city_office"].pk,
        "title": "泉州市视频会议事项和责任清单",
        "source_kind": "meeting",
        "source_text": "市疫情防控视频会议",
        "issued_on": today.isoformat(),
        "offices": [world.orgs[key].pk for key in offices],
        "matters": f"{(today + timedelta(days=7)).isoformat()} 落实卡口值守 | 每日登记\n\n"
        f"{(today + timedelta(days=14)).isoformat()} 开展重点场所排查",
    }
    data.update(extra)
    return data


def test_city_office_hands_down_and_counties_are_told(world, login):
    client = login(world, "city_office")
    response = client.post("/matters/new/", _hand_down_form(world, ["county_office"]))
    batch = MatterBatch.objects.get()
    assert response.status_code == 302
    assert response.url == f"/matters/{batch.pk}/"
    assert (batch.number, batch.year) == (1, timezone.localdate().year)
    assert list(batch.matters.values_list("title", flat=True)) == [
        "落实卡口值守",
        "开展重点场所排查",
    ]
    assert MatterHandover.objects.filter(office=world.orgs["county_office"]).count() == 2
    told = Notification.objects.get(kind="matter_handed_down")
    assert told.recipient == world.users["county_office"]
    assert told.url == f"/matters/{batch.pk}/"
    # The next batch of the same office and year is numbered on.
    client.post("/matters/new/", _hand_down_form(world, ["sibling_office"]))
    assert sorted(MatterBatch.objects.values_list("number", flat=True)) == [1, 2]


def test_an_office_out_of_scope_is_refused_on_its_field_and_nothing_is_saved(world, login):
    client = login(world, "county_office")
    data = _hand_down_form(world, ["sibling_office"], issuing_office=world.orgs["county_office"].pk)
    response = client.post("/matters/new/", data)
    assert response.status_code == 400
    assert 'data-field="offices"' in response.content.decode()
    assert 'data-testid="field-error"' in response.content.decode()
    assert not MatterBatch.objects.exists()
    assert not MatterEvent.objects.exists()


def test_bad_matter_lines_and_deadlines_are_refused(world, login):
    client = login(world, "city_office")
    today = timezone.localdate()
    for matters in ("明天 落实卡口值守", f"{today.isoformat()} 当天截止", ""):
        response = client.post(
            "/matters/new/", _hand_down_form(world, ["county_office"], matters=matters)
        )
        assert response.status_code == 400, matters
    assert not MatterBatch.objects.exists()


def test_units_and_leaders_cannot_hand_down(world, login):
    for key in ("county_handler", "county_leader", "outsider"):
        response = login(world, key).get("/matters/new/")
        assert response.status_code == 403, key


def test_progress_per_office_and_who_sees_what(world, login, batch):
    city = login(world, "city_office").get("/matters/").content.decode()
    assert "双桥区督查办" in city and "双滦区督查办" in city
    county = login(world, "county_office").get("/matters/").content.decode()
    assert "双桥区督查办" in county and "双滦区督查办" not in county
    for key in ("town_office", "other_office", "county_handler", "outsider"):
        page = login(world, key).get("/matters/")
        assert batch.title not in page.content.decode(), key
        assert login(world, key).get(f"/matters/{batch.pk}/").status_code == 404, key
    detail = login(world, "province_office").get(f"/matters/{batch.pk}/")
    assert detail.status_code == 200


def test_the_county_signs_breaks_down_and_reports(world, login, batch):
    client = login(world, "county_office")
    handover = MatterHandover.objects.get(office=world.orgs["county_office"], matter__position=1)
    assert client.post(f"/matters/handovers/{handover.pk}/sign/").status_code == 302
    handover.refresh_from_db()
    assert handover.state == HandoverState.SIGNED
    assert handover.signed_by == world.users["county_office"]

    focus = FocusArea.objects.get(code="screening")
    response = client.post(
        f"/matters/handovers/{handover.pk}/break_down/",
        {
            "units": [world.orgs["county_dept"].pk, world.orgs["county_market_dept"].pk],
            "focus_area": focus.pk,
        },
    )
    assert response.status_code == 302
    problems = Problem.objects.filter(pk__in=MatterProblem.objects.values("problem"))
    assert {p.responsible_org_id for p in problems} == {
        world.orgs["county_dept"].pk,
        world.orgs["county_market_dept"].pk,
    }
    assert {p.state for p in problems} == {"assigned"}
    # The unit works its problem the usual way and sees it in its own list.
    handler = login(world, "county_handler")
    assert problems[0].title in handler.get("/problems/").content.decode()

    # Reporting while problems are open needs a reason, named on its field.
    client = login(world, "county_office")
    response = client.post(f"/matters/handovers/{handover.pk}/report/", {"text": "已部署落实"})
    assert response.status_code == 400
    assert 'data-field="reason"' in response.content.decode()
    handover.refresh_from_db()
    assert handover.state == HandoverState.IN_PROGRESS
    response = client.post(
        f"/matters/handovers/{handover.pk}/report/",
        {"text": "已部署落实", "reason": "整改进行中，按周报送"},
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.state == HandoverState.REPORTED
    told = Notification.objects.get(kind="matter_reported")
    assert told.recipient == world.users["city_office"]

    page = login(world, "city_office").get("/matters/").content.decode()
    row = page.split(f'data-office="{world.orgs["county_office"].pk}"')[1].split("</tr>")[0]
    cells = [cell.split(">")[-1] for cell in row.split("</td>")[:-1]]
    assert cells[1:] == ["2", "1", "1", "0", "0/2"]

    # The city accepts the report (核); the county cannot accept its own.
    county = login(world, "county_office")
    assert county.post(f"/matters/handovers/{handover.pk}/accept/").status_code == 403
    city = login(world, "city_office")
    assert city.post(f"/matters/handovers/{handover.pk}/accept/").status_code == 302
    handover.refresh_from_db()
    assert handover.state == HandoverState.ACCEPTED
    page = city.get("/matters/").content.decode()
    row = page.split(f'data-office="{world.orgs["county_office"].pk}"')[1].split("</tr>")[0]
    cells = [cell.split(">")[-1] for cell in row.split("</td>")[:-1]]
    assert cells[1:] == ["2", "1", "1", "1", "0/2"]


def test_a_unit_cannot_be_far_away(world, login, batch):
    handover = MatterHandover.objects.get(office=world.orgs["county_office"], matter__position=1)
    client = login(world, "county_office")
    client.post(f"/matters/handovers/{handover.pk}/sign/")
    focus = FocusArea.objects.get(code="screening")
    response = client.post(
        f"/matters/handovers/{handover.pk}/break_down/",
        {"units": [world.orgs["sibling_dept"].pk], "focus_area": focus.pk},
    )
    assert response.status_code == 400
    assert not Problem.objects.exists()


def test_only_the_receiving_office_signs_and_only_the_issuer_urges(world, login, batch):
    county = MatterHandover.objects.get(office=world.orgs["county_office"], matter__position=1)
    assert (
        login(world, "sibling_office").post(f"/matters/handovers/{county.pk}/sign/").status_code
        == 404
    )
    assert (
        login(world, "city_office").post(f"/matters/handovers/{county.pk}/sign/").status_code == 403
    )
    assert (
        login(world, "county_office").post(f"/matters/handovers/{county.pk}/urge/").status_code
        == 403
    )
    response = login(world, "city_office").post(
        f"/matters/handovers/{county.pk}/urge/", {"comment": "请加快进度"}
    )
    assert response.status_code == 302
    county.refresh_from_db()
    assert county.urged_count == 1
    told = Notification.objects.get(kind="matter_urged")
    assert (told.recipient, told.body) == (world.users["county_office"], "请加快进度")
    assert (
        login(world, "county_office").get(f"/matters/handovers/{county.pk}/nonsense/").status_code
        == 404
    )


def test_the_nav_shows_matters_to_offices_only(world, login):
    assert (
        'data-nav="matters:list"'
        in login(world, "county_office").get("/problems/").content.decode()
    )
    assert (
        'data-nav="matters:list"'
        not in login(world, "county_handler").get("/problems/").content.decode()
    )


def test_a_form_opened_before_another_action_changes_nothing(world, login, batch):
    handover = MatterHandover.objects.get(office=world.orgs["county_office"], matter__position=1)
    client = login(world, "county_office")
    form = client.get(f"/matters/handovers/{handover.pk}/sign/").content.decode()
    assert f'name="version" value="{handover.version}"' in form
    client.post(f"/matters/handovers/{handover.pk}/sign/", {"version": handover.version})
    # A city office's urge form read before the signing is refused as stale.
    city = login(world, "city_office")
    response = city.post(
        f"/matters/handovers/{handover.pk}/urge/", {"version": 0, "comment": "请加快"}
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.urged_count == 0
