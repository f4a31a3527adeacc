"""The PDF copy of an issued document embeds Simplified Chinese faces where the official
公文 fonts are missing: a serif face for 小标宋 and 仿宋, never a Japanese one."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.documents.helpers import download, issue

pytestmark = pytest.mark.django_db


def _fonts(pdf: Path) -> list[tuple[str, bool]]:
    """Each font of the PDF: its name (without the subset prefix) and whether it is embedded."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    fonts = []
    for line in out.stdout.splitlines()[2:]:
        name = line.split()[0]
        embedded = re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s", line)
        assert embedded, line
        fonts.append((name.split("+")[-1], embedded.group(1) == "yes"))
    return fonts


def _bulletin_pdf(world, api_as, folder: Path) -> Path:
    world.problem(title="卡口未登记过往车辆")
    api = api_as("county_office")
    pdf = folder / "bulletin.pdf"
    pdf.write_bytes(download(api, issue(api, "bulletin"), "pdf"))
    return pdf


def test_the_pdf_embeds_a_simplified_chinese_serif_face(world, api_as, tmp_path):
    fonts = _fonts(_bulletin_pdf(world, api_as, tmp_path))
    names = [name for name, _embedded in fonts]
    assert all(embedded for _name, embedded in fonts), fonts
    assert any(name.startswith("NotoSerifCJKsc") for name in names), names
    assert not any("JP" in name or "CJKjp" in name for name in names), names


def test_without_the_projects_font_file_another_face_is_used(world, api_as, tmp_path, settings):
    # What the shipped fontconfig file changes: without it, no Chinese serif face is chosen.
    settings.DUCHA_PDF_FONTCONFIG = ""
    names = [name for name, _e in _fonts(_bulletin_pdf(world, api_as, tmp_path))]
    assert not any(name.startswith("NotoSerifCJKsc") for name in names), names
