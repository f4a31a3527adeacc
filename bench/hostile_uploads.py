"""What hostile uploads cost before they are refused, and what the largest accepted photo costs.

    .venv/bin/python -m bench.hostile_uploads

Each case runs in a fresh process, so that its peak RSS is its own:

- `pixel_bomb`: a PNG of a few KiB claiming 6300 × 6300 pixels, through the evidence check;
- `largest_photo`: a noisy 4000 × 4000 PNG (16 MP, the limit), decoded and redrawn;
- `strings_bomb`: a workbook of about 250 KiB holding 6,000,000 shared strings, through the
  ledger's package check; `strings_bomb_counted` the same with the ratio check switched off
  (DUCHA_LEDGER_MAX_RATIO), so that the strings are counted;
- `pdf_10mib`: a 10 MiB PDF (the evidence limit) with Flate object streams, through the
  active-content scan.

No database is used. Prints one JSON line per case: seconds, peak RSS in MiB, and whether the
file was refused. docs/decisions/0011-bounded-uploads-and-safe-defaults.md has the figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable

from bench import setup_django

CASES = ("pixel_bomb", "largest_photo", "strings_bomb", "strings_bomb_counted", "pdf_10mib")
SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _png(size: tuple[int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG")
    return out.getvalue()


def _photo(size: tuple[int, int]) -> bytes:
    """A camera-like JPEG: noise over a gradient, so that it is neither tiny nor over 10 MiB."""
    from PIL import Image

    noise = Image.effect_noise(size, 24).convert("RGB")
    gradient = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    Image.blend(noise, gradient, 0.5).save(out, "JPEG", quality=85)
    return out.getvalue()


def _strings_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST}"/></Types>',
        )
        book.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}"/>')
        items = "<si><t>x</t></si>" * 6_000_000
        count = 'count="6000000" uniqueCount="6000000"'
        book.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}" {count}>{items}</sst>')
    return out.getvalue()


def _pdf() -> bytes:
    parts = [b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"]
    size, number = len(parts[0]), 3
    while size < 10 * 1024 * 1024 - 70_000:
        packed = zlib.compress(os.urandom(16_384) + b"3 0 <</Type/Font/Subtype/Type1>>")
        part = b"%d 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % (
            number,
            len(packed),
        )
        part += packed + b"\nendstream endobj\n"
        parts.append(part)
        size += len(part)
        number += 1
    return b"".join(parts) + b"trailer<</Root 1 0 R>>\n%%EOF\n"


MAKERS: dict[str, Callable[[], bytes]] = {
    "pixel_bomb": lambda: _png((6300, 6300)),
    "largest_photo": lambda: _photo((4000, 4000)),
    "strings_bomb": _strings_bomb,
    "strings_bomb_counted": _strings_bomb,
    "pdf_10mib": _pdf,
}


def _run(case: str, path: str) -> dict[str, object]:
    if case == "strings_bomb_counted":
        os.environ["DUCHA_LEDGER_MAX_RATIO"] = str(10**9)
    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ducha.core.errors import InvalidInput
    from ducha.fieldwork.evidence import prepare_upload
    from ducha.ledger.reading import check_package

    with open(path, "rb") as handle:
        data = handle.read()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    refused = ""
    try:
        if case.startswith("strings_bomb"):
            check_package(data)
        else:
            prepare_upload(SimpleUploadedFile("f", data))
    except InvalidInput as error:
        refused = error.message
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "case": case,
        "bytes": len(data),
        "seconds": round(seconds, 3),
        "peak_rss_mib": round(peak / 1024),
        "rss_growth_mib": round((peak - base) / 1024),
        "refused": refused,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile_uploads", description=__doc__)
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--make", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.make:
        with open(args.make[1], "wb") as handle:
            handle.write(MAKERS[args.make[0]]())
        return
    if args.one:
        print(json.dumps(_run(*args.one), ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory() as folder:
        for case in args.cases:
            # Made and measured in processes of their own: Linux carries the peak RSS of a
            # parent over into the child it starts.
            path = os.path.join(folder, case)
            for mode in ("--make", "--one"):
                done = subprocess.run(
                    [sys.executable, "-m", "bench.hostile_uploads", mode, case, path],
                    capture_output=True,
                    text=True,
                    check=True,
                )
            print(done.stdout.strip())


if __name__ == "__main__":
    main()
