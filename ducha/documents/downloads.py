"""Serving an issued document's files, for the pages and the API alike."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.http import FileResponse, Http404

from ducha.documents.choices import FileFormat
from ducha.documents.files import CONTENT_TYPES, docx_to_pdf, download_name, soffice
from ducha.documents.models import Document, DocumentFile

SANDBOX_POLICY = "default-src 'none'; sandbox"


def pdf_available() -> bool:
    return soffice() is not None


def _pdf_of(docx: DocumentFile) -> Any:
    """The PDF rendering of a stored Word file, converted once and kept under the Word file's
    hash: a rendering of the record, not part of it (the record lists only its own files)."""
    storage = docx.file.storage
    name = f"documents/pdf/{docx.sha256}.pdf"
    if not storage.exists(name):
        with docx.file.open("rb") as handle:
            content = docx_to_pdf(handle.read())
        if not storage.exists(name):
            storage.save(name, ContentFile(content))
    return storage.open(name, "rb")


def file_response(document: Document, file_format: str) -> FileResponse:
    """The stored file as a download; the PDF is rendered from the stored Word file."""
    wanted = FileFormat.DOCX if file_format == "pdf" else file_format
    row = document.files.filter(format=wanted).first()
    if row is None or (file_format == "pdf" and not pdf_available()):
        raise Http404
    try:
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
