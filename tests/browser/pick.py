"""Driving a picker (ducha/static/ducha/picker.js) as a user does: type, then choose."""

from __future__ import annotations


def pick(page, scope: str, name: str, typed: str, option_text: str) -> None:
    """In the picker of field `name` inside `scope`, type `typed` and choose the match whose
    text holds `option_text`."""
    box = page.locator(f"{scope} .picker:has(select[name={name}])")
    search = box.locator("[data-picker-input]")
    search.click()
    search.fill(typed)
    box.locator("[role=option]", has_text=option_text).first.click()
