"""The demo's rollups: written once at the end of the load, and true to its problems and events."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_demo_load_writes_its_rollups_once_and_true(demo):
    """The demo's thousands of actions sum their rollup changes and write them at the end."""
    assert len(demo.rollup_writes) == 1 and demo.rollup_writes[0] > 1000
    # Raises CommandError on any difference from the problems, then from the events.
    call_command("rebuild_rollups", "--check", stdout=StringIO())
    call_command("rebuild_rollups", "--check", "--from-events", stdout=StringIO())
