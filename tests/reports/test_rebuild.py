"""`manage.py rebuild_rollups`: a check that finds any drift, and a rebuild that ends it."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from ducha.problems.rollups.models import DueCell, RollupCell
from ducha.problems.rollups.rebuild import expected_from_problems
from ducha.problems.rollups.writes import stored
from tests.demo.conftest import analyze
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


def test_the_demo_load_writes_its_rollups_once_and_true(settings):
    """The demo's thousands of actions sum their rollup changes and write them at the end."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from io import StringIO

    from ducha.problems.rollups import writes

    written: list[int] = []
    add_rows = writes.add_rows

    def counted(cells, due):
        written.append(len(cells) + len(due))
        return add_rows(cells, due)

    writes.add_rows = counted
    try:
        call_command("load_demo", stdout=StringIO())
    finally:
        writes.add_rows = add_rows
    assert len(written) == 1 and written[0] > 1000
    analyze()  # the load is uncommitted: PostgreSQL would plan the rebuild for empty tables
    run("--check")
    run("--check", "--from-events")
