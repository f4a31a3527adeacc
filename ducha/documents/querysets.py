"""Who sees which documents: one condition per role (ducha.core.scoping).

Office staff see every document of an issuer inside their
jurisdiction, drafts included, and may draft, edit and issue there. Leaders and discipline
bodies read what their jurisdiction issued. An issued document is also read by the org it is
addressed to, and a unit reads the problem lists that name its problems. Team members see
nothing, and command HQs and the police (a referral letter's receiver) only what is
addressed to them; administrators (三员) nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ducha.accounts.choices import Role
from ducha.core.scope import Grant
from ducha.core.scoping import VIEW, ScopedQuerySet, within
from ducha.documents.choices import DOC_ACTION_ROLES, DocAction
from ducha.orgs.choices import OrgKind


class DocumentLocked(RuntimeError):
    def __init__(self) -> None:
        super().__init__("An issued document is a record: it cannot be changed or deleted.")


ISSUED = Q(state="issued")


def _issued_here(grant: Grant) -> Q:
    return within(grant.region_path, "issuer__")


def _addressed(grant: Grant) -> Q:
    return ISSUED & within(grant.org_path, "recipient__")


def _of_the_jurisdiction_or_addressed(grant: Grant) -> Q:
    return _issued_here(grant) | _addressed(grant)


def _issued_by_the_jurisdiction_or_addressed(grant: Grant) -> Q:
    return (ISSUED & _issued_here(grant)) | _addressed(grant)


def _addressed_or_listing_the_units_problems(grant: Grant) -> Q:
    lists = Q(kind="problem_list") & within(grant.org_path, "listed__responsible_org__")
    return _addressed(grant) | (ISSUED & lists)


class DocumentQuerySet(ScopedQuerySet):
    action_roles = DOC_ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: _of_the_jurisdiction_or_addressed,
        Role.LEADER: _issued_by_the_jurisdiction_or_addressed,
        Role.DISCIPLINE: _issued_by_the_jurisdiction_or_addressed,
        Role.UNIT_HANDLER: _addressed_or_listing_the_units_problems,
        Role.COMMAND: _addressed,
        Role.POLICE: _addressed,
    }
    # Drafting, editing and issuing belong to the offices of the issuer's jurisdiction, not to
    # an office that merely received the document (every action but reading).
    acting_conditions = {action: _issued_here for action in DOC_ACTION_ROLES if action != VIEW}
    # The join through listed problems may meet a document several times.
    joins_to_many = True
    access_related = ("issuer", "recipient", "issued_by", "created_by")
    refusal = gettext_lazy("Your role may not do this with this document.")

    # Bulk writes never touch issued documents.

    def update(self, **kwargs: Any) -> int:
        if self.filter(state="issued").exists():
            raise DocumentLocked
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(state="issued").exists():
            raise DocumentLocked
        return super().delete()


def _offices_of_the_region(grant: Grant) -> Q:
    return within(grant.region_path) & Q(kind=OrgKind.OFFICE)


class IssuingOffices(ScopedQuerySet):
    """Offices as drafting sees them (a rule-book for the org tree's model): in whose name
    one may draft a document, inside the jurisdiction of an office role."""

    action_roles = {VIEW: DOC_ACTION_ROLES[DocAction.DRAFT]}
    conditions = {
        Role.OFFICE_STAFF: _offices_of_the_region,
    }
