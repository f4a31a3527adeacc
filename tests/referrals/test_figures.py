"""快查快结: the counts and the days to decision and outcome, from the referrals passed in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.referrals import actions
from ducha.referrals.figures import timing
from ducha.referrals.models import Referral
from tests.referrals.conftest import refer

pytestmark = pytest.mark.usefixtures("bodies")


def _referred_days_ago(referral: Referral, days: int) -> Referral:
    # Written straight to the row: the action dates a referral now.
    Referral.objects.filter(pk=referral.pk).update(
        referred_at=timezone.now() - timedelta(days=days)
    )
    referral.refresh_from_db()
    return referral


def test_counts_and_days(world, django_assert_max_num_queries):
    body = world.users["county_discipline"]
    today = timezone.localdate()
    first = _referred_days_ago(refer(world), 4)
    actions.do_accept(first, acting_user=body)
    actions.do_conclude(first, acting_user=body, outcome="立案审查", outcome_on=today)
    second = _referred_days_ago(refer(world), 2)
    actions.do_decline(second, acting_user=body, reasons="不属于纪检监察管辖")
    refer(world)
    with django_assert_max_num_queries(2):
        figures = timing(Referral.objects.all())
    assert (figures["waiting"], figures["accepted"], figures["declined"], figures["concluded"]) == (
        1,
        0,
        1,
        1,
    )
    assert figures["days_to_decision"] == {"median": 3.0, "mean": 3.0}
    assert figures["days_to_outcome"] == {"median": 4.0, "mean": 4.0}
    empty = timing(Referral.objects.none())
    assert empty["total"] == 0 and empty["days_to_decision"]["median"] is None
