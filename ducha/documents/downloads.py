"""Serving an issued document's files, for the pages and the API alike."""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse, Http404

from ducha.documents.choices import FileFormat
from ducha.documents.files import CONTENT_TYPES, docx_to_pdf, download_name, soffice
from ducha.documents.models import Document

SANDBOX_POLICY = "default-src 'none'; sandbox"


def pdf_available() -> bool:
    return soffice() is not None


def file_response(document: Document, file_format: str) -> FileResponse:
    """The stored file as a download; the PDF is rendered from the stored Word file."""
    wanted = FileFormat.DOCX if file_format == "pdf" else file_format
    row = document.files.filter(format=wanted).first()
    if row is None:
        raise Http404
    if file_format == "pdf" and not pdf_available():
        raise Http404
    try:
        handle: Any = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if file_format == "pdf":
        with handle:
            handle = io.BytesIO(docx_to_pdf(handle.read()))
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
