"""The seeds' figures of accountability and commendation, as records of the demo: counted
through the API by the people who may read them (docs/accountability.md, "In the demo")."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from ducha.accountability.models import Accountability, AccountabilityKind
from ducha.orgs.models import Org

pytestmark = pytest.mark.django_db


def _items(client, path: str) -> list[dict]:
    body = client.get(f"/api/v1/{path}?page_size=200").json()
    assert body["count"] == len(body["items"])
    return body["items"]


def _kinds() -> dict[str, str]:
    return {str(kind.pk): kind.code for kind in AccountabilityKind.objects.all()}


def test_chengdu_zone_decided_six_one_one_two(demo, signed_in):
    items = _items(signed_in("chengdu.discipline"), "accountability")
    assert {item["state"] for item in items} == {"decided"}
    by_kind = Counter(_kinds()[item["kind"]] for item in items)
    assert by_kind == {
        "public_criticism": 6,
        "ordered_self_examination": 1,
        "suspension": 1,
        "case_filed": 2,
    }


def test_qinhuangdao_held_talks_with_twenty_three_people(demo, signed_in):
    items = _items(signed_in("qinhuangdao.discipline"), "accountability")
    assert len(items) == 23
    assert {_kinds()[item["kind"]] for item in items} == {"interview", "interview_warning"}
    assert {item["state"] for item in items} == {"carried_out"}
    # Six joint teams of the city office go out with the discipline body.
    teams = signed_in("qinhuangdao.office").get("/api/v1/teams", {"kind": "joint"}).json()
    assert teams["count"] == 6


def test_chengde_holds_sixteen_accountable_and_commends_nine_and_fifteen(demo, signed_in):
    client = signed_in("chengde.office")
    measures = _items(client, "accountability")
    assert len(measures) == 16
    assert {item["state"] for item in measures} <= {"decided", "carried_out"}
    praise = _items(client, "commendations")
    assert Counter(item["subject_kind"] for item in praise) == {"unit": 9, "person": 15}
    assert {item["state"] for item in praise} == {"decided"}


def test_decisions_lie_in_the_scenes_weeks_and_follow_their_proposals(demo):
    today = timezone.localdate()
    for record in Accountability.objects.all():
        assert record.decided_on is not None
        assert timezone.localdate(record.proposed_at) <= record.decided_on < today
        assert (today - record.decided_on).days <= 30


def test_names_are_not_shown_to_a_unit_or_a_team(demo, signed_in):
    for username in ("chengdu.handler", "chengdu.team7", "chengdu.command"):
        assert _items(signed_in(username), "accountability") == []


def test_the_dashboards_write_the_seeds_sentences_from_these_records(demo, signed_in):
    zone = signed_in("chengdu.office").get("/api/v1/reports/results?days=0").json()
    assert zone["accountability_sentence"] == (
        "先后对6名党员干部通报批评，1名责令作出检查，1名作停职处理，2名进行立案审查。"
    )
    chengde = Org.objects.get(code="130800")
    city = signed_in("hebei.office").get(f"/api/v1/reports/results?days=0&region={chengde.pk}")
    totals = city.json()["totals"]
    assert (totals["persons_held_to_account"], totals["units_commended"]) == (16, 9)
    assert totals["persons_commended"] == 15


def test_the_zones_cases_filed_are_the_outcome_of_its_referrals(demo):
    filed = Accountability.objects.filter(kind__code="case_filed", keeper__name__contains="成都")
    linked = {referral.state for record in filed for referral in record.referrals.all()}
    assert filed.count() == 2 and linked == {"concluded"}
    assert all(record.referrals.count() == 1 for record in filed)
