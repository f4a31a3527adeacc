"""Reading a picker off a page: what it draws, and what its lookup offers."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs

from django.forms import BaseForm


def page_text(response) -> str:
    return response.content.decode()


def drawn(response, name: str) -> list[str]:
    """The option values the select of field `name` holds."""
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page_text(response), re.S)
    assert match, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"', match.group(1))


def picker(response, name: str) -> tuple[str, dict[str, list[str]]]:
    """The lookup the picker of field `name` asks, and the parameters it narrows it by."""
    match = re.search(
        rf'data-picker="([^"]+)" data-picker-params="([^"]*)"[^>]*>\s*<select name="{name}"',
        page_text(response),
    )
    assert match, f"no picker for {name}"
    return match.group(1), parse_qs(html.unescape(match.group(2)))


def offered(client, response, name: str, q: str = "") -> list[int]:
    """The ids the picker of field `name` offers the page's user for the typed text."""
    url, params = picker(response, name)
    answer = client.get(url, {**params, "q": q, "limit": 50})
    assert answer.status_code == 200, answer.content
    return [item["id"] for item in answer.json()["items"]]


def errors(response, name: str) -> list[str]:
    """The errors of field `name` on the bound form the page drew."""
    for context in response.context:
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.is_bound and name in value.errors:
                return list(value.errors[name])
    return []
