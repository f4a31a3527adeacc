"""A ledger's rows are read with lxml (`ledger.sheet_rows`) and must come out exactly as
openpyxl's own read-only reader gives them: every kind of cell, rows left out, repeated or
out of order, shared and inline strings, dates by style."""

from __future__ import annotations

import io
import warnings
from datetime import datetime, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from ducha.ledger import reading
from ducha.ledger.sheet_rows import sheet_values
from tests.ledger.conftest import row, workbook
from tests.ledger.test_import_bounds import MAIN, SST, part, repack

SHEET = "xl/worksheets/sheet1.xml"

# Styles 1 and 2 of the base workbook are a date and a duration (see `_package`).
CELLS = """
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><r><t>富</t></r>
  <r><rPr><b/></rPr><t xml:space="preserve">文本 </t></r><rPh sb="0" eb="1"><t>ふ</t></rPh>
  </is></c><c r="D1" t="inlineStr"><is><t>&lt;&amp;&gt;</t></is></c></row>
<row r="3"><c r="A3"><v>12</v></c><c r="B3"><v>1.5</v></c><c r="C3"><v>1E3</v></c>
  <c r="D3" s="1"><v>46024.5</v></c><c r="E3" s="2"><v>0.125</v></c><c r="F3" t="b"><v>0</v></c>
  <c r="G3" t="e"><v>#N/A</v></c><c r="H3" t="str"><f>A1</f><v>公式</v></c>
  <c r="I3" t="d"><v>2026-01-02T03:04:05</v></c><c r="J3" t="n"><v>-7</v></c></row>
<row><c><v>7</v></c><c><v>8</v></c><c r="E4" t="s"><v>1</v></c><c r="F4"/></row>
<row r="4"><c r="A4"><v>99</v></c></row>
<row r="6" spans="1:3"/>
<row r="7"><c r="C7"><v>3</v></c><c r="A7"><v>1</v></c></row>
<row r="8.0"><c r="A8" s="1"><v>1e300</v></c><c r="B8" t="inlineStr"/><c r="C8" t="s"/></row>
<row r="10"><c r="AB10" t="s"><v>2</v></c></row>
"""
STRINGS = ["共享", "第二个", "  留空格  "]


def _package(cells: str, strings: list[str]) -> bytes:
    base = Workbook()
    sheet = base.active
    sheet["A1"] = datetime(2026, 1, 2, 3, 4)
    sheet["B1"] = timedelta(hours=3)
    out = io.BytesIO()
    base.save(out)
    data = out.getvalue()
    xml = f'<worksheet xmlns="{MAIN.decode()}"><sheetData>{cells}</sheetData></worksheet>'
    table = "".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in strings)
    sst = f'<sst xmlns="{MAIN.decode()}" count="{len(strings)}">{table}</sst>'
    override = b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/></Types>' % SST
    types = part(data, "[Content_Types].xml").replace(b"</Types>", override)
    return repack(
        data,
        {SHEET: xml.encode(), "[Content_Types].xml": types},
        add={"xl/sharedStrings.xml": sst.encode()},
    )


def _openpyxl_rows(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    sheet.reset_dimensions()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of the date out of range
        # A left-out row comes as [] from openpyxl, () from ours: both empty, read alike.
        return [tuple(values) for values in sheet.iter_rows(values_only=True)]


def _our_rows(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    return list(sheet_values(sheet))


def test_every_kind_of_cell_reads_as_openpyxl_reads_it():
    data = _package(CELLS, STRINGS)
    ours = _our_rows(data)
    assert ours == _openpyxl_rows(data)
    # What that agreement covers, spelled out.
    assert ours[0] == ("共享", None, "富文本 ", "<&>")
    assert ours[1] == ()  # row 2 is not in the file
    assert ours[2] == (
        12,
        1.5,
        1000.0,
        datetime(2026, 1, 2, 12, 0),
        timedelta(hours=3),
        False,
        "#N/A",
        "公式",
        datetime(2026, 1, 2, 3, 4, 5),
        -7,
    )
    assert ours[3] == (7, 8, None, None, "第二个", None)  # the repeated row 4 is left out
    assert ours[4:6] == [(), ()]
    assert ours[6] == (1,)  # as wide as its last cell says
    assert ours[7] == ("#VALUE!", None, None)
    assert ours[9][27] == "  留空格  " and len(ours[9]) == 28


@pytest.mark.parametrize("rows", [1, 3])
def test_a_template_ledger_reads_the_same(rows):
    data = workbook([row(title=f"问题{n}") for n in range(rows)])
    assert _our_rows(data) == _openpyxl_rows(data)


def test_a_broken_sheet_refuses_the_file():
    data = _package('<row r="1"><c r="A1" t="s"><v>0</v></c><c', ["标题"])
    with pytest.raises(reading.FileRefused) as refused:
        reading.LedgerFile(data)
    assert refused.value.code == "unreadable"
