"""In real Chromium at a phone's size: an office opens its dashboard, drafts a bulletin from
the data, adds its own words, issues it (confirming), and downloads the Word file."""

from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import urlsplit

import docx
import pytest
from django.db import connections
from django.utils import translation

from ducha.documents.models import Document
from ducha.problems.sentences import stats_sentence
from tests.browser.conftest import ARTIFACTS, PHONE, browser  # noqa: F401
from tests.documents.helpers import county
from tests.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_office_issues_and_downloads_a_bulletin_on_a_phone(live_server, browser, tmp_path):  # noqa: F811
    world = build_world()
    county(world)
    base = live_server.url
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    foreign: list[str] = []
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url) if urlsplit(r.url).netloc != urlsplit(base).netloc else None
        ),
    )
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "county_office")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{base}/problems/queue/")

    # The day starts on the dashboard: its charts are drawn, its sentence counted.
    page.click("[data-nav='reports:dashboard']")
    page.wait_for_url(f"{base}/reports/**")
    page.wait_for_selector("[data-chart=trend][data-drawn=true]")
    page.wait_for_selector("[data-chart=regions][data-drawn=true]")
    on_the_dashboard = page.locator("[data-testid=sentence]").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)
    # …and goes on to the bulletin from there, its region already chosen.
    page.click("[data-testid=new-bulletin]")
    page.wait_for_url(f"{base}/documents/new/**")
    page.click("[data-testid=draft-form] button[type=submit]")
    page.wait_for_url(re.compile(r".*/documents/\d+/$"))
    assert (
        page.locator("[data-testid=preview] [data-testid=masthead]").inner_text() == "双桥区督查办"
    )

    # The office's own words, saved through htmx in place.
    page.fill("textarea[name=text_praise]", "市场监管局整改迅速，予以肯定。")
    page.click("[data-testid=edit-form] button[type=submit]:not([name])")
    page.wait_for_selector("[data-testid=preview] >> text=市场监管局整改迅速，予以肯定。")

    # Issuing asks first; the answer is yes.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=issue-form] button[type=submit]")
    page.wait_for_selector("[data-testid=downloads]")
    document = Document.objects.get()
    assert document.state == "issued"
    assert (
        page.locator("[data-testid=document] [data-testid=reference]")
        .inner_text()
        .startswith(document.reference)
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bulletin-phone.png"), full_page=True)

    with page.expect_download() as waiting:
        page.click("[data-testid=downloads] a[data-format=docx]")
    saved = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    assert saved.name.startswith(document.reference) and saved.suffix == ".docx"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs)
    with translation.override("zh-hans"):
        sentence = stats_sentence(
            as_of=date.fromisoformat(str(document.as_of)), found=7, rectified=3
        )
    assert document.reference in text and sentence in text
    assert on_the_dashboard == sentence
    assert "市场监管局整改迅速，予以肯定。" in text
    assert console_errors == [] and foreign == []
    context.close()
    # The ORM calls above ran while Playwright's event loop was current, which gives them a
    # connection of their own; close it, or it outlives the test database on PostgreSQL.
    connections.close_all()
