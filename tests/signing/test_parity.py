"""The rollups stay true, and the event log rebuilds them, with signing and extensions in the
loop, whichever moment the clock starts at."""

from __future__ import annotations

import pytest

from ducha.problems.choices import Action
from ducha.problems.models import ProblemEvent
from tests.reports.walk import random_walk
from tests.signing.helpers import assert_rollups_true

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("clock", ["assignment", "signing"])
@pytest.mark.parametrize("seed", [22, 23, 24])
def test_random_walks_with_signing_and_extensions_keep_the_rollups_true(
    world, settings, clock, seed
):
    settings.DUCHA_CLOCK_STARTS = clock
    random_walk(world, seed, problems=10, steps=120)
    taken = set(ProblemEvent.objects.values_list("action", flat=True))
    assert {Action.SIGN, Action.REQUEST_EXTENSION, Action.DECIDE_EXTENSION} <= taken
    assert_rollups_true()
