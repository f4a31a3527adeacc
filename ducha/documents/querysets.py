"""Who sees which documents. Fail-closed: nothing without a grant.

Offices (staff and administrators) see every document of an issuer inside their
jurisdiction, drafts included, and may draft, edit and issue there. Leaders and discipline
bodies read what their jurisdiction issued. An issued document is also read by the org it is
addressed to, and a unit reads the problem lists that name its problems. Team members and
command HQs see nothing unless it is addressed to them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, Q

from ducha.accounts.choices import Role
from ducha.core.scope import Grant, grants_for
from ducha.orgs.querysets import NOTHING


class DocumentLocked(RuntimeError):
    def __init__(self) -> None:
        super().__init__("An issued document is a record: it cannot be changed or deleted.")


ISSUED = Q(state="issued")
READER_ROLES = frozenset({Role.LEADER, Role.DISCIPLINE})


def _in_jurisdiction(grant: Grant) -> Q:
    if not grant.region_path:
        return NOTHING
    return Q(issuer__path__startswith=grant.region_path)


def _addressed(grant: Grant) -> Q:
    return ISSUED & Q(recipient__path__startswith=grant.org_path)


def view_condition(grant: Grant) -> Q:
    """The documents one grant may read. One condition per role, each tested."""
    from ducha.documents.choices import OFFICE_ROLES

    if grant.role in OFFICE_ROLES:
        return _in_jurisdiction(grant) | _addressed(grant)
    if grant.role in READER_ROLES:
        return (ISSUED & _in_jurisdiction(grant)) | _addressed(grant)
    if grant.role == Role.UNIT_HANDLER:
        lists_naming_the_unit = Q(
            kind="problem_list", listed__responsible_org__path__startswith=grant.org_path
        )
        return _addressed(grant) | (ISSUED & lists_naming_the_unit)
    if grant.role == Role.COMMAND:
        return _addressed(grant)
    return NOTHING


def act_condition(grant: Grant, action: str) -> Q:
    """The documents one grant may take `action` on: its own jurisdiction's, by role."""
    from ducha.documents.choices import DOC_ACTION_ROLES

    if action == "view":
        return view_condition(grant)
    if grant.role not in DOC_ACTION_ROLES.get(action, frozenset()):
        return NOTHING
    return _in_jurisdiction(grant)


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user: Any, action: str = "view") -> DocumentQuerySet:
        condition = NOTHING
        for grant in grants_for(user):
            condition |= act_condition(grant, action)
        # The join through listed problems may meet a document several times.
        return self.filter(pk__in=self.model._base_manager.filter(condition).values("pk"))

    def roles_on(self, user: Any, pk: int, action: str = "view") -> set[str]:
        """The user's roles that reach document `pk` (for `action`: may take it), in one query."""
        by_role: dict[str, Q] = {}
        for grant in grants_for(user):
            by_role[grant.role] = by_role.get(grant.role, NOTHING) | act_condition(grant, action)
        if not by_role:
            return set()
        found = self.model._base_manager.filter(pk=pk).aggregate(
            **{
                role: Count("pk", filter=condition, distinct=True)
                for role, condition in by_role.items()
            }
        )
        return {role for role, count in found.items() if count}

    # Bulk writes never touch issued documents.

    def update(self, **kwargs: Any) -> int:
        if self.filter(state="issued").exists():
            raise DocumentLocked
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(state="issued").exists():
            raise DocumentLocked
        return super().delete()
