"""The document pages as an office uses them: draft, write, refresh, issue, download; the list
with its filters; the documents that name a problem; the same pages for readers."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from ducha.documents.models import Document
from ducha.problems.models import FocusArea
from tests.documents.helpers import county, issue

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_tab_shows_for_every_role_that_has_one(world, login):
    for persona in ("county_office", "county_leader", "county_handler"):
        assert 'data-nav="documents:list"' in _html(login(world, persona).get("/documents/"))


def test_an_office_drafts_writes_refreshes_and_issues_a_bulletin(world, login):
    found = county(world)
    client = login(world, "county_office")
    kinds = _html(client.get("/documents/new/"))
    assert 'data-kind="bulletin"' in kinds and 'data-kind="special_report"' in kinds
    assert 'name="as_of"' in _html(client.get("/documents/new/?kind=bulletin"))
    # A link may choose the region already (the dashboard of the town does).
    town = client.get("/documents/new/", {"kind": "bulletin", "region": world.orgs["town"].pk})
    assert town.context["form"]["region"].value() == str(world.orgs["town"].pk)
    created = client.post(
        "/documents/new/?kind=bulletin",
        {"kind": "bulletin", "issuer": world.orgs["county_office"].pk},
    )
    assert created.status_code == 302
    document = Document.objects.get()
    page = _html(client.get(created["Location"]))
    assert 'data-testid="edit-form"' in page and 'data-testid="preview"' in page
    assert re.search(r'data-testid="issue-form"\s+data-confirm="[^"]+"', page)
    assert str(found.overdue.title) in page

    saved = client.post(
        f"/documents/{document.pk}/edit/",
        {
            "title": "关于近期督查发现问题整改情况的通报",
            "addressee": "各街道、各部门",
            "text_praise": "市场监管局整改迅速，值得肯定。",
        },
    )
    assert saved.status_code == 302
    page = _html(client.get(f"/documents/{document.pk}/"))
    assert "市场监管局整改迅速，值得肯定。" in page and "各街道、各部门" in page
    assert Document.objects.get().data["found"] == 7

    world.problem(title="起草之后发现的问题")
    refreshed = client.post(
        f"/documents/{document.pk}/edit/",
        {"title": "关于近期督查发现问题整改情况的通报", "addressee": "", "refresh": "1"},
    )
    assert refreshed.status_code == 302
    assert Document.objects.get().data["found"] == 8

    issued = client.post(f"/documents/{document.pk}/issue/")
    assert issued.status_code == 302
    document.refresh_from_db()
    page = _html(client.get(f"/documents/{document.pk}/"))
    assert document.reference in page and 'data-testid="downloads"' in page
    assert 'data-testid="edit-form"' not in page
    download = client.get(f"/documents/{document.pk}/files/docx/")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in download["Content-Disposition"]
    assert client.get(f"/documents/{document.pk}/files/xlsx/").status_code == 404


def test_a_problem_list_is_drafted_from_the_problem_list_filters(world, login):
    found = county(world)
    client = login(world, "county_office")
    form = _html(client.get("/documents/new/?kind=problem_list"))
    for name in ("region", "state", "light", "responsible_org", "not_listed"):
        assert f'name="{name}"' in form
    created = client.post(
        "/documents/new/?kind=problem_list",
        {
            "kind": "problem_list",
            "issuer": world.orgs["county_office"].pk,
            "state": "assigned",
            "overdue": "1",
        },
    )
    assert created.status_code == 302
    assert Document.objects.get().data["problem_ids"] == [found.overdue.pk]


def test_a_special_report_can_start_from_a_problem(world, login):
    found = county(world)
    client = login(world, "county_office")
    form = client.get(f"/documents/new/?kind=special_report&problem={found.late.pk}")
    assert form.context["form"]["problem"].initial == found.late.pk
    created = client.post(
        "/documents/new/?kind=special_report",
        {
            "kind": "special_report",
            "issuer": world.orgs["county_office"].pk,
            "focus_area": FocusArea.objects.get(code="screening").pk,
        },
    )
    assert created.status_code == 302
    assert Document.objects.get().data["focus_area"] == "排查"


def test_the_list_filters_by_kind_year_and_state(world, api_as, login):
    county(world)
    api = api_as("county_office")
    bulletin = issue(api, "bulletin")
    letter = issue(api, "rectification_letter", recipient=world.orgs["county_dept"].pk)
    draft = api.post("/documents", {"kind": "bulletin"}).json()
    client = login(world, "county_office")

    def listed(**params) -> set[int]:
        page = _html(client.get("/documents/", params))
        return {int(pk) for pk in re.findall(r'data-document="(\d+)"', page)}

    assert listed() == {bulletin["id"], letter["id"], draft["id"]}
    assert listed(kind="bulletin") == {bulletin["id"], draft["id"]}
    assert listed(state="draft") == {draft["id"]}
    assert listed(year=timezone.localdate().year) == {bulletin["id"], letter["id"]}
    assert listed(year=2001) == set()
    assert client.get("/documents/", {"year": "abc"}).status_code == 400
    api_rows = api.get("/documents", {"kind": "rectification_letter"}).json()["items"]
    assert [row["id"] for row in api_rows] == [letter["id"]]


def test_documents_that_name_a_problem(world, api_as, login):
    found = county(world)
    api = api_as("county_office")
    bulletin = issue(api, "bulletin")
    letter = issue(api, "rectification_letter", recipient=world.orgs["county_dept"].pk)
    issue(api, "prompt_letter", recipient=world.orgs["town_office"].pk)
    client = login(world, "county_office")
    page = _html(client.get(f"/documents/{bulletin['id']}/"))
    assert f"/documents/?problem={found.overdue.pk}" in page
    naming = _html(client.get("/documents/", {"problem": found.overdue.pk}))
    assert 'data-testid="problem-filter"' in naming and found.overdue.title in naming
    assert set(map(int, re.findall(r'data-document="(\d+)"', naming))) == {
        bulletin["id"],
        letter["id"],
    }
    api_ids = {
        row["id"] for row in api.get("/documents", {"problem": found.overdue.pk}).json()["items"]
    }
    assert api_ids == {bulletin["id"], letter["id"]}
    # A problem the user cannot see is not named on the page.
    sibling = login(world, "sibling_office").get("/documents/", {"problem": found.overdue.pk})
    assert sibling.status_code == 404


def test_readers_see_issued_documents_without_the_office_tools(world, api_as, login):
    county(world)
    bulletin = issue(api_as("county_office"), "bulletin")
    client = login(world, "county_leader")
    listing = _html(client.get("/documents/"))
    assert 'data-testid="new-document"' not in listing
    page = _html(client.get(f"/documents/{bulletin['id']}/"))
    assert 'data-testid="downloads"' in page and 'data-testid="issue-form"' not in page


def test_pages_carry_no_inline_script_or_style(world, api_as, login):
    county(world)
    bulletin = issue(api_as("county_office"), "bulletin")
    client = login(world, "county_office")
    for path in (
        "/documents/",
        "/documents/new/",
        "/documents/new/?kind=problem_list",
        f"/documents/{bulletin['id']}/",
    ):
        html = _html(client.get(path))
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\sstyle=", html), path
        assert "<style" not in html, path
