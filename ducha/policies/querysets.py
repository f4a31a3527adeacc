"""Who sees a policy (docs/policies.md).

A policy is read in the jurisdiction of the body that issued it (its offices, leaders,
command HQ and discipline body), and by everyone who sees one of the problems it answers:
a county office reads the city HQ's measure that became its problem's lasting rule, and the
responsible unit reads the measure it must now keep. Adopting and linking belong to a command
HQ whose jurisdiction holds the issuing body.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ducha.accounts.choices import Role
from ducha.core.scope import Grant
from ducha.core.scoping import ScopedQuerySet, located_in
from ducha.policies.choices import ACTION_ROLES, PolicyAction
from ducha.problems.models import Problem


def _answering_a_problem_it_sees(grant: Grant) -> Q:
    return Q(links__problem__in=Problem.objects.reached_by(grant))


def _issued_in_the_region_or_answering(grant: Grant) -> Q:
    return located_in(grant, "issuing_body__") | _answering_a_problem_it_sees(grant)


def _issued_in_the_region(grant: Grant) -> Q:
    return located_in(grant, "issuing_body__")


class PolicyQuerySet(ScopedQuerySet):
    action_roles = ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: _issued_in_the_region_or_answering,
        Role.LEADER: _issued_in_the_region_or_answering,
        Role.COMMAND: _issued_in_the_region_or_answering,
        Role.DISCIPLINE: _issued_in_the_region_or_answering,
        Role.TEAM_MEMBER: _answering_a_problem_it_sees,
        Role.UNIT_HANDLER: _answering_a_problem_it_sees,
    }
    # A command HQ links problems to, and attaches the document of, only the policies issued
    # in its own jurisdiction.
    acting_conditions = {
        PolicyAction.LINK: _issued_in_the_region,
        PolicyAction.ATTACH: _issued_in_the_region,
    }
    # A policy answers many problems: one seen through several is kept once.
    joins_to_many = True
    access_related = ("issuing_body", "focus_area", "adopted_by")
    refusal = gettext_lazy("Only the command HQ of the issuing body's region may do this.")
