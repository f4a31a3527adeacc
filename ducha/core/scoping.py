"""The scoping kernel: grants turned into filters, and single objects with the caller's roles.

A scoped model's queryset subclasses `ScopedQuerySet` and declares, in one place:

- `action_roles`: its app's rule-book, action → the roles that may take it;
- `conditions`: role → the rows one grant of that role reaches, one condition per line. A role
  that is not listed reaches nothing of the model (fail-closed);
- `acting_conditions` (optional): action → what a grant may act on, within what it sees;
- `joins_to_many`: whether a condition crosses a to-many relation, so that a row could match
  more than once (then rows are kept by `pk IN (…)`, never by DISTINCT on the whole query);
- `owner_field` (optional): rows that belong to the user themselves, whatever their grants,
  counted under the pseudo-role `OWNER`;
- `access_related` and `refusal`: what `access()` loads with the object, and what it says
  when the role may not take the action.

`visible_to(user, action)` and `roles_on(user, pk, action)` are written here once, and
`access()` answers 404 for a bad id, a missing row and a row out of scope alike, and 403 for
a visible row the caller's roles may not act on (docs/decisions/0002).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from ducha.core.audit_hooks import refused
from ducha.core.errors import InvalidInput
from ducha.core.scope import Grant, grants_for, is_active_user

VIEW = "view"
# The pseudo-role of the user a row belongs to (its `owner_field`), next to the real roles.
OWNER = "owner"

NOTHING = Q(pk__in=[])

Condition = Callable[[Grant], Q]
M = TypeVar("M", bound=models.Model)


def any_of(conditions: Iterable[Q]) -> Q:
    result = NOTHING
    for condition in conditions:
        result |= condition
    return result


def within(path: str, prefix: str = "") -> Q:
    """Rows whose org (`prefix` leads to it; none: the org itself) lies in the subtree at
    `path`. An empty path reaches nothing."""
    return Q(**{f"{prefix}path__startswith": path}) if path else NOTHING


def located_in(grant: Grant, prefix: str = "") -> Q:
    """Rows located in the grant's region: one indexed equality on the column of its level."""
    if grant.region_id is None or not grant.level_field:
        return NOTHING
    return Q(**{f"{prefix}{grant.level_field}_id": grant.region_id})


# Missing and out-of-scope read the same, so ids cannot be probed.
NOT_IN_SCOPE = gettext_lazy("Not found in your jurisdiction.")


def not_in_scope(field: str) -> InvalidInput:
    return InvalidInput(str(NOT_IN_SCOPE), field)


