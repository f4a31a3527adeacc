"""The demo's referrals: made through the actions, each side sees its own, and the zone's
discipline body has a queue with cases concluded as filed for review."""

from __future__ import annotations

import pytest

from ducha.referrals.figures import timing
from ducha.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_the_zones_discipline_body_has_real_work(demo, signed_in):
    client = signed_in("chengdu.discipline")
    queue = client.get("/referrals/queue/")
    assert queue.status_code == 200
    figures = queue.context["figures"]
    mine = Referral.objects.filter(receiver__name="成都高新区纪工委监察工委")
    assert figures["concluded"] == mine.filter(state="concluded").count() >= 2
    assert figures["declined"] == mine.filter(state="declined").count() >= 1
    assert all(
        "立案审查" in outcome
        for outcome in mine.filter(state="concluded").values_list("outcome", flat=True)
    )
    assert figures["days_to_outcome"]["median"] > 0
    # The to-do page points the discipline body to its queue.
    assert b'data-testid="referral-queue-link"' in client.get("/problems/queue/").content


def test_every_referral_has_its_events_and_a_source_in_its_region(demo):
    for referral in Referral.objects.select_related("problem", "receiver"):
        actions = list(referral.events.values_list("action", flat=True))
        assert actions[0] == "refer"
        assert referral.problem.county_id == referral.county_id
        assert referral.referred_at >= referral.problem.found_at
        if referral.outcome_on is not None:
            assert referral.outcome_on >= referral.referred_at.date()
    assert timing(Referral.objects.filter(receiver__name="惠安县纪委监委"))["accepted"] == 1
