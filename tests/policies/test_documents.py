"""The issued document's file on a policy: attached when adopting on the page, attached and
replaced later on the page and over the API, downloaded by whoever reads the policy and by
nobody else, and every file that is not a clean PDF or Word document refused, in the same
words on both sides, with nothing kept."""

from __future__ import annotations

import html
from urllib.parse import quote

import pytest
from django.utils import timezone

from ducha.policies.files import DOCX_TYPE
from ducha.policies.models import Policy, PolicyDocument, PolicyEvent
from tests.policies.conftest import adopted, kind_of_three
from tests.policies.files import (
    EXE,
    HTML,
    OLD_WORD,
    PDF,
    PDF_WITH_SCRIPT,
    stored_files,
    upload,
    with_macros,
    word,
    workbook,
)

NAME = "关于规范卡口车辆登记的通知.docx"


def _form(world, problems, **extra):
    return {
        "title": "关于规范卡口车辆登记的通知",
        "text": "各卡口实行进出车辆逐车登记。",
        "issuing_body": world.orgs["city_command"].pk,
        "issued_on": timezone.localdate().isoformat(),
        "reference": "承防指〔2020〕12号",
        "problems": [p.pk for p in problems],
        **{f"version_{p.pk}": p.version for p in problems},
        **extra,
    }


def _downloaded(response, content: bytes, name: str, content_type: str) -> None:
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]


def test_the_hq_adopts_with_the_document_and_readers_download_it(world, login, media):
    problems = kind_of_three(world)
    content = word()
    client = login(world, "city_command")
    url = f"/policies/kinds/{problems[0].focus_area_id}/"
    assert 'enctype="multipart/form-data"' in client.get(url).content.decode()
    response = client.post(url, _form(world, problems[:2], document=upload(content, NAME)))
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = Policy.objects.get()
    [row] = PolicyDocument.objects.all()
    assert (row.original_name, row.size, row.content_type) == (NAME, len(content), DOCX_TYPE)
    # Stored under its hash, never under the name it was sent with.
    assert [path.name for path in stored_files(media)] == [f"{row.sha256}.docx"]
    [event] = PolicyEvent.objects.all()
    assert (event.action, event.payload["policy_document"]) == ("adopt", row.pk)
    assert event.payload["document_sha256"] == row.sha256
    # The county office reads the policy answering its problem, and downloads the document.
    county = login(world, "county_office")
    page = county.get(f"/policies/{policy.pk}/").content.decode()
    assert 'data-testid="policy-document"' in page and NAME in page
    assert f"/policies/{policy.pk}/document/" in page
    assert 'data-testid="attach-form"' not in page
    _downloaded(county.get(f"/policies/{policy.pk}/document/"), content, NAME, DOCX_TYPE)
    # Another province's office hears of neither the policy nor its file.
    outsider = login(world, "other_office")
    assert outsider.get(f"/policies/{policy.pk}/document/").status_code == 404
    assert outsider.get(f"/api/v1/policies/{policy.pk}/document").status_code == 404


def test_the_hq_attaches_and_replaces_the_document_on_the_page(world, login, media):
    policy = adopted(world, kind_of_three(world)[:1])
    client = login(world, "city_command")
    page = client.get(f"/policies/{policy.pk}/").content.decode()
    assert 'data-testid="attach-form"' in page and 'data-testid="policy-document"' not in page
    assert client.get(f"/policies/{policy.pk}/document/").status_code == 404
    sent = {"document": upload(PDF, "承防指〔2020〕12号.pdf"), "version": policy.version}
    assert client.post(f"/policies/{policy.pk}/attach/", sent).status_code == 302
    first = PolicyDocument.objects.get()
    assert (first.content_type, first.extension) == ("application/pdf", ".pdf")
    content = word("第二版")
    response = client.post(f"/policies/{policy.pk}/attach/", {"document": upload(content, NAME)})
    assert response.status_code == 302
    second = PolicyDocument.objects.latest("pk")
    # The earlier file stays on record; the page and the download give the latest.
    assert PolicyDocument.objects.count() == 2 and len(stored_files(media)) == 2
    events = list(PolicyEvent.objects.filter(action="attach").order_by("pk"))
    assert [e.payload["policy_document"] for e in events] == [first.pk, second.pk]
    assert [e.payload["replaced_document"] for e in events] == [None, first.pk]
    page = client.get(f"/policies/{policy.pk}/").content.decode()
    assert NAME in page
    _downloaded(client.get(f"/policies/{policy.pk}/document/"), content, NAME, DOCX_TYPE)
    policy.refresh_from_db()
    assert policy.version == 2


