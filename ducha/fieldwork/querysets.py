"""Who sees which field-work rows: one condition per role (ducha.core.scoping).

Command HQs deal with problems only: no field-work model lists them, except the evidence of
the problems they see.

Secrecy: a planned unannounced task (暗访) is shown only to members of the planner office
itself and to its team. Offices above the planner and the inspected units below see it only
once it has taken place (or been cancelled). Revisits are alike (docs/decisions/0011): units
see none before it happens, and a sampled one (杀回马枪) is seen only by the drawing office and
its teams until then.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Q

from ducha.accounts.choices import Role
from ducha.core.scope import Grant, grants_for
from ducha.core.scoping import NOTHING, ScopedQuerySet, any_of, located_in, within
from ducha.fieldwork.choices import FIELD_ACTION_ROLES, FieldAction
from ducha.problems.models import Problem

SECRET = Q(method="unannounced", state="planned")
# Revisits still to happen: hidden from the inspected units. A 杀回马枪 drawn at random is
# seen, like a secret visit, only by the office that drew it and its teams until it happens.
REVISIT_DUE = Q(state="due")
SURPRISE = Q(sampled=True, state="due")


def ancestor_ids(path: str) -> list[int]:
    """Ids on a materialised path, root first: "/1/7/42/" → [1, 7, 42]."""
    return [int(part) for part in path.strip("/").split("/") if part]


def parent_path(path: str) -> str:
    """The path of an org's parent: a unit's region for departments placed under a region."""
    ids = ancestor_ids(path)[:-1]
    return "/" + "".join(f"{pk}/" for pk in ids) if ids else ""


class FieldQuerySet(ScopedQuerySet):
    action_roles = FIELD_ACTION_ROLES


def _own_team(grant: Grant) -> Q:
    return Q(team_id=grant.team_id) if grant.team_id else NOTHING


def _problems_reached(grant: Grant) -> Q:
    return Q(problem__in=Problem.objects.reached_by(grant))


# --- checklists ---------------------------------------------------------------------------


def _checklists_that_apply(grant: Grant) -> Q:
    # Shared items, items of offices inside the jurisdiction, and of offices above it
    # (whose lists apply here too).
    path = grant.region_path or grant.org_path
    above = [Q(office__parent_id=region_id) for region_id in ancestor_ids(path)]
    return any_of([Q(office__isnull=True), within(grant.region_path, "office__"), *above])


class ChecklistItemQuerySet(FieldQuerySet):
    conditions = {
        Role.OFFICE_STAFF: _checklists_that_apply,
        Role.LEADER: _checklists_that_apply,
        Role.DISCIPLINE: _checklists_that_apply,
        Role.TEAM_MEMBER: _checklists_that_apply,
        Role.UNIT_HANDLER: _checklists_that_apply,
    }
    access_related = ("focus_area", "office")

    def active(self) -> ChecklistItemQuerySet:
        return self.filter(active=True)

    def editable_by(self, user: Any) -> ChecklistItemQuerySet:
        """Items the user may revise or retire: of offices inside their own jurisdiction."""
        allowed = FIELD_ACTION_ROLES[FieldAction.EDIT_CHECKLIST]
        return self.filter(
            any_of(
                within(grant.region_path, "office__")
                for grant in grants_for(user)
                if grant.role in allowed
            )
        )


# --- meetings -----------------------------------------------------------------------------


def _meetings_of_the_region(grant: Grant) -> Q:
    return within(grant.region_path, "office__")


def _meetings_of_the_teams_tasks(grant: Grant) -> Q:
    if not grant.team_id:
        return NOTHING
    # By label: this module builds the models' managers, so it cannot import them.
    open_tasks = (
        apps.get_model("fieldwork", "Task")
        ._base_manager.filter(team_id=grant.team_id)
        .exclude(SECRET)
    )
    return Q(tasks__in=open_tasks.values("pk"))


class MeetingQuerySet(FieldQuerySet):
    conditions = {
        Role.OFFICE_STAFF: _meetings_of_the_region,
        Role.LEADER: _meetings_of_the_region,
        Role.DISCIPLINE: _meetings_of_the_region,
        Role.TEAM_MEMBER: _meetings_of_the_teams_tasks,
    }
    joins_to_many = True
    access_related = ("office", "created_by")


# --- tasks --------------------------------------------------------------------------------


def _reaching(region_path: str) -> Q:
    return (
        within(region_path, "office__")
        | within(region_path, "regions__")
        | within(region_path, "sites__region__")
    )


def _tasks_of_the_region(grant: Grant) -> Q:
    # Tasks planned in the jurisdiction, and tasks of others that come into it; a secret one
    # only for its own planner office.
    if not grant.region_path:
        return NOTHING
    return (_reaching(grant.region_path) & ~SECRET) | (SECRET & Q(office_id=grant.org_id))


def _tasks_coming_to_the_unit(grant: Grant) -> Q:
    # A unit sees the visits of its own region (to join them) and those it joined.
    reach = within(grant.org_path, "participants__")
    region_path = parent_path(grant.org_path)
    if region_path:
        reach |= _reaching(region_path)
    return reach & ~SECRET


def _planned_here(grant: Grant) -> Q:
    # Only the planner's own jurisdiction changes or carries out a visit; an office that
    # merely sees a visit into its area may join it, not cancel it. The team goes.
    if grant.role == Role.TEAM_MEMBER:
        return Q()
    return within(grant.region_path, "office__")


class TaskQuerySet(FieldQuerySet):
    conditions = {
        Role.OFFICE_STAFF: _tasks_of_the_region,
        Role.LEADER: _tasks_of_the_region,
        Role.DISCIPLINE: _tasks_of_the_region,
        Role.TEAM_MEMBER: _own_team,
        Role.UNIT_HANDLER: _tasks_coming_to_the_unit,
    }
    acting_conditions = {
        FieldAction.CANCEL_TASK: _planned_here,
        FieldAction.RECORD_INSPECTION: _planned_here,
    }
    joins_to_many = True
    access_related = ("office", "team", "meeting", "created_by")

    def secret(self) -> TaskQuerySet:
        return self.filter(SECRET)

    def for_member(self, user: Any, day: date) -> TaskQuerySet:
        """The tasks of the teams the user belongs to on `day` (not cancelled): "my tasks"."""
        team_ids = [g.team_id for g in grants_for(user) if g.role == Role.TEAM_MEMBER and g.team_id]
        return (
            self.filter(team_id__in=team_ids, day=day)
            .exclude(state="cancelled")
            .select_related("team", "office", "meeting")
            .prefetch_related("sites", "regions", "focus_areas", "participants")
        )

    def of_day(self, user: Any, day: date) -> TaskQuerySet:
        """All tasks of one day the user may see: the office's day sheet."""
        return (
            self.visible_to(user)
            .filter(day=day)
            .select_related("team", "office", "meeting")
            .prefetch_related("sites", "regions", "focus_areas", "participants")
        )


