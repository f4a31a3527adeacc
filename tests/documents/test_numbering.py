"""Numbers run per issuing office, kind and calendar year, are given at issue (so abandoned
drafts leave no gap), and read as 发文字号 with the office's prefix."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ducha.documents.models import Document, Letterhead
from tests.documents.helpers import county, draft, issue, open_docx

pytestmark = pytest.mark.django_db


def _issue_draft(api, document) -> dict:
    response = api.post(f"/documents/{document['id']}/issue")
    assert response.status_code == 200, response.content
    return response.json()


def test_numbers_follow_the_order_of_issue_not_of_drafting(world, api_as):
    api = api_as("county_office")
    first_drafted = draft(api, "bulletin")
    second_drafted = draft(api, "bulletin")
    abandoned = draft(api, "bulletin")
    assert first_drafted["number"] is None and "〔" not in first_drafted["body"]["reference"]
    year = timezone.localdate().year
    assert _issue_draft(api, second_drafted)["reference"] == f"双桥督办通〔{year}〕1号"
    assert _issue_draft(api, first_drafted)["number"] == 2
    third = issue(api, "bulletin")
    assert (third["number"], third["year"], third["serial"]) == (3, year, "第3期")
    assert api.get(f"/documents/{abandoned['id']}").json()["number"] is None


def test_each_kind_and_each_office_is_its_own_series(world, api_as):
    county(world)
    county_api = api_as("county_office")
    year = timezone.localdate().year
    issue(county_api, "bulletin")
    letter = issue(county_api, "rectification_letter", recipient=world.orgs["county_dept"].pk)
    problems = issue(county_api, "problem_list", filters={"state": "assigned"})
    assert letter["reference"] == f"双桥督办函〔{year}〕1号"
    assert (problems["reference"], problems["serial"]) == (f"双桥督办单〔{year}〕1号", "第1批")
    city = issue(api_as("city_office"), "bulletin")
    assert city["reference"] == f"承德督办通〔{year}〕1号"
    # A city office may write in the name of the county's office: the county's series goes on.
    for_county = issue(api_as("city_office"), "bulletin", issuer=world.orgs["county_office"].pk)
    assert for_county["reference"] == f"双桥督办通〔{year}〕2号"


def test_a_new_year_starts_again_at_one(world, api_as, monkeypatch):
    year = timezone.localdate().year
    zone = timezone.get_current_timezone()
    for moment in (datetime(year, 12, 31, 23, 50), datetime(year + 1, 1, 1, 0, 10)):
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment.replace(tzinfo=zone))
        # Signed in at that moment, so that the session is fresh then.
        api = api_as("county_office")
        issued = [issue(api, "bulletin") for _ in range(2)]
        assert [(d["year"], d["number"]) for d in issued] == [(moment.year, 1), (moment.year, 2)]
        assert issued[0]["reference"] == f"双桥督办通〔{moment.year}〕1号"


def test_the_letterhead_names_the_masthead_and_the_prefix(world, api_as):
    Letterhead.objects.create(
        org=world.orgs["county_office"],
        masthead="双桥区督查督办工作领导小组办公室",
        reference_prefix="双督办",
    )
    api = api_as("county_office")
    bulletin = issue(api, "bulletin")
    assert bulletin["reference"] == f"双督办通〔{timezone.localdate().year}〕1号"
    first, second = [p.text for p in open_docx(api, bulletin).paragraphs if p.text][:2]
    assert (first, second) == ("双桥区督查督办工作领导小组办公室", bulletin["reference"])
    # Without a letterhead the prefix comes from the region's name.
    town = issue(api_as("town_office"), "bulletin")
    assert town["reference"].startswith("水泉沟督办通〔")


def test_the_database_refuses_a_second_document_with_one_number(world, api_as):
    bulletin = Document.objects.get(pk=issue(api_as("county_office"), "bulletin")["id"])
    copy = Document(
        kind=bulletin.kind,
        state="issued",
        issuer=bulletin.issuer,
        title="重号",
        as_of=bulletin.as_of,
        number=bulletin.number,
        year=bulletin.year,
        issued_at=bulletin.issued_at,
        issued_by=bulletin.issued_by,
        created_by=bulletin.created_by,
        created_at=bulletin.created_at,
        updated_at=bulletin.updated_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
