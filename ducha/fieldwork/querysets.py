"""Who sees which field-work rows. Fail-closed: nothing without a grant.

Each queryset states one condition per grant (`_grant_condition`); `visible_to` ORs those of
the roles allowed for an action, and `roles_on` tells which roles reach one row, which the
access helpers use to tell 404 (not visible) from 403 (visible, role may not act).

Secrecy: a planned unannounced task (暗访) is shown only to members of the planner office
itself and to its team. Offices above the planner and the inspected units below see it only
once it has taken place (or been cancelled). Revisits are alike (docs/decisions/0011): units
see none before it happens, and a sampled one (杀回马枪) is seen only by the drawing office and
its teams until then.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Count, Q

from ducha.accounts.choices import Role
from ducha.core.scope import Grant, grants_for
from ducha.orgs.querysets import NOTHING

# Roles whose grants reach field work at all; command HQs deal with problems only.
FIELD_ROLES = frozenset(
    {
        Role.OFFICE_STAFF,
        Role.ADMIN,
        Role.LEADER,
        Role.DISCIPLINE,
        Role.TEAM_MEMBER,
        Role.UNIT_HANDLER,
    }
)

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


class ScopedQuerySet(models.QuerySet):
    """Per-grant conditions turned into `visible_to` and `roles_on`."""

    def _grant_condition(self, grant: Grant) -> Q:  # pragma: no cover - abstract
        raise NotImplementedError

    def _acting_condition(self, grant: Grant, action: str) -> Q:
        """What a grant may act on, within what it sees; everything it sees by default."""
        return Q()

    def _condition(self, grant: Grant, action: str = "view") -> Q:
        if grant.role not in FIELD_ROLES:
            return NOTHING
        condition = self._grant_condition(grant)
        if action != "view":
            condition &= self._acting_condition(grant, action)
        return condition

    def visible_to(self, user: Any, action: str = "view") -> Any:
        from ducha.fieldwork.choices import FIELD_ACTION_ROLES

        allowed = FIELD_ACTION_ROLES.get(action, frozenset())
        condition = NOTHING
        for grant in grants_for(user):
            if grant.role in allowed:
                condition |= self._condition(grant, action)
        # A row reached through several to-many joins must appear once.
        return self.filter(pk__in=self.model._base_manager.filter(condition).values("pk"))

    def roles_on(self, user: Any, pk: int, action: str = "view") -> set[str]:
        """The user's roles whose grants reach row `pk` (for `action`: may act on it)."""
        by_role: dict[str, Q] = {}
        for grant in grants_for(user):
            by_role[grant.role] = by_role.get(grant.role, NOTHING) | self._condition(grant, action)
        if not by_role:
            return set()
        # One query however many roles: a conditional count per role over the one row.
        found = self.model._base_manager.filter(pk=pk).aggregate(
            **{
                role: Count("pk", filter=condition, distinct=True)
                for role, condition in by_role.items()
            }
        )
        return {role for role, count in found.items() if count}


def _in_region(grant: Grant, prefix: str = "") -> Q:
    return Q(**{f"{prefix}{grant.level_field}_id": grant.region_id})


class ChecklistItemQuerySet(ScopedQuerySet):
    def _grant_condition(self, grant: Grant) -> Q:
        # Shared items, items of offices inside the jurisdiction, and of offices above it
        # (whose lists apply here too).
        path = grant.region_path or grant.org_path
        condition = Q(office__isnull=True)
        if grant.region_path:
            condition |= Q(office__path__startswith=grant.region_path)
        for region_id in ancestor_ids(path):
            condition |= Q(office__parent_id=region_id)
        return condition

    def active(self) -> ChecklistItemQuerySet:
        return self.filter(active=True)

    def editable_by(self, user: Any) -> ChecklistItemQuerySet:
        """Items the user may revise or retire: of offices inside their own jurisdiction."""
        from ducha.fieldwork.choices import FIELD_ACTION_ROLES, FieldAction

        condition = NOTHING
        for grant in grants_for(user):
            if grant.role in FIELD_ACTION_ROLES[FieldAction.EDIT_CHECKLIST] and grant.region_path:
                condition |= Q(office__path__startswith=grant.region_path)
        return self.filter(condition)


class MeetingQuerySet(ScopedQuerySet):
    def _grant_condition(self, grant: Grant) -> Q:
        if grant.role == Role.TEAM_MEMBER:
            return Q(tasks__in=_team_open_tasks(grant.team_id)) if grant.team_id else NOTHING
        if grant.role == Role.UNIT_HANDLER or not grant.region_path:
            return NOTHING
        return Q(office__path__startswith=grant.region_path)


def _team_open_tasks(team_id: int) -> Any:
    from ducha.fieldwork.models import Task

    return Task._base_manager.filter(team_id=team_id).exclude(SECRET).values("pk")


