"""Policies over /api/v1/: the HQ's kinds, adopting a policy for a kind, linking more, the
refusals (nothing half-saved) and who reads a policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.policies.choices import MAX_PROBLEMS
from ducha.policies.models import Policy, PolicyEvent, PolicyProblem
from ducha.problems.models import Problem, ProblemEvent
from tests.api.conftest import field_errors
from tests.policies.conftest import adopt_body, adopted, common, kind_of_three, other_kind


def _nothing_saved() -> bool:
    return (
        not Policy.objects.exists()
        and not PolicyEvent.objects.exists()
        and not PolicyProblem.objects.exists()
        and not ProblemEvent.objects.filter(action="institutionalize").exists()
        and not Problem.objects.exclude(rule="").exists()
    )


def test_the_hq_sees_kinds_oldest_first_and_answers_one_with_a_policy(world, api_as):
    problems = kind_of_three(world)
    newer = common(world, "核酸采样点排队拥挤", hours=1, focus_area=other_kind(world))
    world.problem(title="卡口个别问题", nature="individual")
    hq = api_as("city_command")
    kinds = hq.get("/policies/kinds").json()
    assert [(k["focus_area"], k["count"]) for k in kinds] == [
        (problems[0].focus_area_id, 3),
        (newer.focus_area_id, 1),
    ]
    waiting = hq.get(f"/policies/kinds/{problems[0].focus_area_id}").json()
    assert [item["id"] for item in waiting["items"]] == [p.pk for p in problems]
    versions = {item["id"]: item["version"] for item in waiting["items"]}
    chosen = problems[:2]
    response = hq.post(
        "/policies",
        adopt_body(world, chosen, expected_versions={p.pk: versions[p.pk] for p in chosen}),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["problem_count"] == 2 and body["reference"] == "承防指〔2020〕12号"
    assert body["allowed_actions"] == ["link", "attach"]
    for problem in chosen:
        problem.refresh_from_db()
        assert problem.rule.startswith("关于规范卡口车辆登记的通知（承防指〔2020〕12号）")
        assert "逐车" in problem.search_text.split(" ")
        [event] = problem.events.filter(action="institutionalize")
        assert event.payload["policy"] == body["id"]
    # What was answered leaves the queue; the third problem of the kind still waits.
    kinds = hq.get("/policies/kinds").json()
    assert [(k["focus_area"], k["count"]) for k in kinds] == [
        (problems[2].focus_area_id, 1),
        (newer.focus_area_id, 1),
    ]
    linked = hq.post(f"/policies/{body['id']}/actions/link", {"problems": [problems[2].pk]})
    assert linked.status_code == 200, linked.content
    assert linked.json()["problem_count"] == 3
    assert [e["action"] for e in linked.json()["events"]] == ["adopt", "link"]
    problems[2].refresh_from_db()
    assert problems[2].rule.startswith("关于规范卡口车辆登记的通知")


def test_the_words_filter_narrows_the_kinds(world, api_as):
    kind_of_three(world)
    common(world, "核酸采样点排队拥挤", focus_area=other_kind(world))
    hq = api_as("city_command")
    kinds = hq.get("/policies/kinds", {"q": "測溫"}).json()
    assert [k["count"] for k in kinds] == [1]
    assert hq.get("/policies/kinds", {"q": "x"}).status_code == 422


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda w, ps: {"problems": []}, "problems"),
        (lambda w, ps: {"problems": list(range(1, MAX_PROBLEMS + 2))}, "problems"),
        (lambda w, ps: {"title": "  "}, "title"),
        (lambda w, ps: {"text": ""}, "text"),
        (
            lambda w, ps: {"issued_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "issued_on",
        ),
        (lambda w, ps: {"issuing_body": w.orgs["other_office"].pk}, "issuing_body"),
        (lambda w, ps: {"issuing_body": w.orgs["province_office"].pk}, "issuing_body"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, api_as, change, field):
    problems = kind_of_three(world)
    body = {**adopt_body(world, problems), **change(world, problems)}
    response = api_as("city_command").post("/policies", body)
    assert response.status_code == 422, response.content
    assert field in field_errors(response)
    assert _nothing_saved()


def _refused(response, words: str) -> None:
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "problems"
    assert words in response.json()["detail"]


def test_problems_not_common_out_of_scope_ruled_or_of_two_kinds_are_refused(world, api_as):
    problems = kind_of_three(world)
    hq = api_as("city_command")
    # An individual problem reported up to the HQ: it sees it, but no policy answers it.
    individual = world.problem(title="卡口个别问题")
    reported = api_as("county_office").act(
        individual, "report_up", to_org=world.orgs["city_command"].pk, comment="请指挥部研究"
    )
    assert reported.status_code == 200, reported.content
    _refused(hq.post("/policies", adopt_body(world, [*problems, individual])), "卡口个别问题")
    outside = common(world, "四川卡口问题", by="other_office", region="other_province")
    response = hq.post("/policies", adopt_body(world, [problems[0], outside]))
    assert (response.status_code, response.json()["field"]) == (422, "problems")
    mixed = common(world, "核酸采样点排队拥挤", focus_area=other_kind(world))
    _refused(hq.post("/policies", adopt_body(world, [problems[0], mixed])), "")
    api_as("county_office").act(problems[1], "institutionalize", rule="卡口登记纳入日常考核")
    _refused(hq.post("/policies", adopt_body(world, problems)), problems[1].title)
    assert not Policy.objects.exists() and not PolicyEvent.objects.exists()
    assert Problem.objects.exclude(rule="").count() == 1


def test_a_problem_answered_once_is_not_answered_again(world, api_as):
    problems = kind_of_three(world)
    policy = adopted(world, problems[:1])
    hq = api_as("city_command")
    response = hq.post(f"/policies/{policy.pk}/actions/link", {"problems": [problems[0].pk]})
    assert (response.status_code, response.json()["field"]) == (422, "problems")
    assert PolicyEvent.objects.count() == 1


def test_a_stale_version_refuses_the_whole_policy(world, api_as):
    problems = kind_of_three(world)
    hq = api_as("city_command")
    stale = {problems[0].pk: problems[0].version}
    instructed = api_as("county_leader").act(problems[0], "instruct", text="抓紧研究")
    assert instructed.status_code == 200  # the problem's version moved on
    response = hq.post("/policies", adopt_body(world, problems, expected_versions=stale))
    assert response.status_code == 412, response.content
    assert _nothing_saved()


def test_only_the_command_hq_adopts(world, api_as):
    problems = kind_of_three(world)
    response = api_as("city_office").post("/policies", adopt_body(world, problems))
    assert response.status_code == 403
    assert _nothing_saved()


def test_who_reads_a_policy(world, api_as):
    problems = [world.assigned(title="卡口登记缺失", nature="common"), *kind_of_three(world)[2:]]
    policy = adopted(world, problems)
    # The issuing body's jurisdiction, and whoever sees one of its problems.
    for persona in ("city_command", "city_office", "county_office", "county_handler"):
        assert api_as(persona).get(f"/policies/{policy.pk}").status_code == 200, persona
    # The county's unit sees only its own problem among those the policy answers.
    seen = api_as("county_handler").get(f"/policies/{policy.pk}").json()["problems"]
    assert seen == [problems[0].pk]
    for persona in ("other_office", "outsider", "market_handler", "town_office"):
        assert api_as(persona).get(f"/policies/{policy.pk}").status_code in (401, 404), persona
    assert api_as("county_office").get("/policies").json()["count"] == 1
    assert api_as("other_office").get("/policies").json()["count"] == 0
    refused = api_as("county_office").post(f"/policies/{policy.pk}/actions/link", {"problems": []})
    assert refused.status_code == 403
