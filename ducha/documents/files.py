"""The files of a document: Word always, Excel for problem lists, PDF where LibreOffice is
installed (converted from the Word file on request, never stored)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from ducha.documents.choices import WITH_WORKBOOK, FileFormat
from ducha.documents.gongwen import write_docx
from ducha.documents.kinds import compose, serial_phrase
from ducha.documents.kinds.problem_list import ProblemListKind
from ducha.documents.workbook import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE, write_xlsx

CONTENT_TYPES = {
    FileFormat.DOCX: DOCX_CONTENT_TYPE,
    FileFormat.XLSX: XLSX_CONTENT_TYPE,
    "pdf": "application/pdf",
}
PDF_TIMEOUT_SECONDS = 120


def render_files(document: Any, data: dict[str, Any] | None = None) -> dict[str, bytes]:
    """The files of an issued document, in the office's language (the site's default); from
    a reader's view of its data when one is given (never stored: the record is whole)."""
    data = document.data if data is None else data
    created = document.issued_at or timezone.now()
    author = document.issuer.name
    with translation.override(settings.LANGUAGE_CODE):
        files = {
            FileFormat.DOCX.value: write_docx(
                compose(document, data), created=created, author=author
            )
        }
        if document.kind in WITH_WORKBOOK:
            files[FileFormat.XLSX.value] = write_xlsx(
                ProblemListKind().sheet_rows(data),
                sheet=serial_phrase(document.kind, document.number) or document.kind,
                title=f"{document.reference} {document.title}".strip(),
                author=author,
                created=created,
            )
    return files


def download_name(document: Any, file_format: str) -> str:
    """The reference and title, as a person would save the file."""
    base = f"{document.reference}{document.title}" if document.reference else document.title
    cleaned = "".join("_" if char in '\\/:*?"<>|' else char for char in base)
    return f"{cleaned[:120]}.{file_format}"


def soffice() -> str | None:
    """LibreOffice's command, when this machine has it (`make libreoffice` installs it)."""
    return shutil.which(settings.DUCHA_SOFFICE)


def docx_to_pdf(docx: bytes) -> bytes:
    """Render a Word file to PDF with headless LibreOffice, in a private profile and folder."""
    command = soffice()
    if command is None:
        raise FileNotFoundError("soffice")
    with tempfile.TemporaryDirectory(prefix="ducha-pdf-") as folder:
        work = Path(folder)
        (work / "document.docx").write_bytes(docx)
        # A profile of its own, so that concurrent conversions do not wait on one another.
        profile = (work / "profile").as_uri()
        env = dict(os.environ)
        if settings.DUCHA_PDF_FONTCONFIG:
            # Missing official fonts become Simplified Chinese serif faces, not the Japanese
            # sans face fontconfig would offer first.
            env["FONTCONFIG_FILE"] = settings.DUCHA_PDF_FONTCONFIG
        subprocess.run(  # noqa: S603 - fixed arguments, no shell, a file we wrote ourselves
            [
                command,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(work / "document.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=PDF_TIMEOUT_SECONDS,
            env=env,
        )
        return (work / "document.pdf").read_bytes()
