"""Who sees a suggestion and who responds to it (docs/suggestions.md).

The sender's side (its office and the offices and leaders above it, and the members of the
sending team), the receiver's own users (the unit's handlers, the command HQ, the office's
staff) and the offices and leaders above the receiver see it; only the receiver's own users
respond.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ducha.accounts.choices import Role
from ducha.core.scope import Grant
from ducha.core.scoping import NOTHING, ScopedQuerySet, within
from ducha.suggestions.choices import ACTION_ROLES, SuggestionAction


def _sent_or_received_within(grant: Grant) -> Q:
    return within(grant.region_path, "sender__") | within(grant.region_path, "receiver__")


def _own_team(grant: Grant) -> Q:
    return Q(team_id=grant.team_id) if grant.team_id else NOTHING


def _received(grant: Grant) -> Q:
    return Q(receiver_id=grant.org_id)


class SuggestionQuerySet(ScopedQuerySet):
    action_roles = ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: _sent_or_received_within,
        Role.LEADER: _sent_or_received_within,
        Role.TEAM_MEMBER: _own_team,
        Role.UNIT_HANDLER: _received,
        Role.COMMAND: _received,
    }
    # An office above the receiver reads the response; only the receiver gives it.
    acting_conditions = {SuggestionAction.RESPOND: _received}
    access_related = ("sender", "team", "receiver", "made_by", "responded_by")
    refusal = gettext_lazy("Only the receiver of a suggestion may respond to it.")
