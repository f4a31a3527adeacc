"""Reading an uploaded ledger: is it an .xlsx we can open safely, which columns it has, its rows.

Nothing here knows about problems or jurisdictions; it turns bytes into numbered rows of
raw cell values, or refuses the whole file with a `FileRefused` that says why.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from openpyxl import load_workbook

from ducha.core.errors import InvalidInput
from ducha.ledger.columns import (
    COLUMNS,
    REQUIRED_KEYS,
    column_for_heading,
    in_every_language,
    normalize,
)
from ducha.ledger.conf import ledger_setting
from ducha.ledger.messages import file_message, list_separator
from ducha.ledger.sheets import DATA_SHEET

ZIP_MAGIC = b"PK\x03\x04"
# Old binary .xls files and password-protected .xlsx files are OLE compound documents.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ZIP_MEMBERS = 2000
PROGRESS_EVERY = 500


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


def check_package(data: bytes) -> None:
    """Refuse what is not an .xlsx, and zips that would unpack to more than we accept."""
    if data.startswith(OLE_MAGIC):
        raise FileRefused("old_format")
    if not data.startswith(ZIP_MAGIC):
        raise FileRefused("not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused("not_xlsx") from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names or len(members) > MAX_ZIP_MEMBERS:
        raise FileRefused("not_xlsx")
    limit = ledger_setting("DUCHA_LEDGER_MAX_UNPACKED_BYTES")
    if sum(member.file_size for member in members) > limit:
        raise FileRefused("unpacked_too_large", limit=filesizeformat(limit))


def _open_sheet(data: bytes) -> Any:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on damaged files; all mean the same here
        raise FileRefused("unreadable") from None
    wanted = in_every_language(DATA_SHEET)
    sheets = [ws for ws in book.worksheets if hasattr(ws, "iter_rows")]
    if not sheets:
        raise FileRefused("no_header")
    named = [ws for ws in sheets if normalize(ws.title) in wanted]
    return (named or sheets)[0]


def _layout(sheet: Any, header: tuple[Any, ...]) -> Layout:
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    unknown: list[str] = []
    twice: list[str] = []
    for index, value in enumerate(header):
        heading = "" if value is None else str(value).strip()
        if not heading:
            continue
        key = column_for_heading(heading)
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
    missing = [str(c.label) for c in COLUMNS if c.key in REQUIRED_KEYS and c.key not in positions]
    if missing:
        raise FileRefused("missing_headings", headings=separator.join(missing))
    return Layout(sheet=str(sheet.title), positions=positions, headings=written)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class LedgerFile:
    """An opened ledger: its layout (checked on opening) and an iterator over its rows."""

    def __init__(self, data: bytes) -> None:
        check_package(data)
        self._sheet = _open_sheet(data)
        estimated = self._sheet.max_row or 0
        # Some programs write a wrong size into the file; read every row there is instead.
        self._sheet.reset_dimensions()
        self._rows = self._sheet.iter_rows(values_only=True)
        try:
            header = next(self._rows)
        except StopIteration:
            raise FileRefused("no_header") from None
        except Exception:
            raise FileRefused("unreadable") from None
        self.layout = _layout(self._sheet, tuple(header))
        self.layout.estimated_rows = max(estimated - 1, 0)

    def rows(self, progress: Callable[[int, int], None] | None = None) -> Iterator[RawRow]:
        """Non-blank rows with their Excel row numbers; refuses files with too many."""
        limit = ledger_setting("DUCHA_LEDGER_MAX_ROWS")
        positions = self.layout.positions
        count = 0
        number = 1
        try:
            for values in self._rows:
                number += 1
                if all(_blank(v) for v in values):
                    continue
                count += 1
                if count > limit:
                    raise FileRefused("too_many_rows", limit=limit)
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
            raise FileRefused("no_rows")
