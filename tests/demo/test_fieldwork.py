"""Hui'an's field work in the demo: checklists, last evening's meeting, tomorrow's tasks,
the recent visits and their problems, revisits; seen through the API and the pages."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ducha.fieldwork.models import ChecklistItem, FieldEvent, Inspection, Meeting, Revisit, Task

pytestmark = pytest.mark.django_db

HUIAN, ZONE = "350521", "510109"
SECRET_SITE, OPEN_SITE = "城南集中隔离点", "沈海高速惠安出口卡口"


def tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=1)).isoformat()


def all_items(client, path: str, **params) -> list[dict]:
    body = client.get(f"/api/v1/{path}", {"page_size": 100, **params}).json()
    assert body["count"] <= 100, path
    return body["items"]


def site_names(task: dict) -> set[str]:
    return {site["name"] for site in task["sites"]}


def test_joint_team_three_finds_tomorrows_task_from_last_evenings_meeting(demo, signed_in):
    client = signed_in("huian.joint3")
    tasks = all_items(client, "tasks", mine=True, day=tomorrow())
    assert [task["team"]["name"] for task in tasks] == ["疫情防控联合督查组第三组"]
    task = tasks[0]
    assert task["state"] == "planned" and task["method"] == "open"
    assert "黄塘镇中心小学核酸采样点" in site_names(task)
    assert "record_inspection" in task["allowed_actions"]
    meeting = client.get(f"/api/v1/meetings/{task['meeting']['id']}").json()
    held = timezone.localdate() - timedelta(days=1)
    assert meeting["held_on"] == held.isoformat() and "会商会" in meeting["title"]
    assert meeting["office"]["name"] == "惠安县纪委监委党风政风监督室"
    page = client.get("/field/tasks/")
    assert page.status_code == 200 and "黄塘镇中心小学核酸采样点" in page.content.decode()


def test_tomorrow_every_team_has_a_task_with_every_method(demo, signed_in):
    tasks = all_items(signed_in("huian.office"), "tasks", day=tomorrow())
    teams = [task["team"]["name"] for task in tasks]
    assert len(tasks) == 11 and len(set(teams)) == 11
    assert {task["method"] for task in tasks} == {"open", "unannounced", "revisit", "stationed"}
    assert len({task["meeting"]["id"] for task in tasks}) == 1
    joined = [task for task in tasks if task["participants"]]
    assert len(joined) == 1
    assert [org["name"] for org in joined[0]["participants"]] == ["惠安县市场监管局"]
    assert site_names(joined[0]) == {"螺城菜市场", "螺阳镇惠民药店"}


def test_the_stationed_team_goes_back_to_a_checkpoint_visited_yesterday_on_purpose(demo):
    task = Task.objects.get(
        day=timezone.localdate() + timedelta(days=1), method="stationed", sites__name="惠东高速卡口"
    )
    confirmed = task.events.get(action="plan_task").payload["overlaps_confirmed"]
    assert [(v["kind"], v["team"]) for v in confirmed] == [
        ("inspection", "疫情防控联合督查组第五组")
    ]


def test_the_unannounced_visit_is_hidden_from_the_town_it_inspects(demo, signed_in):
    office = all_items(signed_in("huian.office"), "tasks", day=tomorrow())
    secret = next(task for task in office if SECRET_SITE in site_names(task))
    assert secret["method"] == "unannounced"
    for username in ["luoyang.office", "huian.luoyang", "huian.discipline"]:
        client = signed_in(username)
        seen = all_items(client, "tasks", day=tomorrow())
        names = set().union(*(site_names(task) for task in seen))
        assert SECRET_SITE not in names, username
        assert client.get(f"/api/v1/tasks/{secret['id']}").status_code == 404, username
    # The town's office does see tomorrow's open visit in its town: the filter is secrecy.
    town = all_items(signed_in("luoyang.office"), "tasks", day=tomorrow())
    assert [site_names(task) for task in town if OPEN_SITE in site_names(task)] == [{OPEN_SITE}]
    team = signed_in("huian.special1")
    assert secret["id"] in {task["id"] for task in all_items(team, "tasks", mine=True)}


def test_shared_checklists_and_the_office_list_with_one_revised_question(demo, signed_in):
    client = signed_in("huian.office")
    items = all_items(client, "checklist-items", include_inactive=True)
    shared = [item for item in items if item["office"] is None]
    areas = {item["focus_area"]["name"] for item in shared}
    assert {"排查", "封闭管理", "医疗机构防控", "物资和生活必需品供应", "企业复工"} <= areas
    assert any("逐车逐人登记、测温" in item["text"] for item in shared)
    own = [item for item in items if item["office"] is not None]
    assert {item["office"]["name"] for item in own} == {"惠安县纪委监委党风政风监督室"}
    assert sum(item["active"] for item in own) == 6
    old = next(item for item in own if not item["active"])
    new = next(item for item in own if item["replaces"] == old["id"])
    assert old["replaced_by"] == new["id"] and new["active"] and new["text"] != old["text"]
    # The visit made before the rewording keeps the question as it was asked.
    answered = [
        answer
        for inspection in all_items(client, "inspections")
        for answer in client.get(f"/api/v1/inspections/{inspection['id']}").json()["answers"]
    ]
    assert old["text"] in {answer["question"] for answer in answered}
    assert signed_in("chengdu.office").get("/api/v1/checklist-items").json()["count"] == len(
        [item for item in shared if item["active"]]
    )


def test_recent_visits_found_problems_one_fixed_on_the_spot(demo, signed_in):
    client = signed_in("huian.office")
    inspections = [
        client.get(f"/api/v1/inspections/{row['id']}").json()
        for row in all_items(client, "inspections")
    ]
    assert len(inspections) == 5
    assert {row["method"] for row in inspections} == {"open", "unannounced"}
    results = [answer["result"] for row in inspections for answer in row["answers"]]
    assert {"pass", "fail", "na"} == set(results)
    problems = [
        client.get(f"/api/v1/problems/{pk}").json() for row in inspections for pk in row["problems"]
    ]
    assert len(problems) == results.count("fail") == 3
    spot = [p for p in problems if p["state"] == "closed"]
    assert len(spot) == 1
    assert [e["action"] for e in spot[0]["events"]] == ["create", "close_on_spot"]
    since = timezone.now() - timedelta(days=2)
    found = [datetime.fromisoformat(row["visited_at"]) for row in inspections if row["problems"]]
    assert found and all(since < moment < timezone.now() for moment in found)


def test_no_visit_lies_in_the_zone(demo, signed_in):
    assert signed_in("chengdu.office").get("/api/v1/inspections").json()["count"] == 0


def test_revisits_the_failed_one_and_a_random_sample(demo, signed_in):
    client = signed_in("huian.office")
    failed = all_items(client, "revisits", state="failed")
    assert len(failed) == 1 and "锦华酒店" in failed[0]["problem"]["name"]
    problem = client.get(f"/api/v1/problems/{failed[0]['problem']['id']}").json()
    assert problem["recurring"] and problem["state"] != "closed"
    sampled = all_items(client, "revisits", sampled=True, state="due")
    assert len(sampled) == 3
    assert {row["due_on"] for row in sampled} == {timezone.localdate().isoformat()}
    scheduled = all_items(client, "revisits", sampled=False, state="due")
    assert scheduled


def field_counts() -> list[int]:
    models = [ChecklistItem, Meeting, Task, Inspection, Revisit, FieldEvent]
    return [model.objects.count() for model in models]


def test_a_second_run_adds_no_field_work(demo):
    before = field_counts()
    assert all(before)
    call_command("load_demo", stdout=io.StringIO())
    assert field_counts() == before


def test_field_work_happened_at_replayed_moments_in_the_past(demo):
    now = timezone.now()
    assert not FieldEvent.objects.filter(created_at__gt=now).exists()
    # Written over the weeks of the scene, not all at the moment of the load.
    oldest = FieldEvent.objects.order_by("created_at").first()
    assert oldest is not None and oldest.created_at < now - timedelta(days=14)
    for task in Task.objects.filter(meeting__isnull=False).select_related("meeting"):
        assert timezone.localtime(task.created_at).date() == task.meeting.held_on
        assert task.day > task.meeting.held_on
