"""Reading an uploaded ledger: is it an .xlsx we can open safely, which columns it has, its rows.

Nothing here knows about problems or jurisdictions; it turns bytes into numbered rows of
raw cell values, or refuses the whole file with a `FileRefused` that says why.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from openpyxl import load_workbook

from ducha.core.errors import InvalidInput
from ducha.ledger.columns import PROBLEM_COLUMNS, ColumnSet, in_every_language, normalize
from ducha.ledger.conf import ledger_setting
from ducha.ledger.messages import file_message, list_separator
from ducha.ledger.sheet_rows import sheet_values

ZIP_MAGIC = b"PK\x03\x04"
# Old binary .xls files and password-protected .xlsx files are OLE compound documents.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ZIP_MEMBERS = 2000
PROGRESS_EVERY = 500
MANIFEST = "[Content_Types].xml"
MANIFEST_MAX_BYTES = 256 * 1024
# Below this, a zip's ratio says nothing (a short sheet of empty cells packs very well).
RATIO_FREE_BYTES = 1024 * 1024
# A file is checked during the request when it is at most DUCHA_LEDGER_INLINE_BYTES and
# unpacks to at most this many times that, with at most this many strings per inline row;
# anything else waits for the worker.
INLINE_UNPACKED_FACTOR = 16
INLINE_STRINGS_PER_ROW = 100
# Macro-enabled workbooks, templates, add-ins and their Word and PowerPoint cousins.
MACRO_SUFFIXES = frozenset({".xlsm", ".xltm", ".xlam", ".docm", ".dotm", ".pptm", ".potm"})
MACRO_TYPES = (b"macroenabled", b"vbaproject", b"ms-excel.macrosheet", b"ms-excel.intlmacrosheet")
MACRO_PARTS = ("vbaproject.bin", "vbaprojectsignature.bin", "vbadata.xml")
MACRO_FOLDERS = ("/macrosheets/", "/activex/")
HEAD_BYTES = 4096
_OVERRIDE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Override\b[^>]*>")
_ATTRIBUTE = re.compile(rb"""(\w+)\s*=\s*["']([^"']*)["']""")
_COUNT = re.compile(rb"""\b(?:uniqueCount|count)\s*=\s*["'](\d+)["']""")
_STRING_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


class FileRefused(InvalidInput):
    """The whole file is refused; `code` and `params` say why in any language."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(file_message(code, params), "file")
        self.code = code
        self.params = params

    def as_report(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


@dataclass
class RawRow:
    number: int  # as Excel shows it
    values: dict[str, Any]


@dataclass
class Layout:
    """Which column of the sheet holds which ledger column."""

    sheet: str
    positions: dict[str, int]
    headings: dict[str, str] = field(default_factory=dict)  # key → heading as written
    estimated_rows: int = 0


def read_upload(upload: UploadedFile) -> bytes:
    """The upload's bytes, refusing what is too large without reading all of it."""
    if PurePosixPath(upload.name or "").suffix.lower() in MACRO_SUFFIXES:
        raise FileRefused("macros")
    limit = ledger_setting("DUCHA_LEDGER_MAX_BYTES")
    if upload.size is not None and upload.size > limit:
        raise FileRefused("too_large", limit=filesizeformat(limit))
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise FileRefused("too_large", limit=filesizeformat(limit))
    if not data:
        raise FileRefused("empty_upload")
    return data


@dataclass(frozen=True)
class Package:
    """What the zip directory and the manifest say the workbook holds, read before parsing."""

    packed: int
    unpacked: int
    shared_strings: int

    @property
    def small(self) -> bool:
        """Cheap enough to check during the request: small packed and unpacked, few strings."""
        inline = ledger_setting("DUCHA_LEDGER_INLINE_BYTES")
        return (
            self.packed <= inline
            and self.unpacked <= INLINE_UNPACKED_FACTOR * inline
            and self.shared_strings
            <= INLINE_STRINGS_PER_ROW * ledger_setting("DUCHA_LEDGER_INLINE_ROWS")
        )


def check_package(data: bytes, columns: ColumnSet = PROBLEM_COLUMNS) -> Package:
    """Refuse what is not an .xlsx, what carries macros, and zips that would unpack to more
    than we accept: in total, in ratio to their size, or in shared strings.

    Everything here reads the zip directory, the manifest and the shared-strings part as
    bytes; openpyxl (whose parse of 6 million shared strings took 161 s) sees only what
    passed.
    """
    if data.startswith(OLE_MAGIC):
        raise FileRefused("old_format")
    if not data.startswith(ZIP_MAGIC):
        raise FileRefused("not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            names = {member.filename for member in members}
            if "xl/workbook.xml" not in names or len(members) > MAX_ZIP_MEMBERS:
                raise FileRefused("not_xlsx")
            unpacked = _check_sizes(data, members)
            manifest = _manifest(package)
            _refuse_macros(names, manifest)
            strings = sum(
                _count_strings(package, part, columns.max_strings_setting)
                for part in _string_parts(manifest)
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise FileRefused("not_xlsx") from None
    return Package(packed=len(data), unpacked=unpacked, shared_strings=strings)


def _check_sizes(data: bytes, members: list[zipfile.ZipInfo]) -> int:
    unpacked = sum(member.file_size for member in members)
    limit = ledger_setting("DUCHA_LEDGER_MAX_UNPACKED_BYTES")
    if unpacked > limit:
        raise FileRefused("unpacked_too_large", limit=filesizeformat(limit))
    # Sheet XML packs 10–50 to one (our own exports about 40); a bomb packs hundreds.
    ratio = ledger_setting("DUCHA_LEDGER_MAX_RATIO")
    if unpacked > RATIO_FREE_BYTES and unpacked > ratio * len(data):
        raise FileRefused("packed_too_tightly", ratio=ratio)
    return unpacked


def _manifest(package: zipfile.ZipFile) -> bytes:
    try:
        info = package.getinfo(MANIFEST)
    except KeyError:
        raise FileRefused("not_xlsx") from None
    if info.file_size > MANIFEST_MAX_BYTES:
        raise FileRefused("not_xlsx")
    return package.read(info)


def _refuse_macros(names: set[str], manifest: bytes) -> None:
    """VBA projects, Excel 4 macro sheets and ActiveX controls, by part or by content type;
    a macro workbook is refused as a whole rather than passed on to colleagues."""
    lowered = manifest.lower()
    if any(marker in lowered for marker in MACRO_TYPES):
        raise FileRefused("macros")
    for name in names:
        low = "/" + name.lower()
        if low.endswith(MACRO_PARTS) or any(folder in low for folder in MACRO_FOLDERS):
            raise FileRefused("macros")


def _string_parts(manifest: bytes) -> list[str]:
    """The parts the manifest declares as shared strings (where openpyxl looks for them)."""
    parts = []
    for element in _OVERRIDE.findall(manifest):
        attributes = dict(_ATTRIBUTE.findall(element))
        if b"sharedstrings" in attributes.get(b"ContentType", b"").lower():
            parts.append(attributes.get(b"PartName", b"").decode("utf-8", "replace").lstrip("/"))
    return parts


def _count_strings(package: zipfile.ZipFile, part: str, limit_setting: str) -> int:
    """How many shared strings the part holds: refused beyond the limit by its declared
    counts, its size in the directory, or by counting its items, before any XML parsing."""
    limit = ledger_setting(limit_setting)
    size_limit = ledger_setting("DUCHA_LEDGER_MAX_SHARED_STRINGS_BYTES")
    try:
        info = package.getinfo(part)
    except KeyError:
        return 0  # openpyxl then finds no strings either and the sheet reads as damaged
    if info.file_size > size_limit:
        raise FileRefused("too_many_strings", limit=limit)
    # zipfile stops at the declared size (and fails the CRC check past it), so this read is
    # bounded by what the directory said.
    content = package.read(info)
    head = content[:HEAD_BYTES]
    if any(int(value) > limit for value in _COUNT.findall(head)):
        raise FileRefused("too_many_strings", limit=limit)
    count = 0
    for _item in _STRING_ITEM.finditer(content):
        count += 1
        if count > limit:
            raise FileRefused("too_many_strings", limit=limit)
    return count


def _open_sheet(data: bytes, columns: ColumnSet) -> Any:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on damaged files; all mean the same here
        raise FileRefused("unreadable") from None
    wanted = in_every_language(columns.sheet)
    sheets = [ws for ws in book.worksheets if hasattr(ws, "iter_rows")]
    if not sheets:
        raise FileRefused("no_header")
    named = [ws for ws in sheets if normalize(ws.title) in wanted]
    return (named or sheets)[0]


def _layout(sheet: Any, header: tuple[Any, ...], columns: ColumnSet) -> Layout:
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    unknown: list[str] = []
    twice: list[str] = []
    for index, value in enumerate(header):
        heading = "" if value is None else str(value).strip()
        if not heading:
            continue
        key = columns.key_for(heading)
        if key is None:
            unknown.append(heading)
        elif key in positions:
            twice.append(heading)
        else:
            positions[key] = index
            written[key] = heading
    separator = list_separator()
    if not positions and not unknown:
        raise FileRefused("no_header")
    if unknown:
        raise FileRefused("unknown_headings", headings=separator.join(unknown))
    if twice:
        raise FileRefused("duplicate_headings", headings=separator.join(twice))
    missing = [str(c.label) for c in columns.required if c.key not in positions]
    if missing:
        raise FileRefused("missing_headings", headings=separator.join(missing))
    return Layout(sheet=str(sheet.title), positions=positions, headings=written)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_title(row: tuple[Any, ...], columns: ColumnSet) -> bool:
    filled = [value for value in row if not _blank(value)]
    return len(filled) == 1 and columns.key_for(str(filled[0]).strip()) is None


class LedgerFile:
    """An opened ledger: its layout (checked on opening) and an iterator over its rows."""

    def __init__(self, data: bytes, columns: ColumnSet = PROBLEM_COLUMNS) -> None:
        self.columns = columns
        self.package = check_package(data, columns)
        self._sheet = _open_sheet(data, columns)
        estimated = self._sheet.max_row or 0
        # Every row there is, whatever size the file states: some programs write a wrong one.
        self._rows = sheet_values(self._sheet)
        self._header_row = 1
        try:
            header = next(self._rows)
            # An exported ledger starts with a title line above its header: one cell that
            # names no column.
            if _is_title(header, columns):
                header = next(self._rows)
                self._header_row = 2
        except StopIteration:
            raise FileRefused("no_header") from None
        except Exception:
            raise FileRefused("unreadable") from None
        self.layout = _layout(self._sheet, tuple(header), columns)
        self.layout.estimated_rows = max(estimated - self._header_row, 0)

    def rows(self, progress: Callable[[int, int], None] | None = None) -> Iterator[RawRow]:
        """Non-blank rows with their Excel row numbers; refuses files with too many."""
        limit = ledger_setting(self.columns.max_rows_setting)
        positions = self.layout.positions
        count = 0
        number = self._header_row
        try:
            for values in self._rows:
                number += 1
                if all(_blank(v) for v in values):
                    continue
                count += 1
                if count > limit:
                    raise FileRefused("too_many_rows" + self.columns.codes, limit=limit)
                if progress and count % PROGRESS_EVERY == 0:
                    progress(count, self.layout.estimated_rows)
                yield RawRow(
                    number,
                    {
                        key: values[index] if index < len(values) else None
                        for key, index in positions.items()
                    },
                )
        except FileRefused:
            raise
        except Exception:
            raise FileRefused("unreadable") from None
        if count == 0:
            raise FileRefused("no_rows" + self.columns.codes)
