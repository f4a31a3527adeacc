"""The condition and acting lines of the field-work querysets, one case each."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ducha.accounts.choices import Role
from ducha.fieldwork.choices import FieldAction
from ducha.fieldwork.models import ChecklistItem, Evidence, Inspection, Meeting, Revisit, Task
from ducha.fieldwork.querysets import (
    ChecklistItemQuerySet,
    EvidenceQuerySet,
    InspectionQuerySet,
    MeetingQuerySet,
    RevisitQuerySet,
    TaskQuerySet,
)
from ducha.problems.models import Problem
from tests.fieldwork.domain.factory import screening, tomorrow
from tests.scoping.cases import Case, Rows, check_acting, check_condition
from tests.world import World

pytestmark = pytest.mark.django_db

COUNTY = {
    Role.OFFICE_STAFF: "county_office",
    Role.LEADER: "county_leader",
    Role.DISCIPLINE: "county_discipline",
}

# Rows are written straight to the tables: these cases test the filters, not the actions.


def _item(w: World, office: str | None) -> ChecklistItem:
    return ChecklistItem.objects.create(
        focus_area=screening(), office=w.orgs[office] if office else None, text="卡口是否逐车登记"
    )


def _meeting(w: World, office: str) -> Meeting:
    return Meeting.objects.create(
        office=w.orgs[office],
        held_on=timezone.localdate(),
        title="日例会",
        created_by=w.users["county_office"],
    )


def _task(
    w: World,
    office: str,
    *,
    team: str = "county_team",
    site: str | None = None,
    region: str | None = None,
    method: str = "open",
    meeting: Meeting | None = None,
) -> Task:
    task = Task.objects.create(
        office=w.orgs[office],
        team=w.teams[team],
        day=tomorrow(),
        method=method,
        meeting=meeting,
        created_by=w.users["county_office"],
    )
    if site:
        task.sites.add(w.sites[site])
    if region:
        task.regions.add(w.orgs[region])
    return task


def _inspection(w: World, team: str, region: str, task: Task | None = None) -> Inspection:
    inspection = Inspection(
        team=w.teams[team],
        task=task,
        method="open",
        visited_at=timezone.now(),
        region=w.orgs[region],
        recorded_by=w.users["county_team_member"],
    )
    inspection.copy_levels_from(w.orgs[region])
    inspection.save()
    return inspection


def _evidence(w: World, **target: Any) -> Evidence:
    return Evidence.objects.create(
        kind="image",
        file="evidence/x.jpg",
        content_type="image/jpeg",
        extension=".jpg",
        size=1,
        sha256="0" * 64,
        original_name="x.jpg",
        uploaded_by=w.users["county_office"],
        **target,
    )


def _sibling_problem(w: World) -> Problem:
    return w.problem(by="sibling_office", region="sibling", title="双滦区卡口无人")


# --- checklists ---------------------------------------------------------------------------


def _checklists_of_the_county(w: World) -> Rows:
    # Shared, of offices inside the jurisdiction, and of offices above it.
    applying = [
        _item(w, None),
        _item(w, "county_office"),
        _item(w, "town_office"),
        _item(w, "city_office"),
    ]
    return Rows(applying, [_item(w, "sibling_office")])


def _checklists_of_the_unit(w: World) -> Rows:
    # A unit has no region: the lists of the offices above it apply, none below.
    applying = [_item(w, None), _item(w, "county_office"), _item(w, "city_office")]
    return Rows(applying, [_item(w, "sibling_office"), _item(w, "town_office")])


# --- meetings -----------------------------------------------------------------------------


def _meetings_of_the_county(w: World) -> Rows:
    return Rows(
        [_meeting(w, "county_office"), _meeting(w, "town_office")],
        [_meeting(w, "sibling_office"), _meeting(w, "city_office")],
    )


def _meetings_of_the_teams_tasks(w: World) -> Rows:
    with_task = _meeting(w, "county_office")
    _task(w, "county_office", site="checkpoint", meeting=with_task)
    with_secret_task_only = _meeting(w, "county_office")
    _task(
        w, "county_office", site="checkpoint", method="unannounced", meeting=with_secret_task_only
    )
    other_team = _meeting(w, "county_office")
    _task(w, "county_office", team="sibling_team", site="checkpoint", meeting=other_team)
    return Rows([with_task], [with_secret_task_only, other_team, _meeting(w, "county_office")])


# --- tasks --------------------------------------------------------------------------------


def _tasks_of_the_county(w: World) -> Rows:
    planned_here = _task(w, "county_office", site="checkpoint")
    coming_in = _task(w, "city_office", team="province_team", region="town")
    secret_of_another_office = _task(w, "city_office", site="checkpoint", method="unannounced")
    elsewhere = _task(w, "sibling_office", team="sibling_team", site="sibling_market")
    return Rows([planned_here, coming_in], [secret_of_another_office, elsewhere])


def _tasks_of_the_county_office(w: World) -> Rows:
    # Its own secret visit too: the planner office sees what it planned.
    rows = _tasks_of_the_county(w)
    secret = _task(w, "county_office", site="checkpoint", method="unannounced")
    return Rows([*rows.reached, secret], rows.not_reached)


def _tasks_of_the_team(w: World) -> Rows:
    secret = _task(w, "county_office", site="checkpoint", method="unannounced")
    other = _task(w, "county_office", team="sibling_team", site="checkpoint")
    return Rows([_task(w, "county_office", site="checkpoint"), secret], [other])


def _tasks_coming_to_the_unit(w: World) -> Rows:
    into_its_region = _task(w, "city_office", team="province_team", site="checkpoint")
    joined_elsewhere = _task(w, "sibling_office", team="sibling_team", site="sibling_market")
    joined_elsewhere.participants.add(w.orgs["county_dept"])
    secret = _task(w, "county_office", site="checkpoint", method="unannounced")
    elsewhere = _task(w, "sibling_office", team="sibling_team", site="sibling_market")
    return Rows([into_its_region, joined_elsewhere], [secret, elsewhere])


def _tasks_planned_in_the_county(w: World) -> Rows:
    # Seen by the county office, but only the planner's jurisdiction cancels or carries out.
    return Rows(
        [_task(w, "county_office", site="checkpoint"), _task(w, "town_office", site="checkpoint")],
        [_task(w, "city_office", team="province_team", site="checkpoint")],
    )


# --- inspections, revisits, evidence -------------------------------------------------------


def _inspections_of_the_county(w: World) -> Rows:
    return Rows(
        [_inspection(w, "county_team", "town"), _inspection(w, "province_team", "county")],
        [_inspection(w, "sibling_team", "sibling")],
    )


def _inspections_of_the_region_or_the_team(w: World) -> Rows:
    return Rows(
        [_inspection(w, "province_team", "town"), _inspection(w, "county_team", "sibling")],
        [_inspection(w, "sibling_team", "sibling")],
    )


def _inspections_the_unit_joined(w: World) -> Rows:
    joined = _task(w, "county_office", site="checkpoint")
    joined.participants.add(w.orgs["county_dept"])
    not_joined = _task(w, "county_office", site="checkpoint")
    return Rows(
        [_inspection(w, "county_team", "town", task=joined)],
        [
            _inspection(w, "county_team", "town", task=not_joined),
            _inspection(w, "county_team", "town"),
        ],
    )


def _revisits_of_the_countys_problems(w: World) -> Rows:
    today = timezone.localdate()
    due = Revisit.objects.create(problem=w.problem(), due_on=today)
    drawn_above = Revisit.objects.create(
        problem=w.problem(), due_on=today, sampled=True, office=w.orgs["city_office"]
    )
    drawn_above_done = Revisit.objects.create(
        problem=w.problem(),
        due_on=today,
        sampled=True,
        office=w.orgs["city_office"],
        state="passed",
    )
    elsewhere = Revisit.objects.create(problem=_sibling_problem(w), due_on=today)
    return Rows([due, drawn_above_done], [drawn_above, elsewhere])


def _revisits_of_the_county_office(w: World) -> Rows:
    rows = _revisits_of_the_countys_problems(w)
    own_sample = Revisit.objects.create(
        problem=w.problem(),
        due_on=timezone.localdate(),
        sampled=True,
        office=w.orgs["county_office"],
    )
    return Rows([*rows.reached, own_sample], rows.not_reached)


def _revisits_done_of_the_units_problems(w: World) -> Rows:
    today = timezone.localdate()
    done = Revisit.objects.create(problem=w.assigned("county_dept"), due_on=today, state="passed")
    due = Revisit.objects.create(problem=w.assigned("county_dept"), due_on=today)
    others = Revisit.objects.create(
        problem=w.assigned("county_market_dept"), due_on=today, state="passed"
    )
    return Rows([done], [due, others])


def _files_of_the_county(w: World) -> Rows:
    return Rows(
        [
            _evidence(w, inspection=_inspection(w, "county_team", "town")),
            _evidence(w, problem=w.problem()),
        ],
        [
            _evidence(w, inspection=_inspection(w, "sibling_team", "sibling")),
            _evidence(w, problem=_sibling_problem(w)),
        ],
    )


def _files_of_the_unit(w: World) -> Rows:
    joined = _task(w, "county_office", site="checkpoint")
    joined.participants.add(w.orgs["county_dept"])
    return Rows(
        [
            _evidence(w, inspection=_inspection(w, "county_team", "town", task=joined)),
            _evidence(w, problem=w.assigned("county_dept")),
        ],
        [
            _evidence(w, inspection=_inspection(w, "county_team", "town")),
            _evidence(w, problem=w.problem()),
        ],
    )


def _files_of_the_commands_problems(w: World) -> Rows:
    return Rows(
        [_evidence(w, problem=w.problem(nature="common"))],
        [
            _evidence(w, problem=w.problem(nature="individual")),
            _evidence(w, inspection=_inspection(w, "county_team", "town")),
        ],
    )


FIELD = {**COUNTY, Role.TEAM_MEMBER: "county_team_member"}

CASES = [
    *(
        Case(ChecklistItemQuerySet, role, persona, _checklists_of_the_county)
        for role, persona in FIELD.items()
    ),
    Case(ChecklistItemQuerySet, Role.UNIT_HANDLER, "county_handler", _checklists_of_the_unit),
    *(
        Case(MeetingQuerySet, role, persona, _meetings_of_the_county)
        for role, persona in COUNTY.items()
    ),
    Case(MeetingQuerySet, Role.TEAM_MEMBER, "county_team_member", _meetings_of_the_teams_tasks),
    Case(TaskQuerySet, Role.OFFICE_STAFF, "county_office", _tasks_of_the_county_office),
    Case(TaskQuerySet, Role.LEADER, "county_leader", _tasks_of_the_county_office),
    Case(TaskQuerySet, Role.DISCIPLINE, "county_discipline", _tasks_of_the_county),
    Case(TaskQuerySet, Role.TEAM_MEMBER, "county_team_member", _tasks_of_the_team),
    Case(TaskQuerySet, Role.UNIT_HANDLER, "county_handler", _tasks_coming_to_the_unit),
    *(
        Case(InspectionQuerySet, role, persona, _inspections_of_the_county)
        for role, persona in COUNTY.items()
    ),
    Case(
        InspectionQuerySet,
        Role.TEAM_MEMBER,
        "county_team_member",
        _inspections_of_the_region_or_the_team,
    ),
    Case(InspectionQuerySet, Role.UNIT_HANDLER, "county_handler", _inspections_the_unit_joined),
    Case(RevisitQuerySet, Role.OFFICE_STAFF, "county_office", _revisits_of_the_county_office),
    Case(RevisitQuerySet, Role.LEADER, "county_leader", _revisits_of_the_county_office),
    Case(RevisitQuerySet, Role.DISCIPLINE, "county_discipline", _revisits_of_the_countys_problems),
    Case(
        RevisitQuerySet, Role.TEAM_MEMBER, "county_team_member", _revisits_of_the_countys_problems
    ),
    Case(
        RevisitQuerySet, Role.UNIT_HANDLER, "county_handler", _revisits_done_of_the_units_problems
    ),
    *(
        Case(EvidenceQuerySet, role, persona, _files_of_the_county)
        for role, persona in FIELD.items()
    ),
    Case(EvidenceQuerySet, Role.UNIT_HANDLER, "county_handler", _files_of_the_unit),
    Case(EvidenceQuerySet, Role.COMMAND, "city_command", _files_of_the_commands_problems),
]

ACTING = [
    Case(TaskQuerySet, FieldAction.CANCEL_TASK, "county_office", _tasks_planned_in_the_county),
    Case(
        TaskQuerySet, FieldAction.RECORD_INSPECTION, "county_office", _tasks_planned_in_the_county
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_condition(case: Case, world: World) -> None:
    check_condition(case, world)


@pytest.mark.parametrize("case", ACTING, ids=lambda case: case.id)
def test_acting(case: Case, world: World) -> None:
    check_acting(case, world)


def test_the_team_records_any_visit_of_its_own(world: World) -> None:
    # The narrowing holds the offices to their own plans; the team goes wherever it is sent.
    task = _task(world, "city_office", site="checkpoint")
    member = world.users["county_team_member"]
    assert set(Task.objects.visible_to(member, FieldAction.RECORD_INSPECTION)) == {task}
    assert not Task.objects.visible_to(world.users["county_office"], FieldAction.RECORD_INSPECTION)
