"""The issued document's file: a PDF or a Word (.docx) file, judged by its bytes alone.

PDFs pass the evidence's check (no scripts, actions on opening or embedded files). A Word
file is a zip: its directory and manifest are read, never its text, and it is refused when it
is not a Word document, carries macros, controls or embedded objects, or would unpack to far
more than it weighs. OFD files are not taken: nothing here could look inside them as it does
into a PDF, and they would be handed on unread. Whatever is kept is only ever served as a
download (views.py, api.py).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput
from ducha.fieldwork.evidence import PDF_MAGIC, PDF_TYPE, FilesOnDisk, display_name, read_upload
from ducha.fieldwork.evidence_checks import check_pdf
from ducha.fieldwork.evidence_views import SANDBOX_POLICY
from ducha.policies.models import Policy, PolicyDocument

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP_MAGIC = b"PK\x03\x04"
# Old binary .doc files (and WPS's), and password-protected .docx files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MANIFEST = "[Content_Types].xml"
MANIFEST_MAX_BYTES = 256 * 1024
MAIN_PART = "word/document.xml"
# A letter of a few pages has tens of parts; a long one with pictures, hundreds.
MAX_ZIP_MEMBERS = 2000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Text XML packs ten or twenty to one; a zip bomb, hundreds. Below a megabyte nothing is said.
MAX_RATIO = 150
RATIO_FREE_BYTES = 1024 * 1024
# A macro-enabled document or template declares it in its manifest or carries a VBA part;
# controls and embedded objects (OLE packages can carry programs) are refused with them.
ACTIVE_TYPES = (b"macroenabled", b"vbaproject", b"activex", b"oleobject")
ACTIVE_PARTS = ("vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin")
ACTIVE_FOLDERS = ("/activex/", "/embeddings/")
WORD_MAIN = b"wordprocessingml.document.main+xml"


@dataclass(frozen=True)
class Prepared:
    """An upload that passed every check, as it will be stored."""

    content: bytes
    content_type: str
    extension: str
    sha256: str
    original_name: str


def _not_accepted() -> InvalidInput:
    return InvalidInput(
        _("This type of file is not accepted. Send the document as a PDF or a Word file (.docx)."),
        "document",
    )


def _old_word() -> InvalidInput:
    return InvalidInput(
        _(
            "Old Word files (.doc, .wps) and password-protected files are not accepted. "
            "Save the document as .docx or PDF without a password, and send that."
        ),
        "document",
    )


def _active_word() -> InvalidInput:
    return InvalidInput(
        _(
            "This Word file contains macros, controls or embedded objects and is not "
            "accepted. Save the document as PDF, or as a plain .docx, and send that."
        ),
        "document",
    )


def _check_sizes(data: bytes, members: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(member.file_size for member in members)
    too_much = unpacked > MAX_UNPACKED_BYTES
    if too_much or (unpacked > RATIO_FREE_BYTES and unpacked > MAX_RATIO * len(data)):
        raise _not_accepted()


def _check_word(data: bytes) -> None:
    """Refuse what is not a plain Word document, before anything opens it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            names = {member.filename for member in members}
            if MAIN_PART not in names or MANIFEST not in names or len(members) > MAX_ZIP_MEMBERS:
                raise _not_accepted()
            _check_sizes(data, members)
            info = package.getinfo(MANIFEST)
            if info.file_size > MANIFEST_MAX_BYTES:
                raise _not_accepted()
            manifest = package.read(info).lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _not_accepted() from None
    if any(marker in manifest for marker in ACTIVE_TYPES):
        raise _active_word()
    for name in names:
        low = "/" + name.lower()
        if low.endswith(ACTIVE_PARTS) or any(folder in low for folder in ACTIVE_FOLDERS):
            raise _active_word()
    if WORD_MAIN not in manifest:
        raise _not_accepted()  # a template, a workbook or a presentation


def _as_document(error: InvalidInput) -> InvalidInput:
    # The shared checks name the evidence's field; here the field is the document.
    error.field = "document"
    return error


def prepare(upload: UploadedFile) -> Prepared:
    """Check an upload by its content and say how it will be stored, or refuse it naming
    `document`."""
    try:
        data = read_upload(upload, settings.DUCHA_POLICY_DOCUMENT_MAX_BYTES)
        if data.startswith(PDF_MAGIC):
            check_pdf(data)
            content_type, extension = PDF_TYPE, ".pdf"
        elif data.startswith(ZIP_MAGIC):
            _check_word(data)
            content_type, extension = DOCX_TYPE, ".docx"
        elif data.startswith(OLE_MAGIC):
            raise _old_word()
        else:
            raise _not_accepted()
    except InvalidInput as error:
        raise _as_document(error) from None
    return Prepared(
        content=data,
        content_type=content_type,
        extension=extension,
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=display_name(upload.name),
    )


def store(policy: Policy, prepared: Prepared, acting_user: Any) -> PolicyDocument:
    """Write the file and its row inside the caller's transaction; the file leaves the disk
    again when that transaction does not commit."""
    row = PolicyDocument(
        policy=policy,
        content_type=prepared.content_type,
        extension=prepared.extension,
        size=len(prepared.content),
        sha256=prepared.sha256,
        original_name=prepared.original_name,
        uploaded_by=acting_user,
    )
    files = FilesOnDisk(row.file.storage)
    files.keep_on_commit()
    try:
        row.file.save(prepared.sha256 + prepared.extension, ContentFile(prepared.content), False)
        files.add(row.file.name)
        row.save()
    except BaseException:
        files.delete_now()
        raise
    return row


def download_name(row: PolicyDocument) -> str:
    """The name it was sent under, with the extension of what it is."""
    stem = PurePosixPath(row.original_name).stem or "document"
    return stem[:150] + row.extension


def file_response(row: PolicyDocument) -> FileResponse:
    """The stored file, always as a download, with the headers that keep it inert: the
    browser neither guesses its type nor renders it as a page of ours."""
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=download_name(row), content_type=row.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = "private"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
