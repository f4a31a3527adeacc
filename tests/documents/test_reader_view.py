"""A reader below the issuing office: only their rows, in every file including the PDF, while
the record stays whole; and no answer tells a foreign id from a missing one."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from ducha.documents import downloads
from tests.documents.helpers import county, download, issue

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def county_list(world, api_as):
    found = county(world)
    issued = issue(api_as("county_office"), "problem_list")
    return found, issued


def _pdf_text(content: bytes, folder: Path) -> str:
    pdf = folder / "document.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return "".join(text.stdout.split())


def test_the_pdf_holds_only_the_readers_rows(world, api_as, county_list, tmp_path):
    found, issued = county_list
    handler = _pdf_text(download(api_as("county_handler"), issued, "pdf"), tmp_path)
    office = _pdf_text(download(api_as("county_office"), issued, "pdf"), tmp_path)
    own = [found.overdue.title, found.open.title, found.town.title]
    others = [found.on_time.title, found.late.title, found.spot.title, found.new.title]
    assert all(title in handler for title in own)
    assert not [title for title in others if title in handler]
    assert all(title in office for title in own + others)


def test_a_readers_pdf_is_rendered_once(world, api_as, county_list, monkeypatch):
    _found, issued = county_list
    handler = api_as("county_handler")
    first = download(handler, issued, "pdf")

    def no_second_rendering(content: bytes) -> bytes:
        raise AssertionError("rendered again")

    monkeypatch.setattr(downloads, "docx_to_pdf", no_second_rendering)
    assert download(handler, issued, "pdf") == first
    monkeypatch.undo()
    # Another reader's rows make another PDF.
    assert download(api_as("market_handler"), issued, "pdf") != first


def test_the_record_stays_whole(world, api_as, county_list):
    _found, issued = county_list
    handler = api_as("county_handler")
    mine = download(handler, issued, "docx")
    detail = handler.get(f"/documents/{issued['id']}").json()
    # The reader's files are made for them: no hash of the record, no figure of the whole.
    assert {row["sha256"] for row in detail["files"]} == {""}
    assert all(event["payload"] == {} for event in detail["events"])
    office = api_as("county_office")
    for recorded in office.get(f"/documents/{issued['id']}").json()["files"]:
        content = download(office, issued, recorded["format"])
        assert hashlib.sha256(content).hexdigest() == recorded["sha256"]
    assert hashlib.sha256(mine).hexdigest() not in {row["sha256"] for row in issued["files"]}
    page = handler.client.get(f"/documents/{issued['id']}/").content.decode()
    assert 'data-testid="reader-view"' in page and issued["files"][0]["sha256"] not in page
    page = office.client.get(f"/documents/{issued['id']}/").content.decode()
    assert 'data-testid="reader-view"' not in page and issued["files"][0]["sha256"] in page


def test_documents_of_a_foreign_problem_answer_like_a_missing_one(world, api_as, county_list):
    found, issued = county_list
    handler = api_as("county_handler")

    def listed(problem_id: int) -> tuple[int, list[int]]:
        response = handler.get("/documents", {"problem": problem_id})
        assert response.status_code == 200
        return response.json()["count"], [item["id"] for item in response.json()["items"]]

    # The list names the market unit's problem too, but the handler does not see it.
    assert listed(found.on_time.pk) == listed(MISSING) == (0, [])
    assert listed(found.overdue.pk) == (1, [issued["id"]])
    pages = [
        handler.client.get("/documents/", {"problem": pk}).status_code
        for pk in (found.on_time.pk, MISSING)
    ]
    assert pages == [404, 404]


@pytest.mark.parametrize("kind", ["rectification_letter", "prompt_letter"])
def test_a_foreign_recipient_answers_like_a_missing_one(world, api_as, kind):
    county(world)
    foreign = world.assigned(unit="sibling_dept", by="sibling_office", region="sibling")
    assert foreign.responsible_org == world.orgs["sibling_dept"]
    office = api_as("county_office")

    def drafted(recipient: int) -> tuple[int, dict]:
        response = office.post("/documents", {"kind": kind, "recipient": recipient})
        return response.status_code, response.json()

    assert drafted(world.orgs["sibling_dept"].pk) == drafted(MISSING)
    assert drafted(MISSING)[0] == 422
    # A unit of the jurisdiction is known to the office, open problems or not.
    status, body = drafted(world.orgs["county_market_dept"].pk)
    if kind == "rectification_letter":
        assert status == 422 and body != drafted(MISSING)[1]
    else:
        assert status == 201
