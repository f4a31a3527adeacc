"""The 版记 (GB/T 9704-2012 7.4) of every kind: the copy-to line, the printing office and the
day of issue between rules, at the foot of the last page of the Word file and under the date
on the page; a draft shows where the date will go."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone
from docx.oxml.ns import qn

from ducha.documents.models import Document
from ducha.problems.models import FocusArea
from ducha.problems.sentences import day_label
from tests.api.conftest import field_errors
from tests.documents.helpers import county, draft, imprint_rows, issue, open_docx, patch, referral
from tests.parity.harness import _page_refusal

pytestmark = pytest.mark.django_db

COPY_TO = "区委办公室、区政府办公室, 区纪委监委"
PRINTED = "抄送：区委办公室，区政府办公室，区纪委监委。"

KINDS = {
    "bulletin": lambda w, c: {},
    "problem_list": lambda w, c: {"filters": {"state": "assigned"}},
    "rectification_letter": lambda w, c: {"recipient": w.orgs["county_dept"].pk},
    "prompt_letter": lambda w, c: {"recipient": w.orgs["county_dept"].pk},
    "special_report": lambda w, c: {"focus_area": FocusArea.objects.get(code="screening").pk},
    "urge_notice": lambda w, c: {"problem": c.overdue.pk},
    "notice": lambda w, c: {"texts": {"items": "严禁脱岗"}},
    "referral_letter": lambda w, c: {"referral": referral(w, c.open).pk},
}


def _issued_on(document: dict[str, Any]) -> str:
    issued = timezone.localtime(datetime.fromisoformat(document["issued_at"]))
    return day_label(issued.date(), with_year=True)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_ends_with_its_imprint_in_word_and_on_the_page(world, api_as, kind):
    found = county(world)
    api = api_as("county_office")
    document = issue(api, kind, copy_to=COPY_TO, **KINDS[kind](world, found))
    printed = f"{_issued_on(document)}印发"
    assert document["copy_to"] == "区委办公室，区政府办公室，区纪委监委"
    assert document["body"]["imprint"] == {
        "copy_to": PRINTED,
        "office": "双桥区督查办",
        "date_text": printed,
    }

    word = open_docx(api, document)
    assert imprint_rows(word) == [[PRINTED, PRINTED], ["双桥区督查办", printed]]
    table = word.tables[-1]._tbl
    # At the foot of the type area, after the signature and date.
    position = table.tblPr.find(qn("w:tblpPr"))
    assert position.get(qn("w:tblpYSpec")) == "bottom"
    borders = table.tblPr.find(qn("w:tblBorders"))
    widths = {edge: borders.find(qn(f"w:{edge}")).get(qn("w:sz")) for edge in ("top", "bottom")}
    assert widths == {"top": "8", "bottom": "8"}
    between = borders.find(qn("w:insideH"))
    assert int(between.get(qn("w:sz"))) < 8
    body = list(word.element.body)
    assert body.index(table) > body.index(word.paragraphs[-2]._p)

    page = api.client.get(f"/documents/{document['id']}/").content.decode()
    imprint = page[page.index('data-testid="imprint"') :]
    assert PRINTED in imprint and "双桥区督查办" in imprint and printed in imprint
    assert page.index('data-testid="imprint"') > page.index('class="gw-date"')


def test_without_copy_to_the_imprint_has_the_printing_line_alone(world, api_as):
    county(world)
    api = api_as("county_office")
    document = issue(api, "bulletin")
    assert imprint_rows(open_docx(api, document)) == [
        ["双桥区督查办", f"{_issued_on(document)}印发"]
    ]
    page = api.client.get(f"/documents/{document['id']}/").content.decode()
    assert 'data-testid="copy-to"' not in page


def test_a_draft_shows_its_imprint_and_where_the_date_will_go(world, api_as):
    county(world)
    api = api_as("county_office")
    created = draft(api, "bulletin")
    assert created["body"]["imprint"]["date_text"] == "（印发时填写日期）"
    response = api.client.post(
        f"/documents/{created['id']}/edit/",
        {"title": created["title"], "addressee": "", "copy_to": "区委办公室；区政府办公室。"},
    )
    assert response.status_code == 302
    page = api.client.get(f"/documents/{created['id']}/").content.decode()
    assert "抄送：区委办公室，区政府办公室。" in page
    assert "（印发时填写日期）" in page
    assert Document.objects.get(pk=created["id"]).copy_to == "区委办公室，区政府办公室"


def test_the_copy_to_line_is_drafted_on_the_page(world, api_as):
    county(world)
    api = api_as("county_office")
    response = api.client.post(
        "/documents/new/?kind=bulletin",
        {"kind": "bulletin", "issuer": world.orgs["county_office"].pk, "copy_to": "区委办公室"},
    )
    assert response.status_code == 302
    assert Document.objects.get().copy_to == "区委办公室"


@pytest.mark.parametrize("copy_to", ["单位" * 151, "区委办公室\n区政府办公室", "区委\x07办公室"])
def test_a_bad_copy_to_line_is_refused_naming_the_field(world, api_as, copy_to):
    county(world)
    api = api_as("county_office")
    response = api.post("/documents", {"kind": "bulletin", "copy_to": copy_to})
    assert response.status_code == 422
    assert field_errors(response) == {"copy_to"}
    created = draft(api, "bulletin")
    response = patch(api, f"/documents/{created['id']}", {"copy_to": copy_to})
    assert response.status_code == 422 and field_errors(response) == {"copy_to"}
    page = api.client.post(
        f"/documents/{created['id']}/edit/",
        {"title": created["title"], "addressee": "", "copy_to": copy_to},
    )
    assert page.status_code == 422
    assert set(_page_refusal(page, page.content.decode())[0]) == {"copy_to"}
    assert Document.objects.count() == 1
    assert Document.objects.get().copy_to == ""
