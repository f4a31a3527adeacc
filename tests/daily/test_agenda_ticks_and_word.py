"""The meeting agenda's ticks are kept (an action with its event), and the agenda and the day's
summary download as Word files in the 公文 layout."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from docx import Document
from docx.shared import Mm

from ducha.daily import actions as daily
from ducha.fieldwork.models import AgendaTick, FieldEvent
from tests.daily.test_pages import login_as, text

pytestmark = pytest.mark.django_db


def _tick(client, world, problem, ticked: bool, **headers):
    return client.post(
        "/daily/agenda/tick/",
        {
            "office": world.orgs["county_office"].pk,
            "problem": problem.pk,
            "day": timezone.localdate().isoformat(),
            "ticked": "1" if ticked else "0",
        },
        headers=headers,
    )


def _ticked_on_page(client) -> dict[int, str]:
    html = text(client.get("/daily/agenda/"))
    found = re.findall(
        r'<li class="list-group-item" data-problem="(\d+)".*?data-ticked="(\d)"', html, re.S
    )
    return {int(pk): mark for pk, mark in found}


def test_a_tick_is_kept_with_its_event_and_undone_the_same_way(world, agenda_world, client):
    problem = agenda_world["disputed"]
    office = login_as(client, world, "county_office")
    assert _ticked_on_page(office)[problem.pk] == "0"
    response = _tick(office, world, problem, True)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{problem.pk}")
    # A reload (another person's screen too) shows it ticked.
    assert _ticked_on_page(office)[problem.pk] == "1"
    assert set(_ticked_on_page(office).values()) == {"0", "1"}
    tick = AgendaTick.objects.get()
    assert (tick.problem, tick.ticked_by) == (problem, world.users["county_office"])
    # The same tick again changes nothing and writes nothing.
    _tick(office, world, problem, True)
    events = FieldEvent.objects.filter(action__in=["tick_agenda", "untick_agenda"])
    assert [e.action for e in events] == ["tick_agenda"]
    assert events[0].payload["problem"] == problem.pk
    _tick(office, world, problem, False)
    assert _ticked_on_page(office)[problem.pk] == "0"
    assert not AgendaTick.objects.exists()
    assert [e.action for e in events.all()] == ["tick_agenda", "untick_agenda"]


def test_htmx_gets_the_button_back(world, agenda_world, client):
    problem = agenda_world["disputed"]
    office = login_as(client, world, "county_office")
    response = _tick(office, world, problem, True, **{"HX-Request": "true"})
    assert response.status_code == 200
    assert 'data-ticked="1"' in text(response) and 'name="ticked" value="0"' in text(response)


def test_who_may_tick(world, agenda_world, client):
    problem = agenda_world["disputed"]
    # The leader reads the agenda but does not record the meeting.
    leader = login_as(client, world, "county_leader")
    assert _tick(leader, world, problem, True).status_code == 403
    client.logout()
    sibling = login_as(client, world, "sibling_office")
    assert _tick(sibling, world, problem, True).status_code == 404
    assert not AgendaTick.objects.exists()
    assert not FieldEvent.objects.filter(action="tick_agenda").exists()


def _docx(response) -> Document:
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in response["Content-Disposition"]
    return Document(io.BytesIO(response.content))


def _all_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _gbt9704_page(document) -> None:
    section = document.sections[0]
    assert abs(section.top_margin - Mm(37)) < Mm(1)
    assert abs(section.left_margin - Mm(28)) < Mm(1)
    assert abs(section.page_width - Mm(210)) < Mm(1)


def test_the_agenda_as_word(world, agenda_world, client):
    office = login_as(client, world, "county_office")
    _tick(office, world, agenda_world["disputed"], True)
    document = _docx(office.get("/reports/agenda.docx", {"office": world.orgs["county_office"].pk}))
    _gbt9704_page(document)
    words = _all_text(document)
    assert "双桥区督查办" in words
    assert "交办有异议" in words and "批示未落实" in words
    rows = [(row.cells[1].text, row.cells[-1].text) for t in document.tables for row in t.rows]

    def mark(title: str) -> str:
        # A title may be followed by the item's note.
        return next(box for text, box in rows if text.startswith(title))

    assert mark("交办有异议") == "☑" and mark("两次督办") == "☐"
    assert "已销号" not in words


def test_the_agenda_page_offers_word_and_print(world, agenda_world, client):
    html = text(login_as(client, world, "county_office").get("/daily/agenda/"))
    assert 'data-testid="agenda-docx"' in html and "data-print" in html


def test_the_summary_as_word(world, client):
    office = world.users["county_office"]
    world.problem(title="卡口未登记过往车辆")
    drafted = daily.draft_day(
        timezone.localdate(), acting_user=office, offices=[world.orgs["county_office"]]
    )
    summary = drafted.summaries[0]
    reader = login_as(client, world, "county_office")
    saved = reader.post(
        f"/daily/summaries/{summary.pk}/",
        {"overview": "全区卡口运行平稳", "cases": "高速卡口登记不全", "decisions": "明日复查"},
    )
    assert saved.status_code == 302
    page = text(reader.get(f"/daily/summaries/{summary.pk}/"))
    assert 'data-testid="summary-docx"' in page
    document = _docx(reader.get(f"/reports/summaries/{summary.pk}.docx"))
    _gbt9704_page(document)
    words = _all_text(document)
    assert "双桥区督查办" in words
    assert "全区卡口运行平稳" in words and "明日复查" in words
    client.logout()
    assert (
        login_as(client, world, "sibling_office")
        .get(f"/reports/summaries/{summary.pk}.docx")
        .status_code
        == 404
    )
