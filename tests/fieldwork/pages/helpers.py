"""Reading the field-work pages in tests."""

from __future__ import annotations

import re

from django.utils import timezone


def text(response) -> str:
    return response.content.decode()


def task_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-task="(\d+)"', text(response))]


def field_errors(response, name: str) -> list[str]:
    """The error messages shown under one field of a form."""
    match = re.search(
        rf'data-field="{name}">(.*?)(?=<div class="field|</fieldset>|</section>|</form>)',
        text(response),
        re.S,
    )
    assert match, f"no field {name}"
    return re.findall(r"<li>(.*?)</li>", match.group(1))


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")