class ScopedQuerySet(models.QuerySet):
    action_roles: ClassVar[Mapping[str, frozenset[str]]] = {}
    conditions: ClassVar[Mapping[str, Condition]] = {}
    acting_conditions: ClassVar[Mapping[str, Condition]] = {}
    joins_to_many: ClassVar[bool] = False
    owner_field: ClassVar[str] = ""
    access_related: ClassVar[tuple[str, ...]] = ()
    refusal: ClassVar[str | Promise] = gettext_lazy("Your role may not take this action here.")

    @classmethod
    def condition(cls, grant: Grant, action: str = VIEW) -> Q:
        """The rows one grant reaches (for an action: may act on), whatever the action table
        says of its role; `visible_to` and `roles_on` apply the table."""
        reach = cls.conditions.get(grant.role)
        if reach is None:
            return NOTHING
        condition = reach(grant)
        narrowed = cls.acting_conditions.get(action)
        if narrowed is not None:
            condition &= narrowed(grant)
        return condition

    def _by_role(self, user: Any, action: str) -> dict[str, Q]:
        """What each of the user's roles allowed to take `action` reaches."""
        allowed = self.action_roles.get(action, frozenset())
        by_role: dict[str, Q] = {}
        for grant in grants_for(user):
            if grant.role in allowed:
                by_role[grant.role] = by_role.get(grant.role, NOTHING) | self.condition(
                    grant, action
                )
        if self.owner_field and OWNER in allowed and is_active_user(user):
            by_role[OWNER] = Q(**{self.owner_field: user.pk})
        return by_role

    def visible_to(self, user: Any, action: str = VIEW) -> Any:
        """The rows the user may see (or take `action` on). Nothing without a grant."""
        condition = any_of(self._by_role(user, action).values())
        if self.joins_to_many:
            # A row met through several to-many joins must appear once.
            return self.filter(pk__in=self.model._base_manager.filter(condition).values("pk"))
        return self.filter(condition)

    @classmethod
    def whole_region(cls, user: Any) -> Grant | None:
        """The grant of the one region whose located rows are exactly what the user sees; None
        when what they see has another shape (a unit's rows, a team's, several regions).

        It holds when every grant that may see reaches by `located_in` and one grant's region
        contains the others' (a region inside another adds nothing to it). Figures kept per
        region, such as the problems' rollups, then stand for counting the rows.
        """
        if cls.owner_field or VIEW in cls.acting_conditions:
            return None
        allowed = cls.action_roles.get(VIEW, frozenset())
        grants = [grant for grant in grants_for(user) if grant.role in allowed]
        if not grants:
            return None
        for grant in grants:
            if cls.conditions.get(grant.role) is not located_in:
                return None
            if not (grant.region_id and grant.level_field and grant.region_path):
                return None
        root = min(grants, key=lambda grant: len(grant.region_path))
        if all(grant.region_path.startswith(root.region_path) for grant in grants):
            return root
        return None

    def roles_on(self, user: Any, pk: int, action: str = VIEW) -> frozenset[str]:
        """The user's roles that reach row `pk` (for `action`: may take it there)."""
        by_role = self._by_role(user, action)
        if not by_role:
            return frozenset()
        # One query however many roles: a conditional count per role over the one row.
        found = self.model._base_manager.filter(pk=pk).aggregate(
            **{
                role: Count("pk", filter=condition, distinct=self.joins_to_many)
                for role, condition in by_role.items()
            }
        )
        return frozenset(role for role, count in found.items() if count)

    def reached_by(self, grant: Grant, action: str = VIEW) -> Any:
        """The ids one grant reaches: for models scoped through another (a revisit through
        its problem), as a subquery."""
        return self.model._base_manager.filter(self.condition(grant, action)).values("pk")


@dataclass(frozen=True)
class Access(Generic[M]):
    """A single object and the caller's roles that reach it (what `access()` returns)."""

    obj: M
    roles: frozenset[str]


def scoped(model: type[models.Model]) -> ScopedQuerySet:
    rows = model._default_manager.all()
    if not isinstance(rows, ScopedQuerySet):
        raise TypeError(f"{model.__name__} is not scoped: its manager is not a ScopedQuerySet")
    return rows


def object_pk(object_id: Any) -> int:
    """The id a caller sent, or 404 when it is not one: a bad id reads like a missing row."""
    try:
        return int(object_id)
    except (TypeError, ValueError):
        raise Http404 from None


def access(
    model: type[M],
    user: Any,
    object_id: Any,
    action: str = VIEW,
    *,
    refusal: str | Promise | None = None,
    rules: type[ScopedQuerySet] | None = None,
) -> Access[M]:
    """One object through the user's grants.

    404 for a bad id, a missing row and a row out of scope alike; 403 (with the model's
    `refusal`) when the row is visible but no role of the user may take `action` on it.
    `rules` reads the model through another app's rule-book instead of its own (the daily
    cycle's offices and teams), under the same algorithm.
    """
    pk = object_pk(object_id)
    rows = rules(model=model) if rules is not None else scoped(model)
    roles = rows.roles_on(user, pk)
    if not roles:
        # The caller hears 404 either way; the audit trail notes rows that exist.
        refused(model, user, pk)
        raise Http404
    if action != VIEW:
        acting = roles & rows.action_roles.get(action, frozenset())
        if acting and action in rows.acting_conditions:
            acting = rows.roles_on(user, pk, action)
        if not acting:
            # Visible, so its existence is no secret; the role simply may not do this.
            raise PermissionDenied(str(refusal or rows.refusal))
    obj = model._default_manager.select_related(*rows.access_related).filter(pk=pk).first()
    if obj is None:  # deleted in between
        raise Http404
    return Access(obj, roles)
