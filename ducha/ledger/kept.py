"""The rows of a checked ledger, kept beside its file for the import's re-check.

The import checks every row again, so that a row which no longer passes (a site removed,
a role withdrawn) stops it. Parsing the workbook again for that cost as much as a bulk
insert of the rows; the cell values read at the first check are kept instead, exactly
(types included), and the import checks those. Their hash is kept with the batch: a kept
file that is missing, changed or unreadable is ignored and the workbook read again.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.base import ContentFile

from ducha.ledger.models import ImportBatch
from ducha.ledger.reading import RawRow
from ducha.ledger.validation import SheetRows

VERSION = 1


class _Unkeepable(Exception):
    """A cell value with no exact JSON form: the workbook is read again instead."""


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Unkeepable
        return value
    # datetime before date: a datetime is a date too.
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"timedelta": [value.days, value.seconds, value.microseconds]}
    raise _Unkeepable


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    ((kind, text),) = value.items()
    if kind == "datetime":
        return datetime.fromisoformat(text)
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "time":
        return time.fromisoformat(text)
    if kind == "timedelta":
        days, seconds, micros = text
        return timedelta(days=days, seconds=seconds, microseconds=micros)
    raise ValueError(kind)


def dump(read: SheetRows, file_sha256: str) -> bytes | None:
    """The rows as bytes, or None when a value cannot be kept exactly."""
    try:
        rows = [
            [raw.number, {key: _encode(value) for key, value in raw.values.items()}]
            for raw in read.rows
        ]
    except _Unkeepable:
        return None
    document = {"version": VERSION, "file": file_sha256, "sheet": read.sheet, "rows": rows}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def load(blob: bytes, file_sha256: str) -> SheetRows | None:
    try:
        document = json.loads(blob)
        if document.get("version") != VERSION or document.get("file") != file_sha256:
            return None
        rows = [
            RawRow(int(number), {key: _decode(value) for key, value in values.items()})
            for number, values in document["rows"]
        ]
        return SheetRows(str(document["sheet"]), rows)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def keep(batch: ImportBatch, read: SheetRows | None) -> None:
    """Store the rows beside the batch's file and note their hash in its report (unsaved)."""
    blob = dump(read, batch.sha256) if read is not None else None
    if blob is None:
        batch.report.pop("kept", None)
        return
    storage = batch.file.storage
    name = storage.save(f"{batch.file.name}.rows.json", ContentFile(blob))
    batch.report["kept"] = {"name": name, "sha256": hashlib.sha256(blob).hexdigest()}


def kept_rows(batch: ImportBatch) -> SheetRows | None:
    """The rows kept at the check, if they are there unchanged."""
    kept = batch.report.get("kept")
    if not isinstance(kept, dict):
        return None
    storage = batch.file.storage
    try:
        with storage.open(str(kept["name"]), "rb") as stored:
            blob = stored.read()
    except (OSError, KeyError, ValueError):
        return None
    if hashlib.sha256(blob).hexdigest() != kept.get("sha256"):
        return None
    return load(blob, batch.sha256)


def forget(batch: ImportBatch) -> None:
    kept = batch.report.get("kept")
    if isinstance(kept, dict) and kept.get("name"):
        batch.file.storage.delete(str(kept["name"]))
