"""Word files laid out as Chinese official documents (公文), after GB/T 9704-2012.

A4 with the standard's margins; the issuing body's name in red 小标宋 at the top, the
document reference centred under it above a red rule; the title in 2号 (22 pt) 小标宋; the
body in 3号 (16 pt) 仿宋_GB2312 on a fixed line pitch of 28.95 pt (22 lines a page), headings
in 黑体 / 楷体 / bold 仿宋 by level; the issuer and date at the end; the 版记 (抄送, 印发机关
and 印发日期 between rules) at the foot of the last page; page numbers "— 1 —" at the foot,
odd pages right and even pages left. East-Asian font names are set through
w:eastAsia, and the font table names a common fallback (w:altName) for each.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.run import Run
from lxml import etree

from ducha.core.text import writable
from ducha.documents.kinds import Composed
from ducha.documents.kinds.common import Block

# Font names as Chinese editions of Word and WPS know them (they are names, not text).
XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
LATIN = "Times New Roman"
# What to use where a font is missing: fonts that ship with Windows.
FALLBACKS = {
    XIAOBIAOSONG: SONGTI,
    FANGSONG: "仿宋",
    KAITI: "楷体",
    HEITI: "SimHei",
    SONGTI: "SimSun",
}

RED = "FF0000"
BODY_SIZE = 16  # 3号
TITLE_SIZE = 22  # 2号
PAGE_NUMBER_SIZE = 14  # 4号
IMPRINT_SIZE = 14  # 4号, the 版记's text
# The 版记's rules in eighths of a point: the first and last 0.35 mm, the one between 0.25 mm.
THICK_RULE, THIN_RULE = 8, 6
TABLE_SIZE = 12  # 小四
WIDE_TABLE_SIZE = 10.5  # 五号, for tables of seven columns or more
LINE = Pt(28.95)  # 22 lines on the standard's 225 mm type area
CHAR = Pt(BODY_SIZE)  # one character of body text
TYPE_WIDTH_MM = 210 - 28 - 26  # 156 mm
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TABLE_TEXT, TABLE_HEADER = "Ducha Table Text", "Ducha Table Header"
TABLE_TEXT_WIDE, TABLE_HEADER_WIDE = "Ducha Table Text Wide", "Ducha Table Header Wide"
NUMBER = re.compile(r"[\d.%]+")
HEADING_FONTS = {1: (HEITI, False), 2: (KAITI, False), 3: (FANGSONG, True)}


@lru_cache(maxsize=1)
def base_docx() -> bytes:
    """What every document shares (page, styles, fonts, page numbers), built once."""
    document = new_docx()
    _page(document)
    _styles(document)
    _table_styles(document)
    _fallback_fonts(document)
    _page_numbers(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx(composed: Composed, *, created: datetime, author: str) -> bytes:
    document = new_docx(io.BytesIO(base_docx()))
    _masthead(document, composed)
    _title(document, composed)
    for block in composed.blocks:
        if block.kind == "table":
            _table(document, block)
        elif block.kind == "heading":
            _heading(document, block)
        else:
            _body(document, block.text)
    _signature(document, composed)
    _imprint(document, composed)
    properties = document.core_properties
    properties.title = writable(composed.title)
    properties.subject = writable(composed.reference)
    properties.author = writable(author)
    properties.language = "zh-CN"
    properties.created = properties.modified = created
    properties.last_modified_by = writable(author)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- page and styles ------------------------------------------------------------------------


def _page(document: Any) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    # The page number sits 7 mm below the type area.
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 8)
    section.header_distance = Mm(15)


def set_fonts(target: Any, east_asian: str, latin: str = LATIN) -> None:
    """Fonts of a run or style: Latin for digits and letters, w:eastAsia for Chinese."""
    target.font.name = latin
    fonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)


def _styles(document: Any) -> None:
    normal = document.styles["Normal"]
    set_fonts(normal, FANGSONG)
    normal.font.size = Pt(BODY_SIZE)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    _fixed_lines(normal.paragraph_format)


def _fixed_lines(paragraph_format: Any, pitch: Any = LINE) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = pitch
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _fallback_fonts(document: Any) -> None:
    part = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    fonts = parse_xml(part.blob)
    for name, fallback in FALLBACKS.items():
        font = OxmlElement("w:font", {qn("w:name"): name})
        for tag, value in (("altName", fallback), ("charset", "86"), ("pitch", "variable")):
            font.append(OxmlElement(f"w:{tag}", {qn("w:val"): value}))
        fonts.append(font)
    # Part keeps the raw XML of parts python-docx does not model; 86 is the GB2312 charset.
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _run(
    paragraph: Any,
    text: str,
    font: str,
    size: float,
    *,
    bold: bool = False,
    color: str = "",
    latin: str = LATIN,
) -> Run:
    """A run with its fonts, size, weight and colour, written as XML in one step (setting
    them one property at a time through python-docx costs more than the rest together)."""
    properties = (
        f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{font}" w:cs="{latin}"/>'
    )
    if bold:
        properties += "<w:b/><w:bCs/>"
    if color:
        properties += f'<w:color w:val="{color}"/>'
    half_points = round(size * 2)
    properties += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    content = f'<w:t xml:space="preserve">{xml_text(text)}</w:t>' if text else ""
    element = parse_xml(f"<w:r {nsdecls('w')}><w:rPr>{properties}</w:rPr>{content}</w:r>")
    paragraph._p.append(element)
    return Run(element, paragraph)


def _paragraph(document: Any, *, align: Any = None, before: Any = None) -> Any:
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if before is not None:
        paragraph.paragraph_format.space_before = before
    return paragraph


# --- parts of the document ------------------------------------------------------------------


def masthead_size(text: str) -> float:
    """As large as fits one line of the type area, at most 36 pt."""
    fits = TYPE_WIDTH_MM / 25.4 * 72 / max(len(text), 1)
    return float(min(36, int(fits)))


def _masthead(document: Any, composed: Composed) -> None:
    size = masthead_size(composed.masthead)
    masthead = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, before=Mm(25))
    _fixed_lines(masthead.paragraph_format, Pt(size * 1.3))
    masthead.paragraph_format.space_before = Mm(25)
    _run(masthead, composed.masthead, XIAOBIAOSONG, size, color=RED, latin=XIAOBIAOSONG)
    # The reference two lines below, with the red rule 4 mm under it.
    reference = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, before=LINE * 2)
    _run(reference, composed.reference, FANGSONG, BODY_SIZE)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"val": "single", "sz": "12", "space": "11", "color": "FF0000"}.items():
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    reference.paragraph_format.element.get_or_add_pPr().append(border)


def _title(document: Any, composed: Composed) -> None:
    title = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, before=LINE * 2)
    _fixed_lines(title.paragraph_format, Pt(36))
    title.paragraph_format.space_before = LINE * 2
    _run(title, composed.title, XIAOBIAOSONG, TITLE_SIZE, latin=XIAOBIAOSONG)
    if composed.serial:
        serial = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER)
        _run(serial, _("(%(serial)s)") % {"serial": composed.serial}, KAITI, BODY_SIZE)
    if composed.addressee:
        addressee = _paragraph(document, before=LINE)
        _run(addressee, _("%(to)s:") % {"to": composed.addressee}, FANGSONG, BODY_SIZE)
    else:
        _paragraph(document)


def _body(document: Any, text: str) -> None:
    paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph.paragraph_format.first_line_indent = CHAR * 2
    _run(paragraph, text, FANGSONG, BODY_SIZE)


def _heading(document: Any, block: Block) -> None:
    font, bold = HEADING_FONTS.get(block.level, (FANGSONG, True))
    paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph.paragraph_format.first_line_indent = CHAR * 2
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, block.text, font, BODY_SIZE, bold=bold)


def _table_styles(document: Any) -> None:
    """Paragraph styles for table cells: one style per cell instead of formatting each run
    keeps a long list quick to write."""
    for name, font, size in (
        (TABLE_TEXT, FANGSONG, TABLE_SIZE),
        (TABLE_HEADER, HEITI, TABLE_SIZE),
        (TABLE_TEXT_WIDE, FANGSONG, WIDE_TABLE_SIZE),
        (TABLE_HEADER_WIDE, HEITI, WIDE_TABLE_SIZE),
    ):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        set_fonts(style, font)
        style.font.size = Pt(size)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        style.paragraph_format.first_line_indent = Pt(0)
        if font == HEITI:
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def xml_text(text: str) -> str:
    """Text as WordprocessingML character data: escaped, without what XML cannot carry
    (rows stored before text was checked may hold it)."""
    return escape(writable(text).replace("\r", ""))


def _cell(text: str, style_id: str, width: int) -> str:
    # Counts and rates are centred in their column; words read from the left.
    centred = '<w:jc w:val="center"/>' if NUMBER.fullmatch(text) else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{centred}</w:pPr>'
        f'<w:r><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r></w:p></w:tc>'
    )


def _table(document: Any, block: Block) -> None:
    """A bordered table across the type area, its header row repeated on every page.

    Written as one piece of XML: building a long list cell by cell through python-docx's
    objects takes many times longer."""
    columns = len(block.header)
    wide = columns >= 7
    styles = document.styles
    text_style = styles[TABLE_TEXT_WIDE if wide else TABLE_TEXT].style_id
    header_style = styles[TABLE_HEADER_WIDE if wide else TABLE_HEADER].style_id
    weights = block.widths or [1] * columns
    total = round(TYPE_WIDTH_MM / 25.4 * 1440)  # twips
    widths = [round(total * weight / sum(weights)) for weight in weights]
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    header = "".join(
        _cell(text, header_style, w) for text, w in zip(block.header, widths, strict=True)
    )
    rows = [f"<w:tr><w:trPr><w:tblHeader/></w:trPr>{header}</w:tr>"]
    for values in block.rows:
        cells = "".join(_cell(text, text_style, w) for text, w in zip(values, widths, strict=True))
        # A row is kept whole on one page.
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    table = parse_xml(
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblStyle w:val="{styles["Table Grid"].style_id}"/>'
        f'<w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    document.element.body._insert_tbl(table)
    # Body text resumes one line below the table.
    _paragraph(document)


def text_width(text: str) -> float:
    """Width in body characters: Chinese characters count 1, digits and letters half."""
    return sum(0.5 if ord(char) < 0x2E80 else 1.0 for char in text)


def signature_indents(signature: str, date_text: str) -> tuple[float, float]:
    """Right indents (in characters) of the issuer and the date, after GB/T 9704 7.3.5.2.

    The issuer stands two characters from the right; the date goes under it, its first
    character two to the right of the issuer's first; a longer date stays two from the right
    and pushes the issuer left.
    """
    name, day = text_width(signature), text_width(date_text)
    name_indent = max(2.0, day + 4 - name)
    return name_indent, name_indent + name - 2 - day


def _signature(document: Any, composed: Composed) -> None:
    name_indent, date_indent = signature_indents(composed.signature, composed.date_text)
    _paragraph(document)
    for text, indent in ((composed.signature, name_indent), (composed.date_text, date_indent)):
        paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(BODY_SIZE * indent)
        _run(paragraph, text, FANGSONG, BODY_SIZE)


def _imprint_cell(text: str, width: int, align: str, *, span: int = 1) -> str:
    # One character in from each end of the rules (GB/T 9704 7.4.2, 7.4.3).
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    indent = IMPRINT_SIZE * 20
    latin = LATIN
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}</w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="{round(LINE.pt * 20)}" '
        f'w:lineRule="exact"/><w:ind w:left="{indent}" w:right="{indent}"/>'
        f'<w:jc w:val="{align}"/></w:pPr>'
        f'<w:r><w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{FANGSONG}" '
        f'w:cs="{latin}"/><w:sz w:val="{IMPRINT_SIZE * 2}"/><w:szCs w:val="{IMPRINT_SIZE * 2}"/>'
        f'</w:rPr><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r></w:p></w:tc>'
    )


def _imprint(document: Any, composed: Composed) -> None:
    """The 版记 as a borderless table anchored to the foot of the type area on the last
    page: a thick rule above and below, a thin one between the 抄送 line and the 印发 line.
    A floating table keeps it at the foot however much of the page the body fills; the text
    before it wraps above it, or onto a new page when there is no room."""
    imprint = composed.imprint
    total = round(TYPE_WIDTH_MM / 25.4 * 1440)
    half = total // 2
    rows = []
    if imprint.copy_to:
        rows.append(f"<w:tr>{_imprint_cell(imprint.copy_to, total, 'left', span=2)}</w:tr>")
    rows.append(
        "<w:tr>"
        f"{_imprint_cell(imprint.office, half, 'left')}"
        f"{_imprint_cell(imprint.date_text, total - half, 'right')}"
        "</w:tr>"
    )
    borders = (
        f'<w:top w:val="single" w:sz="{THICK_RULE}" w:space="0" w:color="000000"/>'
        '<w:left w:val="nil"/>'
        f'<w:bottom w:val="single" w:sz="{THICK_RULE}" w:space="0" w:color="000000"/>'
        '<w:right w:val="nil"/>'
        f'<w:insideH w:val="single" w:sz="{THIN_RULE}" w:space="0" w:color="000000"/>'
        '<w:insideV w:val="nil"/>'
    )
    table = parse_xml(
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        '<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0" '
        'w:bottomFromText="0" w:vertAnchor="margin" w:horzAnchor="margin" '
        'w:tblpXSpec="center" w:tblpYSpec="bottom"/>'
        '<w:tblOverlap w:val="never"/>'
        f'<w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{borders}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
        "</w:tblCellMar>"
        f'<w:tblCaption w:val="{xml_text(_("Imprint"))}"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{total - half}"/></w:tblGrid>'
        f"{''.join(rows)}</w:tbl>"
    )
    document.element.body._insert_tbl(table)
    # A table cannot end a document body: Word wants a paragraph after it.
    _fixed_lines(document.add_paragraph().paragraph_format, Pt(1))


# --- page numbers ---------------------------------------------------------------------------


def _field_char(paragraph: Any, kind: str) -> None:
    run = _run(paragraph, "", SONGTI, PAGE_NUMBER_SIZE)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _page_field(paragraph: Any) -> None:
    """ "— 1 —" with the number as a PAGE field."""
    _run(paragraph, "— ", SONGTI, PAGE_NUMBER_SIZE)
    _field_char(paragraph, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    _run(paragraph, "", SONGTI, PAGE_NUMBER_SIZE)._r.append(instruction)
    _field_char(paragraph, "separate")
    _run(paragraph, "1", SONGTI, PAGE_NUMBER_SIZE)
    _field_char(paragraph, "end")
    _run(paragraph, " —", SONGTI, PAGE_NUMBER_SIZE)


def _page_numbers(document: Any) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        # One character in from the edge: right on odd pages, left on even ones.
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(PAGE_NUMBER_SIZE)
        else:
            paragraph.paragraph_format.left_indent = Pt(PAGE_NUMBER_SIZE)
        _page_field(paragraph)
