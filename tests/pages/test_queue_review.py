"""我的待办 counts each problem once, and marks a leader's 批示 still unanswered."""

from __future__ import annotations

import re

import pytest

from ducha.problems import actions
from tests.pages.helpers import overdue_problem, section_count, section_ids, text

pytestmark = pytest.mark.django_db


def total(response) -> int:
    match = re.search(r'data-testid="queue-total">\s*\D*(\d+)', text(response))
    assert match, "no total"
    return int(match.group(1))


def marked(response, key: str) -> list[int]:
    """The problems of one section whose row says an instruction waits for an answer."""
    match = re.search(rf'data-section="{key}"(.*?)</section>', text(response), re.S)
    assert match, f"no section {key}"
    rows = re.findall(r'data-problem="(\d+)">(.*?)</a>', match.group(1), re.S)
    return [int(pk) for pk, row in rows if 'data-testid="open-instruction"' in row]


def test_a_problem_in_two_sections_is_counted_once(world, login):
    world.assigned()  # unsigned: both to sign for and to rectify
    response = login(world, "county_handler").get("/problems/queue/")
    assert section_count(response, "sign") == 1
    assert section_count(response, "rectify") == 1
    assert total(response) == 1


def test_the_office_total_counts_distinct_problems(world, login):
    new = world.problem()
    late = overdue_problem(world)  # new and overdue: in two sections
    assigned = world.assigned()  # assigned, not signed for
    response = login(world, "county_office").get("/problems/queue/")
    assert set(section_ids(response, "assign")) == {new.pk, late.pk}
    assert section_ids(response, "overdue") == [late.pk]
    assert section_ids(response, "unsigned") == [assigned.pk]
    assert total(response) == 3


def test_the_unit_sees_which_problems_carry_an_unanswered_instruction(world, login):
    instructed = world.assigned(title="领导批示的问题")
    other = world.assigned(title="没有批示的问题")
    actions.do_instruct(instructed, acting_user=world.users["county_leader"], text="三天内整改到位")
    client = login(world, "county_handler")

    response = client.get("/problems/queue/")
    assert set(section_ids(response, "rectify")) == {instructed.pk, other.pk}
    assert marked(response, "rectify") == [instructed.pk]

    # The unit answers (a lasting rule): the mark goes.
    actions.do_institutionalize(
        instructed, acting_user=world.users["county_handler"], rule="建立每日巡查制度"
    )
    assert marked(client.get("/problems/queue/"), "rectify") == []

    # A new instruction after the answer waits again.
    actions.do_instruct(instructed, acting_user=world.users["county_leader"], text="再核查一次")
    assert marked(client.get("/problems/queue/"), "rectify") == [instructed.pk]


def test_the_instruction_stands_out_in_the_timeline(world, login):
    problem = world.assigned()
    actions.do_instruct(problem, acting_user=world.users["county_leader"], text="三天内整改到位")
    html = text(login(world, "county_handler").get(f"/problems/{problem.pk}/"))
    entry = re.search(r'<li data-event="instruct"([^>]*)>(.*?)</li>', html, re.S)
    assert entry, "no instruction in the timeline"
    assert 'class="timeline-instruction"' in entry.group(1)
    # A text label, not colour alone.
    assert re.search(r'data-testid="instruction-label">批示<', entry.group(2))
    assert "三天内整改到位" in entry.group(2)
    other = re.search(r'<li data-event="assign"([^>]*)>', html)
    assert other and "timeline-instruction" not in other.group(1)
