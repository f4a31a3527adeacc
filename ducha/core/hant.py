"""Traditional-script pages show the data in traditional script too.

The labels come from the zh_Hant catalogues; names and titles come from the database in
simplified script. For a reader whose language is zh-Hant, the text between the tags of an
HTML page is converted with OpenCC (s2tw: characters only, in the standard forms the
catalogues use, so a label already in traditional script stays as translated — s2t would
turn 核實 into 覈實 — and a unit's or a place's name is never rewritten into another
region's vocabulary) and Chinese quotation marks become 「」.

Left as they are: attribute values (an input's value is posted back and must stay what is
stored), the contents of <textarea> (the same), <script> and <style>, and every answer that
is not a whole HTML page or fragment: JSON, downloads, streamed files.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

HANT = "zh-hant"
# Tags whose contents are not text to read, and the tags themselves: split out unchanged.
_MARKUP = re.compile(
    r"(<(?:script|style|textarea)\b.*?</(?:script|style|textarea)\s*>|<!--.*?-->|<[^>]*>)",
    re.IGNORECASE | re.DOTALL,
)
_HAN = re.compile(r"[\u3400-\u9fff“”‘’]")
_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})
_lock = threading.Lock()


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("s2tw")


def to_traditional(text: str) -> str:
    """Simplified script and Chinese quotation marks in traditional usage."""
    if not _HAN.search(text):
        return text
    with _lock:
        converted: str = _converter().convert(text)
    return converted.translate(_QUOTES)


def convert_page(html: str) -> str:
    """Only the text between tags; every tag, attribute and protected element as it was."""
    parts = _MARKUP.split(html)
    # split() with one group: text at even positions, markup at odd ones.
    for index in range(0, len(parts), 2):
        parts[index] = to_traditional(parts[index])
    return "".join(parts)


def _is_page(response: HttpResponse) -> bool:
    if getattr(response, "streaming", False):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    return "attachment" not in response.get("Content-Disposition", "")


class TraditionalScriptMiddleware:
    """After the locale middleware: the reader's language is known when the answer passes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if get_language() != HANT or not _is_page(response):
            return response
        charset = response.charset or "utf-8"
        response.content = convert_page(response.content.decode(charset)).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
