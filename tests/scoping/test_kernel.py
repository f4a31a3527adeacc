"""visible_to and roles_on, written once in core, agree with each other on every model."""

from __future__ import annotations

import pytest

from ducha.core.scope import grants_for
from ducha.core.scoping import VIEW, scoped
from ducha.fieldwork.choices import FieldAction
from ducha.orgs.models import Team
from tests.scoping import test_conditions_fieldwork as field
from tests.scoping import test_conditions_loop as loop
from tests.scoping import test_conditions_records as records
from tests.world import World

pytestmark = pytest.mark.django_db


def _rows_of_every_kind(world: World) -> list:
    builders = {case.rows for module in (loop, field, records) for case in module.CASES}
    rows: list = []
    for build in builders:
        built = build(world)
        rows += [*built.reached, *built.not_reached]
    return rows


def test_a_row_is_visible_exactly_when_a_role_reaches_it(world: World) -> None:
    rows = _rows_of_every_kind(world)
    by_model: dict = {}
    for row in rows:
        by_model.setdefault(type(row), set()).add(row.pk)
    actions = [VIEW, FieldAction.CANCEL_TASK, "edit", "edit_summary", "confirm", "assign"]
    for user in world.users.values():
        for model, pks in by_model.items():
            for action in actions:
                visible = set(
                    scoped(model)
                    .visible_to(user, action)
                    .filter(pk__in=pks)
                    .values_list("pk", flat=True)
                )
                reached = {pk for pk in pks if scoped(model).roles_on(user, pk, action)}
                assert visible == reached, (user, model.__name__, action)


def test_nothing_without_a_grant(world: World) -> None:
    rows = _rows_of_every_kind(world)
    outsider = world.users["outsider"]
    assert grants_for(outsider) == ()
    for model in {type(row) for row in rows}:
        assert not scoped(model).visible_to(outsider).exists()


def test_a_row_met_through_several_joins_is_listed_once(world: World) -> None:
    team = world.teams["county_team"]
    team.regions.add(world.orgs["town"])  # now it covers the county twice over
    visible = list(
        Team.objects.visible_to(world.users["county_office"]).values_list("pk", flat=True)
    )
    assert visible.count(team.pk) == 1
    assert Team.objects.roles_on(world.users["county_office"], team.pk) == {"office_staff"}


def test_a_role_not_listed_reaches_nothing(world: World) -> None:
    # Command HQs have no field work: no line of the task's conditions names them.
    task = field._task(world, "county_office", site="checkpoint")
    command = world.users["city_command"]
    assert not field.TaskQuerySet.conditions.get("command")
    assert not field.Task.objects.visible_to(command).exists()
    assert not field.Task.objects.roles_on(command, task.pk)
