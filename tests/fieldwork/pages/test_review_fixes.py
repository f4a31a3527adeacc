"""回头看 paged and filtered; a team member's day starts on its tasks, headed by the site,
and a task of tomorrow done today is not left under tomorrow."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.fieldwork.models import Revisit
from ducha.problems import actions as problem_actions
from ducha.problems.models import FocusArea
from tests.fieldwork.domain.factory import inspect, item, passed, plan, tomorrow
from tests.fieldwork.pages.helpers import task_ids, text

pytestmark = pytest.mark.django_db


def closed(world, region: str = "county", **kwargs):
    problem = world.problem(
        by="county_team_member", team=world.teams["county_team"], region=region, **kwargs
    )
    return problem_actions.do_close_on_spot(
        problem, acting_user=world.users["county_team_member"], evidence="当场整改"
    )


def due_ids(response) -> list[int]:
    match = re.search(r'data-testid="due"(.*?)</section>', text(response), re.S)
    assert match, "no due section"
    return [
        int(pk)
        for pk in re.findall(r'<article class="card mb-2" data-revisit="(\d+)"', match.group(1))
    ]


def due_count(response) -> int:
    match = re.search(r'data-testid="due-count">(\d+)<', text(response))
    assert match
    return int(match.group(1))


def test_revisits_due_come_a_page_at_a_time(world, login, settings):
    settings.DUCHA_PAGE_SIZE = 2
    for number in range(5):
        closed(world, title=f"问题{number}")
    revisits = list(Revisit.objects.order_by("due_on", "pk").values_list("pk", flat=True))
    client = login(world, "county_office")

    first = client.get("/field/revisits/")
    assert first.status_code == 200
    assert due_ids(first) == revisits[:2]
    assert due_count(first) == 5
    assert 'href="?page=2"' in text(first)
    last = client.get("/field/revisits/?page=3")
    assert due_ids(last) == revisits[4:]
    assert client.get("/field/revisits/?page=99").status_code == 200  # the last page


def test_revisits_are_filtered_by_region_focus_area_and_lateness(world, login, settings):
    settings.DUCHA_PAGE_SIZE = 2
    in_town = [closed(world, region="town", title=f"镇里的问题{n}") for n in range(3)]
    in_county = closed(world, title="区里的问题")
    other_area = FocusArea.objects.exclude(code="screening").first()
    assert other_area is not None
    elsewhere = closed(world, focus_area=other_area, title="另一重点的问题")
    revisit = {r.problem_id: r.pk for r in Revisit.objects.all()}
    client = login(world, "county_office")

    town = world.orgs["town"].pk
    page = client.get(f"/field/revisits/?region={town}")
    assert due_count(page) == 3
    assert due_ids(page) == [revisit[p.pk] for p in in_town[:2]]
    # The next page keeps the filter.
    assert f'href="?region={town}&amp;page=2"' in text(page)
    assert due_ids(client.get(f"/field/revisits/?region={town}&page=2")) == [revisit[in_town[2].pk]]

    by_area = client.get(f"/field/revisits/?focus_area={other_area.pk}")
    assert due_ids(by_area) == [revisit[elsewhere.pk]]

    Revisit.objects.filter(pk=revisit[in_county.pk]).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    late = client.get("/field/revisits/?late=on")
    assert due_ids(late) == [revisit[in_county.pk]]

    refused = client.get("/field/revisits/?region=999999")
    assert refused.status_code == 400
    assert due_ids(refused) == []


def test_a_filtered_row_still_records_its_result_and_returns_to_the_filter(world, login):
    problem = closed(world, region="town")
    revisit = Revisit.objects.get(problem=problem)
    town = world.orgs["town"].pk
    client = login(world, "county_team_member")
    page = text(client.get(f"/field/revisits/?region={town}"))
    action = f'action="/field/revisits/{revisit.pk}/result/?region={town}"'
    assert action in page
    response = client.post(
        f"/field/revisits/{revisit.pk}/result/?region={town}", {"passed": "1", "note": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/field/revisits/?region={town}"
    assert Revisit.objects.get().state == "passed"


def test_a_team_member_starts_on_the_tasks(world, login):
    client = login(world, "county_team_member")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/field/tasks/"
    # Desk roles still start on their queue.
    for persona in ("county_office", "county_handler", "county_leader"):
        assert login(world, persona).get("/")["Location"] == "/problems/queue/"


def test_a_task_card_is_headed_by_its_site(world, login):
    task = plan(world, day=timezone.localdate())
    html = text(login(world, "county_team_member").get("/field/tasks/"))
    card = re.search(rf'data-task="{task.pk}">(.*?)</article>', html, re.S)
    assert card
    heading = re.search(r'data-testid="task-heading">(.*?)</h3>', card.group(1), re.S)
    assert heading and "双桥区高速卡口" in heading.group(1)
    assert world.teams["county_team"].name not in heading.group(1)
    assert world.teams["county_team"].name in card.group(1)  # still said, below


def test_a_task_done_early_is_not_left_done_under_tomorrow(world, login):
    today = plan(world, day=timezone.localdate())
    early = plan(world, day=tomorrow(), confirm_overlap=True)
    ahead = plan(world, day=tomorrow(), confirm_overlap=True)
    inspect(world, [passed(item(world))], task=early)
    page = login(world, "county_team_member").get("/field/tasks/")
    html = text(page)
    sections = dict(re.findall(r'data-day="([\d-]+)"(.*?)</section>', html, re.S))
    on_today = task_ids_in(sections[f"{timezone.localdate():%Y-%m-%d}"])
    on_tomorrow = task_ids_in(sections[f"{tomorrow():%Y-%m-%d}"])
    assert on_today == [today.pk, early.pk]
    assert on_tomorrow == [ahead.pk]
    assert 'data-testid="done-early"' in html
    assert task_ids(page) == [today.pk, early.pk, ahead.pk]


def task_ids_in(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-task="(\d+)"', html)]