# --- inspections, revisits, evidence -------------------------------------------------------


def _inspections_in_the_region_or_by_the_team(grant: Grant) -> Q:
    return located_in(grant) | _own_team(grant)


def _inspections_the_unit_joined(grant: Grant) -> Q:
    return within(grant.org_path, "task__participants__")


class InspectionQuerySet(FieldQuerySet):
    conditions = {
        Role.OFFICE_STAFF: located_in,
        Role.LEADER: located_in,
        Role.DISCIPLINE: located_in,
        Role.TEAM_MEMBER: _inspections_in_the_region_or_by_the_team,
        Role.UNIT_HANDLER: _inspections_the_unit_joined,
    }
    joins_to_many = True
    access_related = ("team", "task", "region", "recorded_by")


def _revisits_of_problems_seen(grant: Grant) -> Q:
    # A sampled revisit, until it happens, only for the office that drew it and its teams.
    return _problems_reached(grant) & (~SURPRISE | Q(office_id=grant.org_id))


def _revisits_done_of_the_units_problems(grant: Grant) -> Q:
    # The inspected side: a revisit checks that the fix held, which a known date would defeat.
    return _problems_reached(grant) & ~REVISIT_DUE


class RevisitQuerySet(FieldQuerySet):
    conditions = {
        Role.OFFICE_STAFF: _revisits_of_problems_seen,
        Role.LEADER: _revisits_of_problems_seen,
        Role.DISCIPLINE: _revisits_of_problems_seen,
        Role.TEAM_MEMBER: _revisits_of_problems_seen,
        Role.UNIT_HANDLER: _revisits_done_of_the_units_problems,
    }
    access_related = ("problem", "inspection")

    def due(self) -> RevisitQuerySet:
        return self.filter(state="due")


def _files_of_inspections_or_problems_seen(grant: Grant) -> Q:
    # By label: this module builds the models' managers, so it cannot import them.
    inspections = apps.get_model("fieldwork", "Inspection").objects.reached_by(grant)
    return Q(inspection__in=inspections) | _problems_reached(grant)


class EvidenceQuerySet(FieldQuerySet):
    conditions = {
        Role.OFFICE_STAFF: _files_of_inspections_or_problems_seen,
        Role.LEADER: _files_of_inspections_or_problems_seen,
        Role.DISCIPLINE: _files_of_inspections_or_problems_seen,
        Role.TEAM_MEMBER: _files_of_inspections_or_problems_seen,
        Role.UNIT_HANDLER: _files_of_inspections_or_problems_seen,
        # A command HQ sees the common problems of its region, so it sees their files too.
        Role.COMMAND: _problems_reached,
    }
    access_related = ("inspection", "problem", "uploaded_by")
