"""An issued bulletin rendered to PDF by LibreOffice (`make libreoffice` installs it): every
page carries its own number, odd ones on the right and even ones on the left, and the text
states the reference and the statistics sentence."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation

from ducha.documents import downloads
from ducha.problems import actions
from ducha.problems.sentences import stats_sentence
from tests.documents.helpers import download, issue

pytestmark = pytest.mark.django_db

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>'
)


def _overdue(world, count: int) -> None:
    office = world.users["county_office"]
    long_ago = timezone.now() - timedelta(days=4)
    for number in range(count):
        problem = world.problem(title=f"第{number + 1}号卡口登记不全", found_at=long_ago)
        actions.do_assign(problem, acting_user=office, responsible_org=world.orgs["county_dept"])


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)$", info.stdout, re.MULTILINE).group(1))


def _footers(pdf: Path) -> list[tuple[str, float, float]]:
    """Per page: the number printed at its foot, where it starts, and the page's width."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    footers = []
    for page in re.findall(r"<page (.*?)</page>", html, re.DOTALL):
        width, height = (float(v) for v in re.findall(r'(?:width|height)="([\d.]+)"', page)[:2])
        low = [(float(x), text) for x, y, text in WORD.findall(page) if float(y) > height * 0.88]
        numbers = [(x, text) for x, text in low if text.isdigit()]
        assert len(numbers) == 1, low
        footers.append((numbers[0][1], numbers[0][0], width))
    return footers


def _render(api, document, folder: Path) -> Path:
    pdf = folder / f"{document['id']}.pdf"
    pdf.write_bytes(download(api, document, "pdf"))
    return pdf


def test_a_bulletin_renders_with_numbered_pages_its_reference_and_sentence(world, api_as, tmp_path):
    _overdue(world, 30)
    api = api_as("county_office")
    bulletin = issue(api, "bulletin")
    pdf = _render(api, bulletin, tmp_path)
    pages = _pages(pdf)
    footers = _footers(pdf)
    # As many pages as page numbers, each page numbered in turn: a PAGE field, not a "1".
    assert [number for number, _x, _w in footers] == [str(n) for n in range(1, pages + 1)]
    assert pages >= 3
    for number, x, width in footers:
        assert (x > width / 2) == (int(number) % 2 == 1), (number, x)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", bulletin["reference"]) in flat
    with translation.override("zh-hans"):
        sentence = stats_sentence(
            as_of=date.fromisoformat(bulletin["as_of"]), found=30, rectified=0
        )
    assert re.sub(r"\s+", "", sentence) in flat
    assert "第30号卡口登记不全" in flat


def test_naming_fewer_problems_takes_fewer_pages(world, api_as, tmp_path):
    api = api_as("county_office")
    _overdue(world, 2)
    short = _render(api, issue(api, "bulletin"), tmp_path)
    _overdue(world, 40)
    long = _render(api, issue(api, "bulletin"), tmp_path)
    assert _pages(short) < _pages(long)
    assert [n for n, _x, _w in _footers(short)] == [str(n) for n in range(1, _pages(short) + 1)]


def test_the_pdf_is_rendered_once_and_the_page_offers_it(world, api_as, login, monkeypatch):
    api = api_as("county_office")
    bulletin = issue(api, "bulletin")
    first = download(api, bulletin, "pdf")
    assert first.startswith(b"%PDF")

    def no_second_rendering(content: bytes) -> bytes:
        raise AssertionError("rendered again")

    monkeypatch.setattr(downloads, "docx_to_pdf", no_second_rendering)
    assert download(api, bulletin, "pdf") == first
    page = login(world, "county_leader").get(f"/documents/{bulletin['id']}/").content.decode()
    assert 'data-format="pdf"' in page
    via_page = login(world, "county_leader").get(f"/documents/{bulletin['id']}/files/pdf/")
    assert b"".join(via_page.streaming_content) == first
