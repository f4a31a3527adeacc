"""Who sees a batch and its handovers (docs/matters.md).

The issuing office and every office above it see the batch and the progress of every
handover; a receiving office (and those above it) sees the batch and its own handovers only,
never a neighbour's; units see the problems made of a matter through the loop's own rules.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ducha.accounts.choices import Role
from ducha.core.scope import Grant
from ducha.core.scoping import ScopedQuerySet, within
from ducha.matters.choices import ACTION_ROLES, MatterAction


def _issued_or_received_within(grant: Grant) -> Q:
    return within(grant.region_path, "issuing_office__") | within(
        grant.region_path, "matters__handovers__office__"
    )


def _handover_within(grant: Grant) -> Q:
    return within(grant.region_path, "office__") | within(
        grant.region_path, "matter__batch__issuing_office__"
    )


def _own_office(grant: Grant) -> Q:
    # Signing, breaking down and reporting are the receiving office's own work, not its
    # superiors'.
    return Q(office_id=grant.org_id)


def _issued_within(grant: Grant) -> Q:
    return within(grant.region_path, "matter__batch__issuing_office__")


class MatterBatchQuerySet(ScopedQuerySet):
    action_roles = ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: _issued_or_received_within,
        Role.LEADER: _issued_or_received_within,
    }
    # A batch is reached through each of its handovers.
    joins_to_many = True
    access_related = ("issuing_office", "created_by")
    refusal = gettext_lazy("Your role may not take this action on this batch of matters.")


class HandoverQuerySet(ScopedQuerySet):
    action_roles = ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: _handover_within,
        Role.LEADER: _handover_within,
    }
    acting_conditions = {
        MatterAction.SIGN: _own_office,
        MatterAction.BREAK_DOWN: _own_office,
        MatterAction.REPORT: _own_office,
        MatterAction.URGE: _issued_within,
        MatterAction.ACCEPT: _issued_within,
    }
    access_related = ("matter", "matter__batch", "matter__batch__issuing_office", "office")
    refusal = gettext_lazy("Your role may not take this action on this matter.")
