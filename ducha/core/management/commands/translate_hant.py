"""Write the zh_Hant catalogues from the zh_Hans ones through OpenCC (s2twp).

The Simplified catalogue is the one people edit; the Traditional one is derived from it, so
rerun this after `makemessages` and after any change to zh_Hans. Only msgstr text is
converted: msgids, comments, flags and placeholders such as %(name)s pass through unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import opencc
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DOMAINS = ("django", "djangojs")
PREAMBLE = (
    "# Ducha: Traditional Chinese, derived from zh_Hans by `manage.py translate_hant`.\n"
    "# Edit the zh_Hans catalogue and rerun the command; changes made here are overwritten.\n"
)
# msgstr "…" or msgstr[0] "…": the keyword and the quoted text.
MSGSTR = re.compile(r'^(msgstr(?:\[\d+\])?\s+)"(.*)"$')
CONTINUATION = re.compile(r'^"(.*)"$')


def convert_catalogue(text: str, convert: Any) -> str:
    """Convert the msgstr strings of a .po file; every other line is kept as it is."""
    out: list[str] = []
    section = ""  # "msgid" or "msgstr" while inside one; continuation lines follow it
    msgid_empty = False  # the header is the one entry whose msgid is empty
    lines = text.splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)  # the source's own preamble
    for line in lines:
        msgstr = MSGSTR.match(line)
        continuation = CONTINUATION.match(line)
        if line.startswith("msgid "):
            section, msgid_empty = "msgid", line == 'msgid ""'
        elif msgstr:
            section = "msgstr"
            line = f'{msgstr.group(1)}"{_convert(msgstr.group(2), convert, msgid_empty)}"'
        elif continuation and section == "msgid":
            msgid_empty = msgid_empty and not continuation.group(1)
        elif continuation and section == "msgstr":
            line = f'"{_convert(continuation.group(1), convert, msgid_empty)}"'
        elif not continuation:
            section = ""
        out.append(line)
    return PREAMBLE + "\n".join(out) + "\n"


def _convert(value: str, convert: Any, in_header: bool) -> str:
    if in_header:
        # The header is metadata; only the language changes.
        return value.replace("Language: zh_Hans", "Language: zh_Hant")
    return convert(value)


class Command(BaseCommand):
    help = "Derive the zh_Hant .po files from zh_Hans with OpenCC (s2twp)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--config",
            default="s2twp",
            help="OpenCC configuration (default s2twp: Taiwan standard with phrases).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        converter = opencc.OpenCC(options["config"])
        written = 0
        for locale_dir in map(Path, settings.LOCALE_PATHS):
            for domain in DOMAINS:
                source = locale_dir / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
                if not source.exists():
                    continue
                target = source.parents[2] / "zh_Hant" / "LC_MESSAGES" / f"{domain}.po"
                target.parent.mkdir(parents=True, exist_ok=True)
                text = source.read_text(encoding="utf-8")
                target.write_text(convert_catalogue(text, converter.convert), encoding="utf-8")
                written += 1
                self.stdout.write(f"{source} → {target}")
        if not written:
            raise CommandError("No zh_Hans catalogue found in LOCALE_PATHS.")
