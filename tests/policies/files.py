"""Files a command HQ might attach to a policy, and files that only pretend to be one."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from ducha.policies.files import DOCX_TYPE

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PDF_WITH_SCRIPT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
OLD_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512


def word(text: str = "各卡口实行进出车辆逐车登记。") -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def repacked(data: bytes, extra: dict[str, bytes], manifest_from: str = "", to: str = "") -> bytes:
    """The zip again with parts added, and a text of its manifest replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "[Content_Types].xml" and manifest_from:
                content = content.replace(manifest_from.encode(), to.encode())
            target.writestr(item, content)
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


def with_macros() -> bytes:
    """A .docm saved under .docx: the manifest says macro-enabled, a VBA project inside."""
    return repacked(
        word(),
        {"word/vbaProject.bin": b"\x00" * 64},
        "wordprocessingml.document.main+xml",
        "ms-word.document.macroEnabled.main+xml",
    )


def workbook() -> bytes:
    """A zip that is no Word document (an Excel file's parts)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def upload(data: bytes, name: str = "关于规范卡口车辆登记的通知.docx") -> SimpleUploadedFile:
    # The browser's claimed type says nothing: the content decides.
    return SimpleUploadedFile(name, data, content_type=DOCX_TYPE)


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
