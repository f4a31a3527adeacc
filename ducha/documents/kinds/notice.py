"""通知: a notice from an office, such as one setting out discipline requirements.

The office writes it all: an opening paragraph, numbered items (one a line: 一、二、… or
1. 2. …) and a closing. Nothing is drafted from the data, so drafting again changes
nothing; it is numbered, issued and kept like every other kind.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.errors import InvalidInput
from ducha.core.text import text_error
from ducha.documents.kinds.common import Block, Drafted, cn_numeral, paragraph, written_paragraphs
from ducha.orgs.models import Org

MAX_ITEMS = 30
MAX_ITEM = 500  # characters of one item
CHINESE, ARABIC = "chinese", "arabic"
NUMBERINGS = (CHINESE, ARABIC)
ITEMS_FIELD = "texts.items"
# A number typed in front of an item ("三、", "（三）", "3.", "3、"): the notice numbers its
# items itself, so a typed one would print twice.
TYPED_NUMBER = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十百零]+[)）]|[一二三四五六七八九十百零]+、"
    r"|\d+(?:[、．)）]|\.(?!\d)))\s*"
)


def item_lines(text: str) -> list[str]:
    """The items as typed, one a line; blank lines before the first or after the last item
    do not count."""
    return [TYPED_NUMBER.sub("", line, count=1).strip() for line in text.strip().splitlines()]


def item_label(numbering: str, number: int) -> str:
    # The label is a property of the script the notice is printed in, not a phrase.
    return f"{number}." if numbering == ARABIC else f"{cn_numeral(number)}、"


class NoticeKind:
    kind = "notice"
    text_keys = [
        ("opening", gettext_lazy("Opening")),
        ("items", gettext_lazy("Numbered items, one a line")),
        ("closing", gettext_lazy("Closing")),
    ]

    def default_title(self, issuer: Org, params: dict[str, Any], drafted: Drafted) -> str:
        return _("Notice")

    def default_addressee(self, issuer: Org, drafted: Drafted) -> str:
        return ""

    def default_texts(self) -> dict[str, str]:
        return {"opening": "", "items": "", "closing": ""}

    def clean_params(self, issuer: Org, raw: dict[str, Any]) -> dict[str, Any]:
        numbering = raw.get("numbering") or CHINESE
        if numbering not in NUMBERINGS:
            raise InvalidInput(
                _("Select a valid choice. That choice is not one of the available choices."),
                "numbering",
            )
        return {"numbering": numbering}

    def clean_texts(self, texts: dict[str, str]) -> dict[str, str]:
        """Every item on a line of its own, none empty, each and their number bounded."""
        if "items" not in texts:
            return texts
        items = item_lines(texts["items"]) if texts["items"] else []
        if len(items) > MAX_ITEMS:
            raise InvalidInput(
                _("A notice has at most %(max)s numbered items (this one has %(count)s).")
                % {"max": MAX_ITEMS, "count": len(items)},
                ITEMS_FIELD,
            )
        for number, item in enumerate(items, 1):
            if not item:
                raise InvalidInput(
                    _("Item %(number)s is empty: write it, or remove the empty line.")
                    % {"number": number},
                    ITEMS_FIELD,
                )
            error = text_error(item, max_length=MAX_ITEM, multiline=False)
            if error is not None:
                raise InvalidInput(
                    _("Item %(number)s: %(error)s") % {"number": number, "error": error},
                    ITEMS_FIELD,
                )
        return texts | {"items": "\n".join(items)}

    def draft(self, issuer: Org, params: dict[str, Any], now: datetime) -> Drafted:
        return Drafted({"numbering": params.get("numbering", CHINESE)}, [])

    def compose(self, texts: dict[str, str], data: dict[str, Any]) -> list[Block]:
        numbering = data.get("numbering", CHINESE)
        items = [item for item in item_lines(texts.get("items", "")) if item]
        blocks = written_paragraphs(texts.get("opening", ""))
        blocks += [
            paragraph(item_label(numbering, number) + item, written=True)
            for number, item in enumerate(items, 1)
        ]
        blocks += written_paragraphs(texts.get("closing", ""))
        return blocks
