"""线索移交函: drafted from one referral by the office that may see it, addressed to the
receiving body, stating the source, the facts, the evidence and the referring office; read
by whoever may see the referral, and by nobody else (404)."""

from __future__ import annotations

import pytest

from ducha.accounts.models import Membership, User
from ducha.documents.models import Document, DocumentEvent
from ducha.fieldwork.models import Evidence
from ducha.orgs.models import Org
from tests.api.conftest import field_errors
from tests.documents.helpers import issue, open_docx, paragraphs, referral
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def _evidence(world, problem, name: str) -> Evidence:
    return Evidence.objects.create(
        kind="image",
        file=f"evidence/{name}",
        content_type="image/jpeg",
        extension="jpg",
        size=1,
        sha256="0" * 64,
        original_name=name,
        problem=problem,
        uploaded_by=world.users["county_office"],
    )


def test_the_office_drafts_it_from_the_referral_on_the_page(world, api_as):
    clue = referral(world)
    clue.evidence.add(_evidence(world, clue.problem, "脱岗现场照片.jpg"))
    api = api_as("county_office")
    form = api.client.get(f"/documents/new/?kind=referral_letter&referral={clue.pk}")
    assert form.status_code == 200
    assert f'<option value="{clue.pk}" selected>' in form.content.decode()
    response = api.client.post(
        "/documents/new/?kind=referral_letter",
        {
            "kind": "referral_letter",
            "issuer": world.orgs["county_office"].pk,
            "referral": clue.pk,
            "copy_to": "区委办公室",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.recipient == world.orgs["county_discipline"]
    assert document.addressee == "双桥区纪委监委"
    assert document.title == "关于“卡口值守人员擅离岗位”问题线索的移交函"
    page = api.client.get(f"/documents/{document.pk}/").content.decode()
    for text in (
        "一、线索来源",
        "双桥区“卡口值守人员擅离岗位”问题",
        "二、基本事实",
        "值守人员连续两日擅离岗位。",
        "经查，系带班领导默许。",
        "三、移交证据材料",
        "脱岗现场照片.jpg",
        "四、移交单位",
        "双桥区督查办，移交日期",
        "抄送：区委办公室。",
    ):
        assert text in page, text


def test_issued_the_letter_reads_the_same_in_word(world, api_as):
    clue = referral(world)
    api = api_as("county_office")
    document = issue(api, "referral_letter", referral=clue.pk)
    assert document["reference"].startswith("双桥督办移〔")
    assert document["recipient"]["id"] == world.orgs["county_discipline"].pk
    lines = paragraphs(open_docx(api, document))
    assert "双桥区纪委监委:" in lines or "双桥区纪委监委：" in lines
    assert "值守人员连续两日擅离岗位。" in lines
    assert "本次移交未附证据材料。" in lines
    assert lines[-1] == document["body"]["date_text"]
    evidence = [b for b in document["body"]["blocks"] if b["kind"] == "table"]
    assert evidence == []


def test_only_who_may_see_the_referral_reads_the_letter(world, api_as):
    clue = referral(world)
    document = issue(api_as("county_office"), "referral_letter", referral=clue.pk)
    path = f"/documents/{document['id']}"
    for persona in ("county_discipline", "county_leader", "city_office"):
        assert api_as(persona).get(path).status_code == 200, persona
    for persona in ("county_handler", "town_office", "sibling_office", "city_command"):
        api = api_as(persona)
        assert api.get(path).status_code == 404, persona
        assert api.client.get(f"/documents/{document['id']}/").status_code == 404, persona


def test_a_letter_to_the_police_is_read_by_the_police(world, api_as):
    police = Org.objects.create(kind="police", name="双桥区公安分局", parent=world.orgs["county"])
    officer = User.objects.create_user("county_police", password=PASSWORD, name="区公安民警")
    Membership.objects.create(user=officer, org=police, role="police")
    world.users["county_police"] = officer
    clue = referral(world, receiver=police)
    document = issue(api_as("county_office"), "referral_letter", referral=clue.pk)
    assert document["addressee"] == "双桥区公安分局"
    api = api_as("county_police")
    read = api.get(f"/documents/{document['id']}")
    assert read.status_code == 200
    assert "值守人员连续两日擅离岗位。" in [b["text"] for b in read.json()["body"]["blocks"]]
    assert api.get(f"/documents/{document['id']}/files/docx").status_code == 200
    listed = api.get("/documents").json()["items"]
    assert [item["id"] for item in listed] == [document["id"]]


def test_a_referral_out_of_the_jurisdiction_cannot_be_drafted_from(world, api_as):
    clue = referral(world)
    api = api_as("sibling_office")
    response = api.post("/documents", {"kind": "referral_letter", "referral": clue.pk})
    assert response.status_code == 422 and field_errors(response) == {"referral"}
    missing = api.post("/documents", {"kind": "referral_letter", "referral": clue.pk + 999})
    assert missing.json()["detail"] == response.json()["detail"]
    form = api.client.get(f"/documents/new/?kind=referral_letter&referral={clue.pk}")
    assert f'value="{clue.pk}"' not in form.content.decode()
    page = api.client.post(
        "/documents/new/?kind=referral_letter",
        {"kind": "referral_letter", "issuer": world.orgs["sibling_office"].pk, "referral": clue.pk},
    )
    assert page.status_code == 422
    assert not Document.objects.exists() and not DocumentEvent.objects.exists()


def test_a_letter_without_a_referral_is_refused(world, api_as):
    api = api_as("county_office")
    response = api.post("/documents", {"kind": "referral_letter"})
    assert response.status_code == 422 and field_errors(response) == {"referral"}
    assert not Document.objects.exists()
