"""Small helpers for reading the pages in tests."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from ducha.problems import actions


def text(response) -> str:
    return response.content.decode()


def section_ids(response, key: str) -> list[int]:
    """Problem ids listed in one queue section, in order."""
    html = text(response)
    match = re.search(rf'data-section="{key}"(.*?)</section>', html, re.S)
    assert match, f"no section {key}"
    return [int(pk) for pk in re.findall(r'data-problem="(\d+)"', match.group(1))]


def section_count(response, key: str) -> int:
    html = text(response)
    match = re.search(rf'data-section="{key}".*?data-testid="section-count">(\d+)<', html, re.S)
    assert match, f"no section {key}"
    return int(match.group(1))


def sections(response) -> list[str]:
    return re.findall(r'data-section="([a-z_]+)"', text(response))


def listed_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-problem="(\d+)"', text(response))]


def action_names(response) -> list[str]:
    return re.findall(r'<details class="action[^"]*" data-action="([a-z_]+)"', text(response))


def overdue_problem(world, **kwargs):
    """A problem found four days ago: past the default 72-hour deadline (red light)."""
    return world.problem(found_at=timezone.now() - timedelta(days=4), **kwargs)


def rectified(world, unit: str = "county_dept", **kwargs):
    problem = world.assigned(unit, **kwargs)
    return actions.do_submit_rectification(
        problem, acting_user=world.users["county_handler"], text="已整改"
    )


def select_values(response, name: str) -> set[str]:
    """The option values of one <select>, without the empty choice."""
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', text(response), re.S)
    assert match, f"no select {name}"
    return {value for value in re.findall(r'<option value="([^"]*)"', match.group(1)) if value}
