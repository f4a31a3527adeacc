"""Document content × persona: every persona that may open an issued document reads exactly
the rows the oracle says (tests/documents/content_oracle.py), in the API's data, body and
named problems, on the page, and in the .docx and .xlsx made for it; the counts follow the
rows, and the issuing jurisdiction still reads the whole record."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import docx
import openpyxl
import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from ducha.problems import actions
from tests.documents.content_oracle import Doc, Row, rows_read
from tests.documents.helpers import county, issue
from tests.matrix.oracle import PERSONAS
from tests.world import World

pytestmark = pytest.mark.django_db


@dataclass
class Setting:
    rows: dict[str, Row]  # every problem of the test by title
    documents: dict[str, tuple[dict[str, Any], Doc]]


def _problems(world: World) -> dict[str, Row]:
    found = county(world)
    long_ago = timezone.now() - timedelta(days=4)
    town_market = world.problem(title="镇集市冷链台账缺失", region="town", found_at=long_ago)
    actions.do_assign(
        town_market,
        acting_user=world.users["county_office"],
        responsible_org=world.orgs["county_market_dept"],
    )
    cold_store = world.problem(by="sibling_office", region="sibling", title="双滦区冷库未消杀")
    actions.do_assign(
        cold_store,
        acting_user=world.users["sibling_office"],
        responsible_org=world.orgs["sibling_dept"],
    )
    # Where each problem is and whose it was at issue, as the test made them.
    return {
        found.overdue.title: Row(found.overdue.title, "county", "county_dept"),
        found.open.title: Row(found.open.title, "county", "county_dept"),
        found.town.title: Row(found.town.title, "town", "county_dept"),
        found.on_time.title: Row(found.on_time.title, "county", "county_market_dept"),
        found.late.title: Row(found.late.title, "county", "town"),
        found.spot.title: Row(found.spot.title, "county", None),
        found.new.title: Row(found.new.title, "county", None),
        found.sibling.title: Row(found.sibling.title, "sibling", None),
        "镇集市冷链台账缺失": Row("镇集市冷链台账缺失", "town", "county_market_dept"),
        "双滦区冷库未消杀": Row("双滦区冷库未消杀", "sibling", "sibling_dept"),
    }


DOCUMENTS = {
    # key: (issuing persona, its region, kind, recipient key, parameters)
    "county_list": ("county_office", "county", "problem_list", None),
    "city_list": ("city_office", "city", "problem_list", None),
    "letter": ("county_office", "county", "rectification_letter", "county_dept"),
    "prompt_town": ("county_office", "county", "prompt_letter", "town_office"),
    "prompt_unit": ("county_office", "county", "prompt_letter", "county_market_dept"),
    "bulletin": ("county_office", "county", "bulletin", None),
}


def _issued_rows(document: dict[str, Any]) -> list[str]:
    data = document["data"]
    return [row["title"] for row in data.get("rows", data.get("overdue_rows", []))]


@pytest.fixture
def setting(world, api_as) -> Setting:
    rows = _problems(world)
    documents = {}
    for key, (issuer, region, kind, recipient) in DOCUMENTS.items():
        body = {"recipient": world.orgs[recipient].pk} if recipient else {}
        issued = issue(api_as(issuer), kind, **body)
        titles = _issued_rows(issued)
        assert titles, key  # a document without rows would prove nothing
        doc = Doc(kind, region, recipient, tuple(rows[title] for title in titles))
        documents[key] = (issued, doc)
    return Setting(rows, documents)


def _found(text: str, titles: set[str]) -> set[str]:
    return {title for title in titles if title in text}


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _xlsx_titles(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def _file(api: Any, pk: int, file_format: str) -> bytes:
    response = api.get(f"/documents/{pk}/files/{file_format}")
    assert response.status_code == 200, (pk, file_format, response.status_code)
    return b"".join(response.streaming_content)


def _count_sentence(titles: set[str], rows: dict[str, Row]) -> str:
    units = {rows[title].unit for title in titles if rows[title].unit}
    with translation.override("zh-hans"):
        return gettext("The list has %(count)s problems, for %(units)s units.") % {
            "count": len(titles),
            "units": len(units),
        }


def _check(api: Any, issued: dict[str, Any], want: set[str], setting: Setting) -> list[str]:
    """What one persona reads of one document, against the oracle's titles."""
    pk, everything = issued["id"], set(setting.rows)
    faults = []
    detail = api.get(f"/documents/{pk}").json()
    seen = {
        "api data": set(_issued_rows(detail)),
        "api body": _found(str(detail["body"]), everything),
        "api problems": {entry["snapshot"]["title"] for entry in detail["problems"]},
        "page": _found(api.client.get(f"/documents/{pk}/").content.decode(), everything),
        "docx": _found(_docx_text(_file(api, pk, "docx")), everything),
    }
    if issued["kind"] == "problem_list":
        xlsx = _xlsx_titles(_file(api, pk, "xlsx"))
        seen["xlsx"] = set(xlsx)
        if len(xlsx) != len(want):
            faults.append(f"xlsx has {len(xlsx)} rows, expected {len(want)}")
        if detail["data"]["count"] != len(want):
            faults.append(f"count {detail['data']['count']}, expected {len(want)}")
        sentence = _count_sentence(want, setting.rows)
        if sentence not in _docx_text(_file(api, pk, "docx")):
            faults.append(f"docx lacks {sentence!r}")
    for surface, titles in seen.items():
        if titles != want:
            faults.append(f"{surface}: extra {titles - want}, missing {want - titles}")
    return faults


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
def test_each_persona_reads_exactly_its_rows(world, api_as, setting, key):
    issued, doc = setting.documents[key]
    faults = []
    partial = 0
    for persona in PERSONAS:
        api = api_as(persona)
        want = rows_read(persona, doc)
        status = api.get(f"/documents/{issued['id']}").status_code
        if want is None:
            if status != 404:
                faults.append(f"{persona}: expected 404, got {status}")
            continue
        if status != 200:
            faults.append(f"{persona}: expected 200, got {status}")
            continue
        partial += want != {row.title for row in doc.rows}
        faults += [f"{persona}: {fault}" for fault in _check(api, issued, want, setting)]
    assert not faults, "\n".join(faults)
    if doc.kind == "problem_list":
        # The lists are read in part by the units they name: the filter is exercised.
        assert partial >= 2
