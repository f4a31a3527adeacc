"""Every kind's Word file, opened with python-docx: it reads exactly like the document page,
and it is laid out as GB/T 9704 asks (A4, margins, fonts, sizes, rule, page numbers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ducha.problems.models import FocusArea
from ducha.problems.sentences import day_label
from tests.documents.helpers import County, county, issue, open_docx, table_rows

pytestmark = pytest.mark.django_db

KINDS = {
    "bulletin": lambda w, c: {},
    "problem_list": lambda w, c: {"filters": {"state": "assigned"}},
    "rectification_letter": lambda w, c: {"recipient": w.orgs["county_dept"].pk},
    "prompt_letter": lambda w, c: {"recipient": w.orgs["county_dept"].pk},
    "special_report_problem": lambda w, c: {"problem": c.overdue.pk},
    "special_report_area": lambda w, c: {"focus_area": FocusArea.objects.get(code="screening").pk},
    "notice": lambda w, c: {
        "title": "关于严明值守纪律的通知",
        "addressee": "各乡镇、各有关单位",
        "copy_to": "区委办公室、区政府办公室",
        "texts": {"opening": "现就有关要求通知如下。", "items": "严禁脱岗\n严禁漏登"},
    },
}


def east_asian(run_or_style: Any) -> str:
    fonts = run_or_style.element.rPr.rFonts
    return fonts.get(qn("w:eastAsia"))


def expected_lines(document: dict[str, Any]) -> list[str]:
    """The text of the page's preview, in order, as the Word file must read."""
    body = document["body"]
    with translation.override("zh-hans"):
        lines = [body["masthead"], body["reference"], body["title"]]
        if body["serial"]:
            lines.append(gettext("(%(serial)s)") % {"serial": body["serial"]})
        if body["addressee"]:
            lines.append(gettext("%(to)s:") % {"to": body["addressee"]})
    lines += [block["text"] for block in body["blocks"] if block["kind"] != "table"]
    return [*lines, body["signature"], body["date_text"]]


@pytest.mark.parametrize("case", sorted(KINDS))
def test_the_word_file_reads_like_the_page(world, api_as, case):
    found: County = county(world)
    api = api_as("county_office")
    kind = case.removesuffix("_problem").removesuffix("_area")
    document = issue(api, kind, **KINDS[case](world, found))
    word = open_docx(api, document)
    lines = [p.text for p in word.paragraphs if p.text]
    assert lines == expected_lines(document)
    assert lines[0] == "双桥区督查办"
    assert lines[1] == document["reference"] and "〔" in document["reference"]
    issued = timezone.localtime(datetime.fromisoformat(document["issued_at"]))
    assert lines[-1] == day_label(issued.date(), with_year=True)
    tables = [block for block in document["body"]["blocks"] if block["kind"] == "table"]
    # The last table is the 版记, after the body's own.
    *body_tables, imprint = word.tables
    assert len(body_tables) == len(tables)
    assert table_rows(imprint)[-1] == [
        "双桥区督查办",
        f"{day_label(issued.date(), with_year=True)}印发",
    ]
    for table, block in zip(body_tables, tables, strict=True):
        assert table_rows(table) == [block["header"], *block["rows"]]
    properties = word.core_properties
    assert (properties.title, properties.author) == (document["title"], "双桥区督查办")


def test_the_page_type_area_fonts_and_numbers_follow_the_standard(world, api_as):
    found = county(world)
    api = api_as("county_office")
    document = issue(api, "rectification_letter", recipient=world.orgs["county_dept"].pk)
    word = open_docx(api, document)
    section = word.sections[0]
    mm = {
        "width": section.page_width.mm,
        "height": section.page_height.mm,
        "top": section.top_margin.mm,
        "bottom": section.bottom_margin.mm,
        "left": section.left_margin.mm,
        "right": section.right_margin.mm,
    }
    wanted = {"width": 210, "height": 297, "top": 37, "bottom": 35, "left": 28, "right": 26}
    assert mm == pytest.approx(wanted, abs=0.1)

    masthead, reference, title, addressee, *rest = [p for p in word.paragraphs if p.text]
    run = masthead.runs[0]
    assert run.font.color.rgb == RGBColor(0xFF, 0x00, 0x00)
    assert east_asian(run) == "方正小标宋简体"
    assert masthead.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert reference.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = reference._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    assert title.runs[0].font.size == Pt(22)
    assert east_asian(title.runs[0]) == "方正小标宋简体"
    assert addressee.text.startswith("双桥区卫健局")

    normal = word.styles["Normal"]
    assert east_asian(normal) == "仿宋_GB2312"
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    body = next(p for p in rest if found.overdue.title not in p.text and p.style.name == "Normal")
    assert east_asian(body.runs[0]) == "仿宋_GB2312"
    assert body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)
    heading = next(p for p in rest if p.text.startswith("一、"))
    assert east_asian(heading.runs[0]) == "黑体"

    table = word.tables[0]
    header_row = table.rows[0]._tr
    assert header_row.trPr.find(qn("w:tblHeader")) is not None
    assert east_asian(table.rows[0].cells[0].paragraphs[0].style) == "黑体"
    cell_style = table.rows[1].cells[1].paragraphs[0].style
    assert east_asian(cell_style) == "仿宋_GB2312"
    assert cell_style.font.size == Pt(12)

    signature, date = rest[-2], rest[-1]
    assert signature.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert signature.text == "双桥区督查办"


def _page_field(footer: Any) -> str:
    return "".join(node.text for node in footer._element.iter(qn("w:instrText")))


def test_page_numbers_are_fields_odd_right_even_left(world, api_as):
    county(world)
    api = api_as("county_office")
    word = open_docx(api, issue(api, "bulletin"))
    assert word.settings.odd_and_even_pages_header_footer
    section = word.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        assert _page_field(footer).strip() == "PAGE"
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align
        assert paragraph.text == "— 1 —"


def test_missing_fonts_have_fallbacks_named_in_the_font_table(world, api_as):
    county(world)
    api = api_as("county_office")
    word = open_docx(api, issue(api, "bulletin"))
    part = next(r.target_part for r in word.part.rels.values() if r.reltype.endswith("/fontTable"))
    text = part.blob.decode()
    for font, fallback in (
        ("方正小标宋简体", "宋体"),
        ("仿宋_GB2312", "仿宋"),
        ("楷体_GB2312", "楷体"),
    ):
        assert f'w:name="{font}"><w:altName w:val="{fallback}"/>' in text