def test_the_hq_attaches_over_the_api_and_readers_download_it(world, api_as, media):
    # A problem assigned to the county's department, whose handler must keep the measure.
    policy = adopted(world, [world.assigned(nature="common")])
    hq = api_as("city_command")
    etag = hq.get(f"/policies/{policy.pk}").json()["etag"]
    url = f"/api/v1/policies/{policy.pk}/actions/attach"
    response = hq.client.post(
        url, {"document": upload(PDF, "通知.pdf")}, headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["document"]["name"] == "通知.pdf" and body["document"]["size"] == len(PDF)
    assert body["document"]["urls"]["file"] == f"/api/v1/policies/{policy.pk}/document"
    assert body["allowed_actions"] == ["link", "attach"]
    assert [(e["action"], e["document"]) for e in body["events"]] == [
        ("adopt", None),
        ("attach", "通知.pdf"),
    ]
    # The same If-Match again names a version that has moved on: 412, nothing kept.
    again = hq.client.post(url, {"document": upload(word())}, headers={"If-Match": etag})
    assert again.status_code == 412
    assert PolicyDocument.objects.count() == 1 and len(stored_files(media)) == 1
    # The unit handler keeps the measure on its problem, and reads the document too.
    unit = api_as("county_handler")
    assert unit.get(f"/policies/{policy.pk}").json()["document"]["name"] == "通知.pdf"
    _downloaded(unit.get(f"/policies/{policy.pk}/document"), PDF, "通知.pdf", "application/pdf")
    assert api_as("other_office").get(f"/policies/{policy.pk}/document").status_code == 404
    assert api_as("other_office").client.post(url, {"document": upload(PDF)}).status_code == 404
    # The city office reads the policy but may not attach to it.
    office = api_as("city_office")
    assert office.client.post(url, {"document": upload(PDF)}).status_code == 403
    assert PolicyEvent.objects.filter(action="attach").count() == 1


def test_an_unknown_form_field_is_refused_over_the_api(world, api_as, media):
    policy = adopted(world, kind_of_three(world)[:1])
    hq = api_as("city_command")
    url = f"/api/v1/policies/{policy.pk}/actions/attach"
    response = hq.client.post(url, {"document": upload(PDF), "file": upload(PDF)})
    assert response.status_code == 422
    assert not PolicyDocument.objects.exists() and not stored_files(media)


BAD_FILES = {
    "a web page named .pdf": (HTML, "通知.pdf", "not accepted"),
    "a program named .docx": (EXE, NAME, "not accepted"),
    "a workbook named .docx": (workbook(), NAME, "not accepted"),
    "a broken zip named .docx": (b"PK\x03\x04" + b"\x00" * 40, NAME, "not accepted"),
    "a macro document named .docx": (with_macros(), NAME, "macros"),
    "an old Word file": (OLD_WORD, "通知.doc", "Old Word files"),
    "a PDF with a script": (PDF_WITH_SCRIPT, "通知.pdf", "scripts"),
    "an empty file": (b"", NAME, "empty"),
    "a file too large": (PDF + b"%" * 200, "通知.pdf", "too large"),
}


EN = {"Accept-Language": "en"}


def _api_refusal(world, api_as, policy, data, name) -> str:
    url = f"/api/v1/policies/{policy.pk}/actions/attach"
    response = api_as("city_command").client.post(url, {"document": upload(data, name)}, headers=EN)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == "document"
    return body["detail"]


def _field_error(page: str, field: str) -> str:
    start = page.index(f'data-field="{field}"')
    errors = page.index('data-testid="field-error">', start)
    return html.unescape(page[errors:].split("<li>", 1)[1].split("</li>", 1)[0])


@pytest.mark.parametrize("case", BAD_FILES, ids=str)
def test_a_bad_file_is_refused_alike_on_both_forms_and_the_api(
    world, login, api_as, media, settings, case
):
    data, name, words = BAD_FILES[case]
    if words == "too large":
        settings.DUCHA_POLICY_DOCUMENT_MAX_BYTES = len(PDF) + 100
    problems = kind_of_three(world)
    policy = adopted(world, problems[:1])
    client = login(world, "city_command")
    said = _api_refusal(world, api_as, policy, data, name)
    assert words in said
    sent = {"document": upload(data, name)}
    attach = client.post(f"/policies/{policy.pk}/attach/", sent, headers=EN)
    assert attach.status_code == 422
    assert _field_error(attach.content.decode(), "document") == said
    # On the adopt form: the message on its field, what was typed kept, nothing saved.
    kind = f"/policies/kinds/{problems[0].focus_area_id}/"
    form = _form(world, problems[1:], document=upload(data, name), text="逐车登记，每日汇总")
    adopt = client.post(kind, form, headers=EN)
    assert adopt.status_code == 422
    page = adopt.content.decode()
    assert _field_error(page, "document") == said
    assert 'value="关于规范卡口车辆登记的通知"' in page and "逐车登记，每日汇总" in page
    assert Policy.objects.count() == 1 and PolicyEvent.objects.count() == 1
    assert not PolicyDocument.objects.exists() and not stored_files(media)
    policy.refresh_from_db()
    assert policy.version == 0
    for problem in problems[1:]:
        problem.refresh_from_db()
        assert problem.rule == ""


def test_attaching_without_a_file_is_refused_alike(world, login, api_as, media):
    policy = adopted(world, kind_of_three(world)[:1])
    url = f"/api/v1/policies/{policy.pk}/actions/attach"
    response = api_as("city_command").client.post(url, {}, headers=EN)
    assert response.status_code == 422 and response.json()["field"] == "document"
    client = login(world, "city_command")
    page = client.post(f"/policies/{policy.pk}/attach/", {}, headers=EN)
    assert page.status_code == 422
    assert _field_error(page.content.decode(), "document") == response.json()["detail"]
    assert not PolicyDocument.objects.exists()
