"""The PDF copy of an issued document embeds Simplified Chinese faces where the official
公文 fonts are missing: a serif face for 小标宋 and 仿宋, with the Simplified glyph forms.

The Noto CJK collections share one CFF table among their language faces, so a PDF names
every face of the serif collection "NotoSerifCJKjp-…" whichever was chosen; which forms are
drawn follows the text's language (the Word file marks it zh-CN). The glyph test below
renders them to tell Simplified forms from Japanese ones.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from ducha.documents.files import docx_to_pdf
from ducha.documents.gongwen import FANGSONG
from tests.documents.helpers import download, issue

pytestmark = pytest.mark.django_db

# Characters whose Simplified and Japanese forms differ.
SAMPLE = "直骨说化角"


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


def test_the_pdf_embeds_a_chinese_serif_face(world, api_as, tmp_path):
    fonts = _fonts(_bulletin_pdf(world, api_as, tmp_path))
    names = [name for name, _embedded in fonts]
    assert all(embedded for _name, embedded in fonts), fonts
    assert any(name.startswith("NotoSerifCJK") for name in names), names


def test_without_the_projects_font_file_no_serif_face_is_used(world, api_as, tmp_path, settings):
    # What the shipped fontconfig file changes: without it, fontconfig offers a sans face.
    settings.DUCHA_PDF_FONTCONFIG = ""
    names = [name for name, _e in _fonts(_bulletin_pdf(world, api_as, tmp_path))]
    assert not any(name.startswith("NotoSerifCJK") for name in names), names


def _glyphs(folder: Path, name: str, font: str, language: str) -> bytes:
    document = Document()
    run = document.add_paragraph().add_run(SAMPLE)
    run.font.name, run.font.size = font, Pt(40)
    properties = run._element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), font)
    properties.append(properties.makeelement(qn("w:lang"), {qn("w:eastAsia"): language}))
    buffer = io.BytesIO()
    document.save(buffer)
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(docx_to_pdf(buffer.getvalue()))
    subprocess.run(
        ["pdftoppm", "-r", "100", "-gray", "-f", "1", "-l", "1", str(pdf), str(folder / name)],
        check=True,
    )
    return next(folder.glob(f"{name}-*.pgm")).read_bytes()


def test_fangsong_is_drawn_with_the_simplified_serif_forms(tmp_path):
    fangsong = _glyphs(tmp_path, "fangsong", FANGSONG, "zh-CN")
    assert fangsong == _glyphs(tmp_path, "sc", "Noto Serif CJK SC", "zh-CN")
    assert fangsong != _glyphs(tmp_path, "jp", "Noto Serif CJK JP", "ja-JP")
    assert fangsong != _glyphs(tmp_path, "sans", "Noto Sans CJK SC", "zh-CN")
