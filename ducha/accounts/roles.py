"""Granting and withdrawing roles (memberships), and 三员分立's constraint on them.

The three administrator roles (system, security, audit) are never combined in one account,
and an administrator's account holds no role of the loop either: an administrator who could
also act on problems, or audit the trail of their own administration, would defeat the
separation. Who grants what:

- the administrator roles only a superuser grants or withdraws (a system administrator who
  could make an account an audit administrator could audit himself);
- a loop role, a superuser, or a system administrator at an org inside his jurisdiction, to
  an account he administers (`administration.administers`) or to one that holds no role yet
  (an account he has just created is nobody's jurisdiction until its first role).

Every grant and withdrawal writes one audit row; so does every refusal, outside the refused
transaction so that it stays. The admin site's membership inline checks its rows with
`grant_refusal` before saving anything, then saves through these actions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ducha.accounts import audit
from ducha.accounts.administration import administers, jurisdiction_paths
from ducha.accounts.choices import ADMIN_ROLES, LOOP_ROLES, Role, SecurityEventKind
from ducha.accounts.models import Membership, User
from ducha.core.errors import InvalidInput
from ducha.core.scope import forget_grants


def _inside_jurisdiction(acting_user: Any, org: Any) -> bool:
    return any(
        org.path.startswith(path) for path in jurisdiction_paths(acting_user, Role.SYSTEM_ADMIN)
    )


def _unattached(user: Any, acting_user: Any) -> bool:
    """An account with no role at all (just created), not a superuser, not oneself."""
    if user.pk is None:
        return True
    if user.is_superuser or user.pk == acting_user.pk:
        return False
    return not Membership.objects.filter(user_id=user.pk).exists()


def may_manage(acting_user: Any, user: Any, org: Any, role: str) -> bool:
    """Whether `acting_user` may grant or withdraw `role` at `org` for `user`."""
    if acting_user.is_superuser:
        return True
    if role in ADMIN_ROLES or not _inside_jurisdiction(acting_user, org):
        return False
    return _unattached(user, acting_user) or administers(acting_user, Role.SYSTEM_ADMIN, user)


def combination_refusal(role: str, held: Iterable[str]) -> str | None:
    """Why an account holding `held` may not also hold `role` (三员分立), or None."""
    others = set(held) - {role}
    if role in ADMIN_ROLES and others & ADMIN_ROLES:
        return _(
            "An account may hold only one of the three administrator roles (system, security, "
            "audit administrator)."
        )
    if role in ADMIN_ROLES and others & LOOP_ROLES:
        return _(
            "An administrator's account holds no other role: this account already holds a "
            "role of the supervision work."
        )
    if role in LOOP_ROLES and others & ADMIN_ROLES:
        return _(
            "This account holds an administrator role: an administrator's account holds no "
            "other role."
        )
    return None


def grant_refusal(
    user: Any, *, acting_user: Any, org: Any, role: str, held: Iterable[str]
) -> str | None:
    """Why `acting_user` may not give `user` (who will otherwise hold `held`) `role` at `org`."""
    if role not in Role.values:
        return _("Select a valid role.")
    if not may_manage(acting_user, user, org, role):
        if role in ADMIN_ROLES:
            return _("Only a superuser may grant an administrator role.")
        return _("You may not grant this role to this account at this organisation.")
    return combination_refusal(role, held)


def withdrawal_refusal(acting_user: Any, membership: Membership) -> str | None:
    """Why `acting_user` may not take `membership` back, or None."""
    if may_manage(acting_user, membership.user, membership.org, membership.role):
        return None
    if membership.role in ADMIN_ROLES:
        return _("Only a superuser may withdraw an administrator role.")
    return _("You may not withdraw this role from this account at this organisation.")


def record_refusal(
    user: Any,
    *,
    acting_user: Any,
    org: Any,
    role: str,
    reason: str,
    request: HttpRequest | None = None,
) -> None:
    audit.record(
        SecurityEventKind.ROLE_REFUSED,
        request=request,
        actor=acting_user,
        subject=user if user.pk else None,
        account=user.get_username(),
        org=org.pk,
        role=role,
        reason=reason,
    )


def _refused(
    user: Any, *, acting_user: Any, org: Any, role: str, reason: str, request: HttpRequest | None
) -> InvalidInput:
    # Recorded after the refused transaction has rolled back, so that the row stays.
    record_refusal(
        user, acting_user=acting_user, org=org, role=role, reason=reason, request=request
    )
    return InvalidInput(reason, "role")


def do_grant_role(
    user: Any, *, acting_user: Any, org: Any, role: str, request: HttpRequest | None = None
) -> Membership:
    """Give `user` the role `role` at `org` (InvalidInput on `role` when refused)."""
    try:
        return _grant(user, acting_user=acting_user, org=org, role=role, request=request)
    except InvalidInput as refusal:
        raise _refused(
            user,
            acting_user=acting_user,
            org=org,
            role=role,
            reason=refusal.message,
            request=request,
        ) from None


@transaction.atomic
def _grant(
    user: Any, *, acting_user: Any, org: Any, role: str, request: HttpRequest | None
) -> Membership:
    # The user's row is locked, so that two grants at once cannot both pass the constraint.
    forget_grants(user)
    user = User.objects.select_for_update().get(pk=user.pk)
    held = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    refusal = grant_refusal(user, acting_user=acting_user, org=org, role=role, held=held)
    if refusal:
        raise InvalidInput(refusal, "role")
    if Membership.objects.filter(user=user, org=org, role=role).exists():
        raise InvalidInput(_("This account already holds this role at this organisation."), "role")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, org=org, role=role)
    except IntegrityError:
        raise InvalidInput(
            _("This account already holds this role at this organisation."), "role"
        ) from None
    audit.record(
        SecurityEventKind.MEMBERSHIP_ADDED,
        request=request,
        actor=acting_user,
        subject=user,
        membership=membership.pk,
        org=org.pk,
        role=role,
    )
    forget_grants(user)
    return membership


def do_withdraw_role(
    membership: Membership, *, acting_user: Any, request: HttpRequest | None = None
) -> None:
    """Take a role back (InvalidInput on `role` when the acting user may not)."""
    try:
        _withdraw(membership, acting_user=acting_user, request=request)
    except InvalidInput as refusal:
        raise _refused(
            membership.user,
            acting_user=acting_user,
            org=membership.org,
            role=membership.role,
            reason=refusal.message,
            request=request,
        ) from None


@transaction.atomic
def _withdraw(membership: Membership, *, acting_user: Any, request: HttpRequest | None) -> None:
    forget_grants(membership.user)
    user = User.objects.select_for_update().get(pk=membership.user_id)
    found = Membership.objects.filter(pk=membership.pk).select_related("org").first()
    if found is None:
        return  # already withdrawn: nothing changes, nothing is recorded
    found.user = user
    refusal = withdrawal_refusal(acting_user, found)
    if refusal:
        raise InvalidInput(refusal, "role")
    pk, org_id, role = found.pk, found.org_id, found.role
    found.delete()
    audit.record(
        SecurityEventKind.MEMBERSHIP_REMOVED,
        request=request,
        actor=acting_user,
        subject=user,
        membership=pk,
        org=org_id,
        role=role,
    )
    forget_grants(user)
