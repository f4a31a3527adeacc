"""Who sees a referral and who acts on it (docs/referrals.md).

The referring side reads by region: office staff and leaders whose jurisdiction holds the
referral's region (the source problem's or inspection's region, so exactly those who may see
the source). The receiving side reads by address: the receiving body's own users, and a
discipline body also what was referred to the discipline bodies of its region. A police body
sees only what is addressed to it. Deciding and recording the outcome belong to the
receiving body alone.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ducha.accounts.choices import Role
from ducha.core.scope import Grant
from ducha.core.scoping import ScopedQuerySet, located_in, within
from ducha.orgs.choices import OrgKind
from ducha.referrals.choices import ACTION_ROLES, ReferralAction


def _addressed_to_the_own_body(grant: Grant) -> Q:
    return Q(receiver_id=grant.org_id)


def _addressed_to_a_discipline_body_of_the_region(grant: Grant) -> Q:
    # Its own, and those of the discipline bodies below it (a body above oversees their
    # cases), never the police's. A receiver sits at or above the referring office, which
    # sits at or above the source: a receiver in the region means a source in it too.
    return within(grant.region_path, "receiver__") & Q(receiver__kind=OrgKind.DISCIPLINE)


class ReferralQuerySet(ScopedQuerySet):
    action_roles = ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: located_in,
        Role.LEADER: located_in,
        Role.DISCIPLINE: _addressed_to_a_discipline_body_of_the_region,
        Role.POLICE: _addressed_to_the_own_body,
    }
    acting_conditions = {
        ReferralAction.ACCEPT: _addressed_to_the_own_body,
        ReferralAction.DECLINE: _addressed_to_the_own_body,
        ReferralAction.CONCLUDE: _addressed_to_the_own_body,
    }
    access_related = ("problem", "inspection", "region", "referring_office", "receiver")
    refusal = gettext_lazy("Only the receiving body may take this action on this referral.")

    def waiting(self) -> ReferralQuerySet:
        return self.filter(state="referred")

    def open_cases(self) -> ReferralQuerySet:
        return self.filter(state="accepted")
