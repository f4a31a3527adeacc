"""Workbooks that would cost too much or carry macros are refused before openpyxl reads them;
only small ones are checked during the request."""

from __future__ import annotations

import io
import zipfile

import pytest

from ducha.ledger import reading
from ducha.ledger.models import ImportBatch
from tests.ledger.conftest import api_upload, row, upload_file, workbook

pytestmark = pytest.mark.django_db

STRINGS = "xl/sharedStrings.xml"
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def repack(data: bytes, change: dict[str, bytes | None], *, add: dict[str, bytes] | None = None):
    """The workbook with some parts replaced (None drops one) and others added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            content = change.get(info.filename, old.read(info))
            if content is not None:
                new.writestr(info.filename, content)
        for name, content in (add or {}).items():
            new.writestr(name, content)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name)


def with_strings(extra: int, *, declared: int | None = None, attributes: bool = True) -> bytes:
    """A good workbook (its cells inline) with a shared-strings table of `extra` strings,
    declared in the manifest where Excel and openpyxl look for it."""
    data = workbook([row()])
    count = extra if declared is None else declared
    attrs = b' count="%d" uniqueCount="%d"' % (count, count) if attributes else b""
    table = b'<sst xmlns="%s"%s>%s</sst>' % (MAIN, attrs, b"<si><t>x</t></si>" * extra)
    types = part(data, "[Content_Types].xml").replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/></Types>' % SST
    )
    return repack(data, {"[Content_Types].xml": types}, add={STRINGS: table})


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if openpyxl is asked to open the workbook at all."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(reading, "load_workbook", refuse)


def _refused(response, text: str) -> None:
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "file"
    assert text in response.json()["detail"]
    assert not ImportBatch.objects.exists()


MACROS = "Workbooks with macros"


def test_a_workbook_with_a_vba_project_is_refused(world, api_as, no_parsing):
    data = workbook([row()])
    types = part(data, "[Content_Types].xml").replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    xlsm = repack(
        data, {"[Content_Types].xml": types}, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0vba"}
    )
    api = api_as("county_office")
    api.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    _refused(api_upload(api, xlsm, name="台账.xlsx"), MACROS)


@pytest.mark.parametrize(
    "parts",
    [
        {"xl/vbaProject.bin": b"vba"},  # the part alone, the manifest silent about it
        {"xl/macrosheets/sheet2.xml": b"<xm:macrosheet/>"},  # Excel 4 macros
        {"xl/activeX/activeX1.xml": b"<ax:ocx/>"},
    ],
)
def test_any_macro_part_is_refused(world, api_as, no_parsing, parts):
    api = api_as("county_office")
    api.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    _refused(api_upload(api, repack(workbook([row()]), {}, add=parts)), MACROS)


def test_a_macro_workbook_content_type_is_refused(world, api_as, no_parsing):
    data = workbook([row()])
    types = part(data, "[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    api = api_as("county_office")
    api.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    _refused(api_upload(api, repack(data, {"[Content_Types].xml": types})), MACROS)


@pytest.mark.parametrize("name", ["台账.xlsm", "台账.XLTM", "report.docm"])
def test_macro_file_names_are_refused_on_the_page_too(world, login, name):
    client = login(world, "county_office")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post("/ledger/imports/", {"file": upload_file(workbook([row()]), name)})
    assert response.status_code == 422
    assert MACROS in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_shared_strings_bomb_is_refused_without_parsing(world, api_as, no_parsing):
    """6 million shared strings in about 250 KiB: openpyxl took 161 s and 570 MiB on it."""
    bomb = with_strings(6_000_000)
    assert len(bomb) < 512 * 1024
    response = api_upload(api_as("county_office"), bomb)
    assert response.status_code == 422
    assert response.json()["field"] == "file"
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda: with_strings(0, declared=6_000_000), id="declared count"),
        pytest.param(lambda: with_strings(150, attributes=False), id="counted items"),
    ],
)
def test_too_many_shared_strings_are_refused_by_count(world, api_as, settings, no_parsing, data):
    settings.DUCHA_LEDGER_MAX_SHARED_STRINGS = 100
    response = api_upload(api_as("county_office"), data())
    _refused(response, "超过 100 个不同的文本")


def test_a_shared_strings_part_too_large_is_refused_from_the_directory(
    world, api_as, settings, no_parsing
):
    settings.DUCHA_LEDGER_MAX_SHARED_STRINGS_BYTES = 2000
    response = api_upload(api_as("county_office"), with_strings(200, attributes=False))
    _refused(response, "超过 100000 个不同的文本")


def test_strings_below_the_limit_are_read(world, api_as, settings):
    settings.DUCHA_LEDGER_MAX_SHARED_STRINGS = 100
    response = api_upload(api_as("county_office"), with_strings(80))
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "validated"


def test_a_zip_packed_too_tightly_is_refused(world, api_as, no_parsing):
    data = workbook([row()])
    sheet = part(data, "xl/worksheets/sheet1.xml")
    padded = sheet.replace(b"</worksheet>", b" " * 8_000_000 + b"</worksheet>")
    response = api_upload(
        api_as("county_office"), repack(data, {"xl/worksheets/sheet1.xml": padded})
    )
    _refused(response, "解压后超过其大小的 150 倍")


def test_a_small_file_with_many_strings_goes_to_the_worker(world, api_as, settings):
    """Small in bytes is not enough to be checked in the request: strings count too."""
    settings.DUCHA_LEDGER_INLINE_ROWS = 1  # at most 100 strings checked in the request
    api = api_as("county_office")
    small = api_upload(api, with_strings(10))
    assert small.status_code == 201 and small.json()["state"] == "validated"
    many = api_upload(api, with_strings(150))
    assert many.status_code == 201
    assert many.json()["state"] == "uploaded"  # waiting for the worker's check
    assert len(with_strings(150)) <= settings.DUCHA_LEDGER_INLINE_BYTES