class TaskQuerySet(ScopedQuerySet):
    def _grant_condition(self, grant: Grant) -> Q:
        if grant.role == Role.TEAM_MEMBER:
            return Q(team_id=grant.team_id) if grant.team_id else NOTHING
        if grant.role == Role.UNIT_HANDLER:
            # A unit sees the visits of its own region (to join them) and those it joined.
            region_path = parent_path(grant.org_path)
            reach = Q(participants__path__startswith=grant.org_path)
            if region_path:
                reach |= _reaching(region_path)
            return reach & ~SECRET
        if not grant.region_path:
            return NOTHING
        # Tasks planned in the jurisdiction, and tasks of others that come into it.
        reach = _reaching(grant.region_path)
        return (reach & ~SECRET) | (SECRET & Q(office_id=grant.org_id))

    def _acting_condition(self, grant: Grant, action: str) -> Q:
        from ducha.fieldwork.choices import FieldAction

        if action in (FieldAction.CANCEL_TASK, FieldAction.RECORD_INSPECTION) and (
            grant.role != Role.TEAM_MEMBER
        ):
            # Only the planner's own jurisdiction changes or carries out a visit; an office
            # that merely sees a visit into its area may join it, not cancel it.
            return Q(office__path__startswith=grant.region_path) if grant.region_path else NOTHING
        return Q()

    def secret(self) -> TaskQuerySet:
        return self.filter(SECRET)

    def for_member(self, user: Any, day: date) -> TaskQuerySet:
        return tasks_for_member(user, day)


def _reaching(region_path: str) -> Q:
    return (
        Q(office__path__startswith=region_path)
        | Q(regions__path__startswith=region_path)
        | Q(sites__region__path__startswith=region_path)
    )


def tasks_for_member(user: Any, day: date) -> Any:
    """The tasks of the teams the user belongs to on `day` (not cancelled): "my tasks"."""
    from ducha.fieldwork.models import Task

    team_ids = [g.team_id for g in grants_for(user) if g.role == Role.TEAM_MEMBER and g.team_id]
    return (
        Task.objects.filter(team_id__in=team_ids, day=day)
        .exclude(state="cancelled")
        .select_related("team", "office", "meeting")
        .prefetch_related("sites", "regions", "focus_areas", "participants")
    )


def tasks_of_day(user: Any, day: date) -> Any:
    """All tasks of one day the user may see: the office's day sheet."""
    from ducha.fieldwork.models import Task

    return (
        Task.objects.visible_to(user)
        .filter(day=day)
        .select_related("team", "office", "meeting")
        .prefetch_related("sites", "regions", "focus_areas", "participants")
    )


class InspectionQuerySet(ScopedQuerySet):
    def _grant_condition(self, grant: Grant) -> Q:
        if grant.role == Role.UNIT_HANDLER:
            return Q(task__participants__path__startswith=grant.org_path)
        if grant.region_id is None:
            return Q(team_id=grant.team_id) if grant.team_id else NOTHING
        condition = _in_region(grant)
        if grant.role == Role.TEAM_MEMBER:
            condition |= Q(team_id=grant.team_id)
        return condition


class RevisitQuerySet(ScopedQuerySet):
    def _grant_condition(self, grant: Grant) -> Q:
        from ducha.problems.querysets import _grant_condition as problem_condition

        with_problem = Q(problem__in=_problems(problem_condition(grant)))
        if grant.role == Role.UNIT_HANDLER:
            # The inspected side: a revisit checks that the fix held, which a known date
            # would defeat.
            return with_problem & ~REVISIT_DUE
        return with_problem & (~SURPRISE | Q(office_id=grant.org_id))

    def due(self) -> RevisitQuerySet:
        return self.filter(state="due")


def _problems(condition: Q) -> Any:
    from ducha.problems.models import Problem

    return Problem._base_manager.filter(condition).values("pk")


class EvidenceQuerySet(ScopedQuerySet):
    def _grant_condition(self, grant: Grant) -> Q:
        from ducha.fieldwork.models import Inspection
        from ducha.problems.querysets import _grant_condition as problem_condition

        inspections = Inspection._base_manager.filter(
            InspectionQuerySet._condition(Inspection.objects.none(), grant)
        ).values("pk")
        return Q(inspection__in=inspections) | Q(problem__in=_problems(problem_condition(grant)))

    def _condition(self, grant: Grant, action: str = "view") -> Q:
        from ducha.problems.querysets import _grant_condition as problem_condition

        if grant.role == Role.COMMAND and action == "view":
            # A command HQ sees the common problems of its region, so it sees their files too.
            return Q(problem__in=_problems(problem_condition(grant)))
        return super()._condition(grant, action)
