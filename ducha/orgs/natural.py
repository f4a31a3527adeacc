"""Natural order of names and of the org tree, stored as columns so the database orders.

Teams are named 第一组, 第二组 … 第十组 or 3组, 12组: by character code 第十组 comes before
第二组 and 12组 before 3组. `natural_key` writes every number in a name, in Chinese
numerals or digits, as a fixed-width run of digits, so that plain string order is number
order. Regions sort by their administrative code (GB/T 2260 and its town and village
extensions), which is the order every official table lists them in.
"""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMBER = re.compile(r"[0-9０-９]+|[零〇一二两三四五六七八九十百千万亿]+")
WIDTH = 12
# Digits in one step of Org.tree_order: a kind digit, then a 12-digit code or id.
STEP = 13
KEY_LENGTH = 255


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral (十一 = 11, 二十 = 20, 一百零五 = 105, 一二 = 12), or
    None if it is not one (a stray 万 alone)."""
    if all(char in DIGITS for char in text):
        # Digit by digit, as in 二〇二六 or 一二组.
        return int("".join(str(DIGITS[char]) for char in text))
    total = section = digit = 0
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in UNITS:
            section += (digit or 1) * UNITS[char]
            digit = 0
        else:
            if not (section or digit):
                return None
            total += (section + digit) * BIG_UNITS[char]
            section = digit = 0
    return total + section + digit


def natural_key(name: str) -> str:
    """A string whose order is the names' natural order: numbers as numbers."""

    def padded(match: re.Match[str]) -> str:
        text = match.group()
        if text[0] in DIGITS or text[0] in UNITS or text[0] in BIG_UNITS:
            value = chinese_number(text)
            if value is None:
                return text
        else:
            value = int(text)  # int() reads full-width digits too
        return str(value).zfill(WIDTH)[-WIDTH:]

    return NUMBER.sub(padded, name.strip())[:KEY_LENGTH]


def tree_segment(*, pk: int, is_region: bool, code: str) -> str:
    """One org's step in the ordered path: regions by code first, those without a code
    after them, then the other bodies in the order they were made.

    Every step is 13 digits and nothing else: the path needs no separator, and digits sort
    the same under every database collation (one that skips punctuation, or sorts Chinese
    by pinyin, would not keep "/" or letters in place)."""
    if is_region and code.isdigit() and len(code) <= STEP - 1:
        return "0" + code.ljust(STEP - 1, "0")
    return f"{1 if is_region else 2}{pk:0{STEP - 1}d}"
