"""Every export and download of personal or disciplinary data leaves an EXPORT or DOWNLOAD
event: who, from where, what (ids, filters, row count)."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ducha.accounts.choices import SecurityEventKind as Kind
from ducha.accounts.models import ApiToken
from ducha.fieldwork.models import Evidence
from ducha.ledger.actions import do_upload_import
from ducha.policies.actions import do_attach_policy_document
from tests.audit.conftest import ADDRESS, AGENT, browser, events, only, page_login
from tests.census.county import _ledger
from tests.fieldwork.evidence.conftest import png
from tests.policies import files as policy_files
from tests.policies.conftest import adopted, kind_of_three
from tests.policies.files import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(key: str):
    client = browser()
    assert page_login(client, key).status_code == 302
    return client


def test_the_ledger_export_records_the_filters_and_the_row_count(world):
    world.problem(title="甲")
    world.problem(title="乙", urgency="urgent")
    world.problem(by="sibling_office", region="sibling")
    client = signed_in("county_office")
    response = client.get("/ledger/export/", {"urgency": "urgent"})
    assert response.status_code == 200
    b"".join(response.streaming_content)

    event = only(Kind.EXPORT)
    assert event.actor == world.users["county_office"]
    assert event.address == ADDRESS and event.user_agent == AGENT
    assert event.path == "/ledger/export/"
    assert event.detail == {"what": "problems", "rows": 1, "query": {"urgency": "urgent"}}


def test_the_api_export_with_a_token_is_recorded_for_the_token_s_user(world):
    world.problem()
    _, raw = ApiToken.issue(world.users["county_office"], "script")
    client = Client(REMOTE_ADDR=ADDRESS)
    response = client.get("/api/v1/ledger/export", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200

    event = only(Kind.EXPORT)
    assert event.actor == world.users["county_office"]
    assert event.path == "/api/v1/ledger/export"
    assert event.detail["rows"] == 1


def test_a_refused_export_is_no_export(world, settings):
    settings.DUCHA_LEDGER_EXPORT_MAX_ROWS = 1
    world.problem()
    world.problem()
    response = signed_in("county_office").get("/ledger/export/")
    assert response.status_code == 302
    assert not events(Kind.EXPORT)


@pytest.mark.parametrize("url", ["/ledger/template/", "/api/v1/ledger/template"])
def test_the_import_template_download_is_recorded(world, url):
    assert signed_in("county_office").get(url).status_code == 200
    event = only(Kind.DOWNLOAD)
    assert event.detail["what"] == "ledger_template"
    assert event.path == url


def test_the_day_s_tasks_export_records_their_ids(world):
    day = timezone.localdate().isoformat()
    response = signed_in("county_office").get(f"/field/day/{day}/", {"format": "xlsx"})
    assert response.status_code == 200
    event = only(Kind.EXPORT)
    assert event.detail == {"what": "tasks", "rows": 0, "ids": [], "query": {"format": "xlsx"}}


@pytest.mark.parametrize("url", ["/field/evidence/{}/", "/api/v1/evidence/{}/file"])
def test_an_evidence_download_records_its_id(world, url):
    client = signed_in("county_office")
    problem = world.problem()
    response = client.post(
        "/api/v1/evidence",
        {"client_key": str(uuid.uuid4()), "problem": problem.pk, "file": _photo()},
    )
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get()
    response = client.get(url.format(evidence.pk))
    assert response.status_code == 200

    event = only(Kind.DOWNLOAD)
    assert event.detail == {"what": "evidence", "id": evidence.pk, "query": {}}
    # A thumbnail shown on a page is no download.
    assert client.get(f"/field/evidence/{evidence.pk}/thumb/").status_code == 200
    assert len(events(Kind.DOWNLOAD)) == 1


@pytest.mark.parametrize("page", [True, False])
def test_a_document_download_records_its_id_and_format(world, page):
    client = signed_in("county_office")
    world.problem()
    headers = {"content_type": "application/json"}
    created = client.post("/api/v1/documents", json.dumps({"kind": "bulletin"}), **headers)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.post(f"/api/v1/documents/{pk}/issue", "{}", **headers).status_code == 200
    url = f"/documents/{pk}/files/docx/" if page else f"/api/v1/documents/{pk}/files/docx"
    assert client.get(url).status_code == 200

    event = only(Kind.DOWNLOAD)
    assert event.detail == {"what": "document", "id": pk, "format": "docx", "query": {}}


@pytest.mark.parametrize("url", ["/policies/{}/document/", "/api/v1/policies/{}/document"])
def test_a_policy_document_download_records_its_ids(world, url):
    policy = adopted(world, kind_of_three(world)[:1])
    hq = world.users["city_command"]
    do_attach_policy_document(policy, acting_user=hq, document=policy_files.upload(PDF))
    client = signed_in("county_office")
    assert client.get(url.format(policy.pk)).status_code == 200

    event = only(Kind.DOWNLOAD)
    row = policy.documents.get()
    assert event.detail == {"what": "policy_document", "id": policy.pk, "file": row.pk, "query": {}}


def _photo():
    return SimpleUploadedFile("现场.png", png(), content_type="image/png")


@pytest.mark.parametrize("url", ["/ledger/imports/{}/file/", "/api/v1/ledger/imports/{}/file"])
def test_an_uploaded_ledger_download_records_its_id(world, url):
    batch = do_upload_import(acting_user=world.users["county_office"], upload=_ledger("台账.xlsx"))
    response = signed_in("county_office").get(url.format(batch.pk))
    assert response.status_code == 200

    event = only(Kind.DOWNLOAD)
    assert event.detail == {"what": "ledger_import", "id": batch.pk, "query": {}}
