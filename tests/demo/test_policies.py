"""政策措施 in the demo: 漯河市's command HQ answered one kind of common problem with a notice
that became each linked problem's lasting rule, and another kind still waits in its queue.
Every figure is counted from the scene's records."""

from __future__ import annotations

import io

import pytest
from docx import Document

from ducha.demo import luohe
from ducha.policies.models import Policy
from ducha.problems.models import FocusArea, Problem

pytestmark = pytest.mark.django_db


def _of_kind(code: str) -> list[luohe.Finding]:
    findings = [*luohe.FINDINGS, luohe.LATE_FINDING]
    return [f for f in findings if f.focus_area == code and f.nature == "common"]


def _notice() -> Policy:
    return Policy.objects.get(reference=luohe.POLICY_REFERENCE)


def test_the_hq_answered_the_drivers_kind_and_every_problem_took_the_notice(demo, signed_in):
    hq = signed_in(luohe.COMMAND)
    notice = _notice()
    body = hq.get(f"/api/v1/policies/{notice.pk}").json()
    drivers = _of_kind(luohe.DRIVERS)
    assert body["title"] == luohe.POLICY_TITLE
    assert body["issuing_body"]["name"] == "漯河市疫情防控指挥部"
    assert body["problem_count"] == len(drivers) == len(body["problems"])
    # Adopted for the problems found before it was issued, the later one linked after.
    assert [e["action"] for e in body["events"]] == ["adopt", "link"]
    assert body["events"][1]["problems"] == [Problem.objects.get(title=luohe.LATE_FINDING.title).pk]
    assert body["allowed_actions"] == ["link", "attach"]
    for problem in Problem.objects.filter(pk__in=body["problems"]):
        assert problem.title in {f.title for f in drivers}
        assert problem.rule == notice.rule
        [event] = problem.events.filter(action="institutionalize")
        assert event.payload["policy"] == notice.pk
    page = hq.get(f"/policies/{notice.pk}/").content.decode()
    for finding in drivers:
        assert finding.title in page
    # The notice's Word file, made by the demo, came with it.
    assert body["document"]["name"] == luohe.NOTICE_FILE_NAME
    assert luohe.NOTICE_FILE_NAME in page
    [adopt] = notice.events.filter(action="adopt")
    assert adopt.payload["document_name"] == luohe.NOTICE_FILE_NAME


def test_the_shops_kind_still_waits_and_the_individual_problem_never_queues(demo, signed_in):
    hq = signed_in(luohe.COMMAND)
    kinds = hq.get("/api/v1/policies/kinds").json()
    shops = FocusArea.objects.get(code=luohe.SHOPS)
    assert [(k["focus_area"], k["count"]) for k in kinds] == [
        (shops.pk, len(_of_kind(luohe.SHOPS)))
    ]
    waiting = hq.get(f"/api/v1/policies/kinds/{shops.pk}").json()
    assert [item["title"] for item in waiting["items"]] == [
        f.title for f in sorted(_of_kind(luohe.SHOPS), key=lambda f: -f.days_ago)
    ]
    queue = hq.get("/policies/queue/").content.decode()
    assert shops.name in queue
    # The problem put right on the spot is in the city, yet no kind of the queue holds it.
    [individual] = [f for f in luohe.FINDINGS if f.nature != "common"]
    problem = Problem.objects.get(title=individual.title)
    assert problem.city == demo.region("411100")
    assert problem.focus_area.name not in queue


def test_who_reads_the_notice(demo, signed_in):
    notice = _notice()
    url = f"/api/v1/policies/{notice.pk}"
    # The city's office: the issuing body lies in its jurisdiction.
    assert signed_in(luohe.OFFICE).get(url).status_code == 200
    # The transport bureau's handler: it must keep the measure on the problems assigned to it.
    handler = signed_in("luohe.handler").get(url).json()
    assigned = Problem.objects.filter(responsible_org__name="漯河市交通运输局")
    assert handler["problems"] == sorted(
        assigned.filter(rule=notice.rule).values_list("pk", flat=True)
    )
    assert handler["allowed_actions"] == []
    # It downloads the notice as issued, and finds the measures in it.
    response = signed_in("luohe.handler").get(f"/policies/{notice.pk}/document/")
    assert response.status_code == 200
    text = Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs
    assert [p.text for p in text][1:3] == [luohe.POLICY_REFERENCE, luohe.POLICY_TITLE]
    assert luohe.POLICY_TEXT.split("\n")[0] in [p.text for p in text]
    # Another county's HQ and office see neither the notice nor its problems.
    for username in ("huian.command", "chengdu.office"):
        client = signed_in(username)
        assert client.get(url).status_code == 404, username
        assert client.get(f"/policies/{notice.pk}/").status_code == 404, username
        assert client.get(f"/policies/{notice.pk}/document/").status_code == 404, username
        assert notice.pk not in [p["id"] for p in client.get("/api/v1/policies").json()["items"]]
