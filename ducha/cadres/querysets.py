"""Who sees observations of cadres and the organisation department's lists (docs/cadres.md).

The organisation department of a jurisdiction sees every observation and candidate located
in it; a team member sees the observations they recorded themselves, never a list. Every
other role reaches nothing (fail-closed): the office, leaders, discipline bodies, units, the
command HQ and the police alike.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ducha.accounts.choices import Role
from ducha.cadres.choices import CANDIDATE_ROLES, OBSERVATION_ROLES
from ducha.core.scope import Grant
from ducha.core.scoping import ScopedQuerySet, located_in


def _located_in_jurisdiction(grant: Grant) -> Q:
    return located_in(grant)


class ObservationQuerySet(ScopedQuerySet):
    action_roles = OBSERVATION_ROLES
    conditions = {
        Role.ORGANISATION: _located_in_jurisdiction,
    }
    owner_field = "recorded_by"
    access_related = ("org", "team", "recorded_by")
    refusal = gettext_lazy("Your role may not take this action on this observation.")


class CandidateQuerySet(ScopedQuerySet):
    action_roles = CANDIDATE_ROLES
    conditions = {
        Role.ORGANISATION: _located_in_jurisdiction,
    }
    access_related = ("org", "listed_by", "closed_by")
    refusal = gettext_lazy("Your role may not take this action on this candidate.")
