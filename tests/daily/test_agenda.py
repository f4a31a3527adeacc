"""The meeting agenda: what the office's meeting must decide, from the data, as it stands."""

from __future__ import annotations

import re

import pytest

from ducha.problems import actions as loop
from tests.daily.test_pages import login_as, text

pytestmark = pytest.mark.django_db


def _sections(body) -> dict[str, list[int]]:
    return {s["reason"]: [item["problem"]["id"] for item in s["items"]] for s in body["sections"]}


def test_the_agenda_lists_each_kind_of_item_once_in_meeting_order(world, agenda_world, api_as):
    p = agenda_world
    body = (
        api_as("county_office")
        .get("/daily/agenda", {"office": world.orgs["county_office"].pk})
        .json()
    )
    assert [s["reason"] for s in body["sections"]] == [
        "instruction",
        "dispute",
        "escalated",
        "common",
        "overdue",
    ]
    sections = _sections(body)
    assert sections["instruction"] == [p["instructed"].pk, p["overdue_and_instructed"].pk]
    assert sections["dispute"] == [p["disputed"].pk]
    assert set(sections["escalated"]) == {p["reported"].pk, p["urged_twice"].pk}
    # Without a lasting rule first.
    assert sections["common"] == [p["common"].pk, p["common_ruled"].pk]
    # Listed once: the overdue problem with an instruction stays under the instruction.
    assert sections["overdue"] == [p["overdue"].pk]
    totals = {s["reason"]: s["total"] for s in body["sections"]}
    assert totals["overdue"] == 2
    assert {s["reason"]: s["elsewhere"] for s in body["sections"]}["overdue"] == 1
    items = {item["problem"]["id"]: item for s in body["sections"] for item in s["items"]}
    assert items[p["instructed"].pk]["note"] == "三日内整改到位并报告"
    assert items[p["disputed"].pk]["note"] == "不属于本单位职责"
    assert items[p["overdue_and_instructed"].pk]["also"] == ["overdue"]
    everything = {pk for ids in sections.values() for pk in ids}
    for absent in ("answered", "urged_once", "closed", "sibling"):
        assert p[absent].pk not in everything, absent


def test_an_item_leaves_the_agenda_once_it_is_dealt_with(world, agenda_world, api_as):
    p = agenda_world
    loop.do_decide_dispute(
        p["disputed"], acting_user=world.users["county_office"], decision="uphold", comment="维持"
    )
    loop.do_urge(p["instructed"], acting_user=world.users["county_office"])
    body = api_as("county_office").get("/daily/agenda").json()
    sections = _sections(body)
    assert p["disputed"].pk not in sections["dispute"]
    # A reminder is no answer to an instruction; the unit's report is.
    assert p["instructed"].pk in sections["instruction"]
    loop.do_submit_rectification(
        p["instructed"], acting_user=world.users["county_handler"], text="已整改并报告"
    )
    sections = _sections(api_as("county_office").get("/daily/agenda").json())
    assert p["instructed"].pk not in sections["instruction"]


def test_the_agenda_page_is_a_checklist_with_the_way_to_record_the_meeting(
    world, agenda_world, client
):
    office = login_as(client, world, "county_office")
    page = office.get("/daily/agenda/")
    assert page.status_code == 200
    html = text(page)
    assert html.count('data-testid="agenda-check"') == 8
    link = re.search(r'href="(/field/meetings/new/\?[^"]+)" data-testid="record-meeting"', html)
    assert link
    # The meeting form opens with the agenda's office and a title filled in.
    form = text(office.get(link.group(1).replace("&amp;", "&")))
    assert f'<option value="{world.orgs["county_office"].pk}" selected>' in form
    assert 'value="督查组会商会（日例会）"' in form
    assert "三日内整改到位并报告" in html
    overdue = html[html.index('data-section="overdue"') :]
    assert 'data-testid="elsewhere"' in overdue.split("</section>")[0]
    assert 'id="agenda-text"' in html


def test_who_reads_the_agenda(world, agenda_world, client, api_as):
    office_id = world.orgs["county_office"].pk
    for key, status in [
        ("county_office", 200),
        ("county_leader", 200),
        ("city_office", 200),
        ("province_leader", 200),
        ("town_office", 404),
        ("sibling_office", 404),
        ("county_team_member", 404),
        ("county_handler", 404),
        ("outsider", 404),
    ]:
        assert api_as(key).get("/daily/agenda", {"office": office_id}).status_code == status, key
    client.logout()
    team = login_as(client, world, "county_team_member")
    assert team.get("/daily/agenda/").status_code == 403
    assert team.get(f"/daily/agenda/?office={office_id}").status_code == 403
