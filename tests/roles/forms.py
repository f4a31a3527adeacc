"""What a browser would send back from an admin page's form, as the test client's dict."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value") or "on"
            elif kind not in ("submit", "button", "file"):
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            if "multiple" not in a:  # a browser sends nothing for an empty multiple choice
                self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data


def form_data(html: str) -> dict[str, Any]:
    parser = _Form()
    parser.feed(html)
    # The empty template row of an inline is not a row.
    return {key: value for key, value in parser.data.items() if "__prefix__" not in key}


def add_membership_row(data: dict[str, Any], org: int, role: str) -> dict[str, Any]:
    """One more row in the user page's membership inline."""
    index = int(data["memberships-TOTAL_FORMS"])
    data = dict(data)
    data.update(
        {
            f"memberships-{index}-org": str(org),
            f"memberships-{index}-role": role,
            "memberships-TOTAL_FORMS": str(index + 1),
        }
    )
    return data
