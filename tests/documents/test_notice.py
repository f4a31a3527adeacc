"""通知: a notice the office writes, with numbered items, drafted and issued through the pages
and the API alike; bad items are refused the same way on both, naming the field, and
nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest

from ducha.documents.kinds.notice import MAX_ITEMS
from ducha.documents.models import Document, DocumentEvent
from tests.api.conftest import field_errors
from tests.documents.helpers import draft, open_docx, paragraphs, patch
from tests.parity.harness import _page_refusal

pytestmark = pytest.mark.django_db

ITEMS = ["严禁值守人员脱岗离岗", "严禁漏登过往人员", "三、严禁瞒报信息"]


def _form(world: Any, **fields: Any) -> dict[str, Any]:
    return {
        "kind": "notice",
        "issuer": world.orgs["county_office"].pk,
        "title": "关于严明值守纪律的通知",
        "addressee": "各乡镇、区直各单位",
        "copy_to": "区委办公室",
        "numbering": "chinese",
        "text_opening": "为严明值守纪律，现将有关要求通知如下。",
        "text_items": "\n".join(ITEMS),
        "text_closing": "请各单位认真遵照执行。",
        **fields,
    }


def test_a_notice_drafted_on_the_page_numbers_its_items_and_issues(world, api_as):
    api = api_as("county_office")
    listing = api.client.get("/documents/new/").content.decode()
    assert 'data-kind="notice"' in listing and 'data-kind="referral_letter"' in listing
    response = api.client.post("/documents/new/?kind=notice", _form(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert (document.kind, document.addressee) == ("notice", "各乡镇、区直各单位")
    # A number typed in front of an item is not printed twice.
    assert document.texts["items"] == "严禁值守人员脱岗离岗\n严禁漏登过往人员\n严禁瞒报信息"
    page = api.client.get(f"/documents/{document.pk}/").content.decode()
    for line in ("一、严禁值守人员脱岗离岗", "二、严禁漏登过往人员", "三、严禁瞒报信息"):
        assert line in page
    assert "三、三、" not in page

    response = api.client.post(f"/documents/{document.pk}/issue/")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.reference.startswith("双桥督办发〔") and document.number == 1
    issued = api.get(f"/documents/{document.pk}").json()
    lines = paragraphs(open_docx(api, issued))
    start = lines.index("为严明值守纪律，现将有关要求通知如下。")
    assert lines[start : start + 5] == [
        "为严明值守纪律，现将有关要求通知如下。",
        "一、严禁值守人员脱岗离岗",
        "二、严禁漏登过往人员",
        "三、严禁瞒报信息",
        "请各单位认真遵照执行。",
    ]


def test_a_notice_drafted_through_the_api_with_arabic_numbers(world, api_as):
    api = api_as("county_office")
    created = draft(
        api,
        "notice",
        title="关于严明值守纪律的通知",
        numbering="arabic",
        texts={"opening": "通知如下。", "items": "\n".join(ITEMS)},
    )
    texts = [block["text"] for block in created["body"]["blocks"]]
    assert texts == ["通知如下。", "1.严禁值守人员脱岗离岗", "2.严禁漏登过往人员", "3.严禁瞒报信息"]
    edited = patch(api, f"/documents/{created['id']}", {"texts": {"items": "严禁脱岗"}}).json()
    assert [block["text"] for block in edited["body"]["blocks"]][1:] == ["1.严禁脱岗"]


def test_the_second_notice_of_the_year_takes_the_next_number(world, api_as):
    api = api_as("county_office")
    numbers = []
    for _ in range(2):
        created = draft(api, "notice", texts={"items": "严禁脱岗"})
        numbers.append(api.post(f"/documents/{created['id']}/issue").json()["number"])
    assert numbers == [1, 2]


def _messages(response: Any) -> set[str]:
    body = response.json()
    if isinstance(body["detail"], list):
        return {item["msg"] for item in body["detail"]}
    return {body["detail"]}


BAD_ITEMS = {
    "too many items": "\n".join(f"严禁事项{n}" for n in range(MAX_ITEMS + 1)),
    "an empty item": "严禁脱岗\n\n严禁漏登",
    "an item too long": "严" * 501,
    "a tab in an item": "严禁\t脱岗",
    "a control character": "严禁\x01脱岗",
}


@pytest.mark.parametrize("case", sorted(BAD_ITEMS))
def test_bad_items_are_refused_alike_on_the_page_and_in_the_api(world, api_as, case):
    api = api_as("county_office")
    items = BAD_ITEMS[case]
    response = api.post("/documents", {"kind": "notice", "texts": {"items": items}})
    assert response.status_code == 422
    assert field_errors(response) in ({"texts.items"}, {"texts.items.items"})
    api_messages = _messages(response)

    page = api.client.post("/documents/new/?kind=notice", _form(world, text_items=items))
    assert page.status_code == 422
    fields, _top = _page_refusal(page, page.content.decode())
    assert set(fields) == {"text_items"}
    assert set(fields["text_items"]) == api_messages
    assert not Document.objects.exists() and not DocumentEvent.objects.exists()


def test_bad_items_in_the_editor_leave_the_draft_as_it_was(world, api_as):
    api = api_as("county_office")
    created = draft(api, "notice", texts={"items": "严禁脱岗"})
    before = DocumentEvent.objects.count()
    response = patch(
        api, f"/documents/{created['id']}", {"title": "新标题", "texts": {"items": "严禁\n\n脱岗"}}
    )
    assert response.status_code == 422 and field_errors(response) == {"texts.items"}
    page = api.client.post(
        f"/documents/{created['id']}/edit/",
        {"title": "新标题", "addressee": "", "copy_to": "", "text_items": "严禁\n\n脱岗"},
    )
    assert page.status_code == 422
    assert set(_page_refusal(page, page.content.decode())[0]) == {"text_items"}
    document = Document.objects.get()
    assert (document.title, document.texts["items"]) == (created["title"], "严禁脱岗")
    assert DocumentEvent.objects.count() == before


def test_an_unknown_numbering_is_refused(world, api_as):
    api = api_as("county_office")
    response = api.post("/documents", {"kind": "notice", "numbering": "roman"})
    assert response.status_code == 422 and field_errors(response) == {"numbering"}
    assert not Document.objects.exists()
