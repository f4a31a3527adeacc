"""Once issued, a document is a record: no edit, no second issue, no delete, through the API,
the pages, the admin or the models; its figures and files stay as they were issued."""

from __future__ import annotations

import hashlib

import pytest
from django.utils import translation
from django.utils.translation import gettext

from ducha.core.events import ImmutableEventError
from ducha.documents.models import (
    Document,
    DocumentCounter,
    DocumentEvent,
    DocumentFile,
    DocumentLocked,
    DocumentProblem,
)
from tests.documents.helpers import county, download, issue, patch

pytestmark = pytest.mark.django_db


def _state(pk: int) -> tuple:
    document = Document.objects.get(pk=pk)
    return (
        document.title,
        document.addressee,
        document.texts,
        document.data,
        document.number,
        document.reference,
        list(document.files.values_list("sha256", flat=True)),
        DocumentEvent.objects.filter(document=document).count(),
        DocumentCounter.objects.get().last_number,
    )


@pytest.fixture
def letter(world, api_as):
    county(world)
    return issue(
        api_as("county_office"), "rectification_letter", recipient=world.orgs["county_dept"].pk
    )


def test_the_api_answers_409_to_edits_and_a_second_issue(world, api_as, letter):
    api = api_as("county_office")
    before = _state(letter["id"])
    edited = patch(api, f"/documents/{letter['id']}", {"title": "改过的标题"})
    assert edited.status_code == 409
    with translation.override("zh-hans"):
        refusal = gettext("This document has been issued; an issued document can no longer change.")
    assert edited.json()["detail"] == refusal
    again = api.post(f"/documents/{letter['id']}/issue")
    assert again.status_code == 409
    assert _state(letter["id"]) == before
    assert api.get(f"/documents/{letter['id']}").json()["allowed_actions"] == []


def test_the_pages_refuse_with_409_and_offer_no_editor(world, login, letter):
    client = login(world, "county_office")
    before = _state(letter["id"])
    page = client.get(f"/documents/{letter['id']}/")
    assert 'data-testid="edit-form"' not in page.content.decode()
    assert 'data-testid="issue-form"' not in page.content.decode()
    edited = client.post(f"/documents/{letter['id']}/edit/", {"title": "改过的标题"})
    assert edited.status_code == 409
    issued = client.post(f"/documents/{letter['id']}/issue/")
    assert issued.status_code == 409
    assert _state(letter["id"]) == before


def test_the_models_refuse_changes_and_deletion(letter):
    document = Document.objects.get(pk=letter["id"])
    document.title = "改过的标题"
    with pytest.raises(DocumentLocked):
        document.save()
    with pytest.raises(DocumentLocked):
        document.delete()
    with pytest.raises(DocumentLocked):
        Document.objects.filter(pk=document.pk).update(title="改过的标题")
    with pytest.raises(DocumentLocked):
        Document.objects.filter(pk=document.pk).delete()
    for model in (DocumentProblem, DocumentFile, DocumentEvent):
        row = model.objects.filter(document=document).first()
        with pytest.raises(ImmutableEventError):
            row.save()
        with pytest.raises(ImmutableEventError):
            row.delete()
    assert Document.objects.get(pk=document.pk).title == letter["title"]


def test_the_admin_shows_it_read_only(world, admin_client, letter):
    url = f"/admin/documents/document/{letter['id']}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.post(url, {"title": "改过的标题"}).status_code == 403
    deleted = admin_client.post(
        f"/admin/documents/document/{letter['id']}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 403
    assert Document.objects.filter(pk=letter["id"], title=letter["title"]).exists()


def test_files_match_their_recorded_hash_and_figures_stay_as_issued(world, api_as):
    found = county(world)
    api = api_as("county_office")
    bulletin = issue(api, "bulletin")
    for recorded in bulletin["files"]:
        content = download(api, bulletin, recorded["format"])
        assert hashlib.sha256(content).hexdigest() == recorded["sha256"]
        assert len(content) == recorded["size"]
    # The data moves on; the issued bulletin does not.
    world.problem(title="印发之后才发现的问题")
    world.assigned(title="又一个问题")
    later = api.get(f"/documents/{bulletin['id']}").json()
    assert later["data"] == bulletin["data"] and later["body"] == bulletin["body"]
    snapshot = later["problems"][0]["snapshot"]
    assert snapshot["id"] == found.overdue.pk and snapshot["light"] == "red"
    assert later["files"] == bulletin["files"]
