"""What bounds the work an evidence upload may cost, and what a PDF may not carry.

Decoding a photo is the expensive part of an upload (a 16-megapixel PNG needs a few
hundred MiB while it is redrawn), so photos are decoded one at a time in each process and
each user may send only so many files a minute. PDFs are kept as sent and handed to
colleagues, so one that would run something when opened (JavaScript, an action on opening,
a launched program, an embedded file) is refused rather than passed on.
"""

from __future__ import annotations

import re
import threading
import time
import zlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput

# One photo decoded at a time per process: four decodes at once took 2 GB in the attack.
DECODING = threading.Lock()


class TooManyUploads(InvalidInput):
    """More uploads this minute than a user may send; answered 429 with Retry-After."""

    status = 429

    def __init__(self, limit: int, retry_after: int) -> None:
        message = _(
            "Too many files: at most %(limit)d a minute. Try again in %(seconds)d seconds."
        ) % {"limit": limit, "seconds": retry_after}
        super().__init__(message, "file")
        self.retry_after = retry_after


def count_upload(user: Any) -> None:
    """Count one upload of this user in the current minute; refuse beyond the limit.

    A fixed window in the cache: shared by every process when the cache is Redis (as in
    production), per process otherwise.
    """
    limit = int(settings.DUCHA_EVIDENCE_UPLOADS_PER_MINUTE)
    if limit <= 0:
        return
    now = time.time()
    window = int(now // 60)
    key = f"ducha:evidence-uploads:{user.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=120)
        count = 1
    if count > limit:
        raise TooManyUploads(limit, max(1, int((window + 1) * 60 - now) + 1))


# --- PDFs ----------------------------------------------------------------------------------

# Names whose presence makes a reader act on its own: run script, act on opening or on an
# event, start a program, carry a file, or submit/import data.
ACTIVE_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"OpenAction",
        b"AA",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
        b"SubmitForm",
        b"ImportData",
        b"GoToE",
    }
)
OBJECT_STREAM = b"ObjStm"
# A name token: "/" and regular characters; "#xx" escapes spell any byte ("/J#61vaScript").
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}\x00]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
FLATE = frozenset({b"FlateDecode", b"Fl"})
OTHER_FILTERS = frozenset(
    {b"LZWDecode", b"LZW", b"ASCII85Decode", b"A85", b"ASCIIHexDecode", b"AHx"}
    | {b"RunLengthDecode", b"RL", b"Crypt", b"DecodeParms"}
)
# Bounds on the work of unpacking object streams: how many (real files have tens), what they
# unpack to together, and how far a dictionary may reach around its /ObjStm name.
OBJECT_STREAMS_MAX = 1000
OBJECT_STREAMS_MAX_BYTES = 32 * 1024 * 1024
DICTIONARY_REACH = 4096

# Regular expressions over the whole file, so that a file of millions of names costs no
# Python loop: the active names written plainly, /ObjStm, and any name with an escape in it.
_DELIMITED = rb"(?![^\s/<>\[\]()%{}\x00])"
# (The delimiter check makes the alternatives' order irrelevant: "/JS" fails on "/JSX".)
_ACTIVE = re.compile(rb"/(?:" + b"|".join(sorted(ACTIVE_NAMES)) + rb")" + _DELIMITED)
_OBJECT_STREAM = re.compile(rb"/" + OBJECT_STREAM + _DELIMITED)
_ESCAPED_NAME = re.compile(rb"/([^\s/<>\[\]()%{}\x00]*#[0-9A-Fa-f]{2}[^\s/<>\[\]()%{}\x00]*)")


def _unescape(match: re.Match[bytes]) -> bytes:
    return bytes([int(match.group(1), 16)])


def _names(data: bytes) -> set[bytes]:
    return {_ESCAPE.sub(_unescape, name) for name in set(_NAME.findall(data))}


def _active(data: bytes) -> bool:
    """Whether an active name is in the bytes, plainly or escaped. No producer escapes
    /ObjStm, so an escaped one counts too: its stream would escape the scan."""
    if _ACTIVE.search(data):
        return True
    escaped = {_ESCAPE.sub(_unescape, name) for name in set(_ESCAPED_NAME.findall(data))}
    return bool(escaped & (ACTIVE_NAMES | {OBJECT_STREAM}))


def _refused() -> InvalidInput:
    return InvalidInput(
        _(
            "This PDF contains scripts, actions or embedded files and is not accepted. "
            "Print it to a new PDF or scan the paper, and send that."
        ),
        "file",
    )


def _stream_start(data: bytes, keyword: int) -> int:
    start = keyword + len(b"stream")
    if data[start : start + 2] == b"\r\n":
        return start + 2
    return start + 1 if data[start : start + 1] in (b"\n", b"\r") else start


def _object_streams(data: bytes, positions: list[int]) -> Iterator[bytes]:
    """The unpacked contents of the file's object streams (PDF 1.5 compresses objects
    into them, where their names cannot be read from the raw bytes).

    Only Flate is unpacked; a stream that uses another filter, cannot be unpacked within
    the bounds, or overlaps another cannot be inspected, and the file is refused for it.
    Each stream is searched from where the previous one ended, so the work stays linear.
    """
    budget = OBJECT_STREAMS_MAX_BYTES
    done_to = 0
    for position in positions:
        if position < done_to:  # the name inside another stream's data
            raise _refused()
        reach = max(done_to, position - DICTIONARY_REACH)
        begin = data.rfind(b"obj", reach, position)
        keyword = data.find(b"stream", position, position + DICTIONARY_REACH)
        if keyword < 0:
            raise _refused()
        dictionary = _names(data[begin if begin >= 0 else reach : keyword])
        if not dictionary & FLATE or dictionary & OTHER_FILTERS:
            raise _refused()
        start = _stream_start(data, keyword)
        end = data.find(b"endstream", start)
        if end < 0:
            raise _refused()
        done_to = end
        unpacker = zlib.decompressobj()
        try:
            content = unpacker.decompress(data[start:end], budget)
        except zlib.error:
            raise _refused() from None
        if unpacker.unconsumed_tail:  # more than the bound
            raise _refused()
        budget -= len(content)
        yield content


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that carries active content, in its own objects or its object streams.

    Names are compared after undoing "#xx" escapes. Strings and streams of an encrypted
    PDF are unreadable, but dictionaries' names are not encrypted, so this holds there too.
    """
    if _active(data):
        raise _refused()
    positions = []
    for match in _OBJECT_STREAM.finditer(data):
        positions.append(match.start())
        if len(positions) > OBJECT_STREAMS_MAX:
            raise _refused()
    for content in _object_streams(data, positions):
        if _active(content):
            raise _refused()
