"""`manage.py rebuild_rollups`: a check that finds any drift, and a rebuild that ends it."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from ducha.problems.rollups.models import DueCell, RollupCell
from ducha.problems.rollups.rebuild import expected_from_problems
from ducha.problems.rollups.writes import stored
from tests.reports.walk import random_walk

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("rebuild_rollups", *args, stdout=out)
    return out.getvalue()


def test_check_passes_on_tables_kept_by_the_actions(world):
    random_walk(world, 7)
    run("--check")  # raises CommandError on any difference
    run("--check", "--from-events")


def test_a_drifted_row_is_found_and_the_rebuild_ends_it(world):
    random_walk(world, 8)
    kept = stored()
    cell = RollupCell.objects.filter(dim=0, scope_level=2).get()
    RollupCell.objects.filter(pk=cell.pk).update(
        found=cell.found + 1, open=cell.open + 1, new=cell.new + 1
    )
    with pytest.raises(CommandError) as refused:
        run("--check")
    assert f"(2, {cell.scope_id}, 0, 0)" in str(refused.value)
    DueCell.objects.all().delete()
    run()
    assert stored() == kept == expected_from_problems()
    run("--check", "--from-events")
