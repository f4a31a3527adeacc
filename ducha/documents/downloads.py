"""Serving an issued document's files, for the pages and the API alike."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.http import FileResponse, Http404

from ducha.documents.choices import FileFormat
from ducha.documents.files import (
    CONTENT_TYPES,
    docx_to_pdf,
    download_name,
    render_files,
    soffice,
)
from ducha.documents.models import Document, DocumentFile
from ducha.documents.readers import ReaderView

SANDBOX_POLICY = "default-src 'none'; sandbox"


def pdf_available() -> bool:
    return soffice() is not None


def _pdf_of(docx: DocumentFile) -> Any:
    """The PDF rendering of a stored Word file, converted once and kept under the Word file's
    hash: a rendering of the record, not part of it (the record lists only its own files)."""
    return _pdf_from(docx.file.storage, docx.sha256, lambda: _read(docx))


def _read(row: DocumentFile) -> bytes:
    with row.file.open("rb") as handle:
        return handle.read()


def _pdf_from(storage: Any, key: str, word: Callable[[], bytes]) -> Any:
    name = f"documents/pdf/{key}.pdf"
    if not storage.exists(name):
        content = docx_to_pdf(word())
        if not storage.exists(name):
            storage.save(name, ContentFile(content))
    return storage.open(name, "rb")


def _readers_copy(document: Document, row: DocumentFile, file_format: str, view: ReaderView) -> Any:
    """A file made on request from the reader's view of the frozen rows; never stored, so the
    record's own files stay the whole document."""
    if file_format != "pdf":
        return io.BytesIO(render_files(document, view.data)[row.format])
    # Word files carry the moment they were zipped, so the PDF is kept under what it shows:
    # the record (its Word file's hash) and the rows of this view.
    shown = json.dumps(view.data, sort_keys=True, default=str)
    key = hashlib.sha256(f"{row.sha256}\n{shown}".encode()).hexdigest()
    return _pdf_from(
        row.file.storage, f"view-{key}", lambda: render_files(document, view.data)[row.format]
    )


def file_response(document: Document, file_format: str, view: ReaderView) -> FileResponse:
    """The stored file as a download (the PDF rendered from the stored Word file); a reader
    who sees only part of the document gets the same files made from that part."""
    wanted = FileFormat.DOCX if file_format == "pdf" else file_format
    row = document.files.filter(format=wanted).first()
    if row is None or (file_format == "pdf" and not pdf_available()):
        raise Http404
    try:
        if not view.whole:
            handle = _readers_copy(document, row, file_format, view)
        else:
            handle = _pdf_of(row) if file_format == "pdf" else row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(document, file_format),
        content_type=CONTENT_TYPES[file_format],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = "private"
    return response
