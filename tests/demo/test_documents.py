"""The documents of the demo, seen through the API and the pages: the zone's three bulletins
and its letters, Hui'an's special reports and first problem list."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import docx
import pytest
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from ducha.documents.kinds.common import cn_numeral
from ducha.documents.models import Document, DocumentEvent
from ducha.problems.sentences import stats_sentence

pytestmark = pytest.mark.django_db

ZONE, HUIAN = "510109", "350521"


def documents(client, **params) -> list[dict]:
    body = client.get("/api/v1/documents", {"page_size": 100, **params}).json()
    assert body["count"] <= 100
    return body["items"]


def detail(client, item: dict) -> dict:
    response = client.get(f"/api/v1/documents/{item['id']}")
    assert response.status_code == 200
    return response.json()


def stats(client, **filters) -> dict:
    return client.get("/api/v1/problems", {"page_size": 1, **filters}).json()["stats"]


def word_text(client, item: dict) -> str:
    response = client.get(f"/api/v1/documents/{item['id']}/files/docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def local_day(value: str) -> date:
    return timezone.localtime(datetime.fromisoformat(value)).date()


def load_day() -> date:
    """The day the demo was loaded: the latest document is issued at the load's moment (a run
    across midnight must not shift the days counted back from it)."""
    return timezone.localtime(Document.objects.latest("issued_at").issued_at).date()


def days_ago(value: str) -> int:
    return (load_day() - local_day(value)).days


def test_the_zone_issued_bulletins_one_to_three(demo, signed_in):
    client = signed_in("chengdu.office")
    bulletins = sorted(documents(client, kind="bulletin"), key=lambda item: item["issued_at"])
    assert len(bulletins) == 3
    assert [days_ago(item["issued_at"]) for item in bulletins] == [26, 12, 0]
    # Numbered in order within each calendar year (a load early in January spans two).
    numbers_by_year: dict[int, list[int]] = {}
    for item in bulletins:
        numbers_by_year.setdefault(item["year"], []).append(item["number"])
    for numbers in numbers_by_year.values():
        assert numbers == list(range(1, len(numbers) + 1))
    assert all(item["reference"].startswith("高新督办通〔") for item in bulletins)
    assert {item["issuer"]["name"] for item in bulletins} == {"成都高新区督查办"}


def test_the_third_bulletin_states_the_zone_line_of_the_problem_list(demo, signed_in):
    client = signed_in("chengdu.office")
    latest = max(documents(client, kind="bulletin"), key=lambda item: item["issued_at"])
    data = detail(client, latest)["data"]
    zone = demo.region(ZONE).pk
    shown = stats(client, region=zone)
    assert (data["found"], data["rectified"]) == (shown["found"], shown["rectified"]) == (267, 252)
    with translation.override("zh-hans"):
        sentence = stats_sentence(as_of=load_day(), found=267, rectified=252)
    assert "94.38%" in sentence
    assert sentence in word_text(client, latest)
    overdue = stats(client, region=zone, overdue=True)["found"]
    assert data["overdue"] == overdue and overdue > 0


def test_earlier_bulletins_state_the_end_of_the_day_before_they_were_issued(demo, signed_in):
    client = signed_in("chengdu.office")
    bulletins = sorted(documents(client, kind="bulletin"), key=lambda item: item["issued_at"])
    found = []
    for item in bulletins[:2]:
        data = detail(client, item)["data"]
        issued = local_day(item["issued_at"])
        assert item["as_of"] == (issued - timedelta(days=1)).isoformat()
        found.append(data["found"])
        assert 0 < data["rectified"] < data["found"]
    assert found[0] < found[1] < 267


def test_letters_name_each_units_open_problems(demo, signed_in):
    client = signed_in("chengdu.office")
    letters = documents(client, kind="rectification_letter")
    assert {item["recipient"]["name"] for item in letters} == {
        "高新区市场监管局",
        "高新区公园城市局",
    }
    for item in letters:
        body = detail(client, item)
        unit = item["recipient"]["id"]
        listed = client.get("/api/v1/problems", {"page_size": 200, "responsible_org": unit}).json()[
            "items"
        ]
        still_open = {row["id"] for row in listed if row["state"] != "closed"}
        assert {entry["problem"]["id"] for entry in body["problems"]} == still_open
        assert body["addressee"] == item["recipient"]["name"]


def test_the_unit_reads_its_letter_and_not_the_bulletins(demo, signed_in):
    visible = documents(signed_in("chengdu.handler"))
    assert [item["kind"] for item in visible] == ["rectification_letter"]
    assert visible[0]["recipient"]["name"] == "高新区市场监管局"


def test_huian_reported_on_the_isolation_sites_with_the_leaders_instruction(demo, signed_in):
    client = signed_in("huian.office")
    reports = documents(client, kind="special_report")
    on_problem = next(item for item in reports if "集中隔离场所" in item["title"])
    body = detail(client, on_problem)
    text = word_text(client, on_problem)
    assert "请指挥部今晚就研究" in text  # the leader's instruction, from the event log
    assert "集中隔离场所巡查常态化" in text  # the lasting rule
    assert "建议将集中隔离场所巡查机制固定下来" in text  # the office's own suggestion
    actions = [entry["action"] for entry in body["data"]["timeline"]]
    assert actions[:3] == ["create", "report_up", "instruct"]
    assert body["serial"] == "第1期"


def test_huian_listed_its_assigned_problems_in_batch_one(demo, signed_in):
    client = signed_in("huian.office")
    (batch,) = documents(client, kind="problem_list")
    body = detail(client, batch)
    county = demo.region(HUIAN).pk
    assigned = client.get(
        "/api/v1/problems", {"page_size": 200, "region": county, "state": "assigned"}
    ).json()["items"]
    # Problems found after the list was drawn up (the matters broken down at the load) are
    # for a later list.
    drawn_up = parse_datetime(body["created_at"])
    listed = {r["id"] for r in assigned if parse_datetime(r["found_at"]) <= drawn_up}
    assert listed and len(listed) < len(assigned)
    assert {entry["problem"]["id"] for entry in body["problems"]} == listed
    assert body["serial"] == "第1批"
    assert [f["format"] for f in body["files"]] == ["docx", "xlsx"]


def test_huian_leaders_read_the_county_documents_and_not_the_zones(demo, signed_in):
    kinds = {item["kind"] for item in documents(signed_in("huian.leader"))}
    # The prompt letters are those of the county's sweep to its bureau and towns.
    assert kinds == {"special_report", "problem_list", "prompt_letter"}
    names = {item["issuer"]["name"] for item in documents(signed_in("huian.office"))}
    assert names == {"惠安县纪委监委党风政风监督室"}


def test_document_events_carry_the_replayed_moments(demo, signed_in):
    client = signed_in("chengdu.office")
    first = min(documents(client, kind="bulletin"), key=lambda item: item["issued_at"])
    events = DocumentEvent.objects.filter(document_id=first["id"]).order_by("pk")
    assert [event.action for event in events] == ["created", "issued"]
    assert {days_ago(event.created_at.isoformat()) for event in events} == {26}


def test_the_pages_show_the_bulletin_with_its_files(demo, signed_in):
    client = signed_in("chengdu.leader")
    listing = client.get("/documents/", {"kind": "bulletin"})
    assert listing.status_code == 200 and "高新督办通〔" in listing.content.decode()
    latest = max(documents(client, kind="bulletin"), key=lambda item: item["issued_at"])
    page = client.get(f"/documents/{latest['id']}/").content.decode()
    assert "252" in page and 'data-format="docx"' in page


def test_the_zone_issued_a_notice_of_discipline_requirements_with_its_imprint(demo, signed_in):
    client = signed_in("chengdu.office")
    (notice,) = documents(client, kind="notice")
    body = detail(client, notice)["body"]
    items = [block["text"] for block in body["blocks"] if "、" in block["text"][:3]]
    assert [item.split("、", 1)[0] for item in items] == [cn_numeral(n) for n in range(1, 11)]
    assert all(item.split("、", 1)[1].startswith("严禁") for item in items)
    assert notice["reference"].startswith("高新督办发〔")
    assert body["imprint"]["copy_to"].startswith("抄送：")
    assert body["imprint"]["date_text"].endswith("印发")
    assert items[0] in word_text(client, notice)
