"""Who sees observations of cadres and the organisation department's lists (docs/cadres.md).

The organisation department of a jurisdiction sees every observation and candidate located
in it; a team member sees the observations they recorded themselves, never a list. Every
other role reaches nothing (fail-closed): the office, leaders, discipline bodies, units, the
command HQ and the police alike.
"""

from __future__ import annotations

from django.db import models
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


def named(rows: models.QuerySet, q: str) -> models.QuerySet:
    """The rows whose cadre's name holds `q`. Names are encrypted, so the database cannot
    compare them: they are read and compared here, over the rows the caller may see (one
    organisation department's jurisdiction, its own records for a team member)."""
    ids = [pk for pk, name in rows.order_by().values_list("pk", "person_name") if q in name]
    return rows.filter(pk__in=ids)
