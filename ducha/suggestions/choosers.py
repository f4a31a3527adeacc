"""What the fields of a suggestion may name (docs/decisions/0015): the page offers these
rows, the API picks ids among them, and the actions check against them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import OFFICE_ROLES
from ducha.core.choosers import Chooser
from ducha.core.scope import grants_for
from ducha.core.scoping import NOTHING
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org, Team
from ducha.problems.choices import Action, Nature
from ducha.problems.models import Problem
from ducha.suggestions.choices import RECEIVER_KINDS, TAKEN_UP
from ducha.suggestions.models import Suggestion


def sending_offices(user: Any) -> QuerySet[Org]:
    """The offices whose staff the user is: an office suggests in its own name."""
    ids = {grant.org_id for grant in grants_for(user) if grant.role in OFFICE_ROLES}
    return Org.objects.filter(pk__in=ids, kind=OrgKind.OFFICE).order_by("tree_order")


def sending_teams(user: Any) -> QuerySet[Team]:
    """The active teams the user is a member of: a team suggests in its own name."""
    ids = {grant.team_id for grant in grants_for(user) if grant.team_id}
    return Team.objects.filter(pk__in=ids, active=True).order_by("sort_key")


def regions_of(office: Org | None, team: Team | None) -> list[Org]:
    if team is not None:
        regions = list(team.regions.all())
        if regions:
            return regions
        office = team.dispatched_by
    region = office.region if office is not None else None
    return [region] if region is not None else []


def receivers(office: Org | None, team: Team | None = None) -> QuerySet[Org]:
    """Units, departments, offices and command HQs of the sender's jurisdiction (a team's:
    the regions it covers), never the sending office itself."""
    inside = NOTHING
    for region in regions_of(office, team):
        inside |= Q(path__startswith=region.path)
    rows = Org.objects.filter(inside, kind__in=RECEIVER_KINDS)
    if office is not None and team is None:
        rows = rows.exclude(pk=office.pk)
    return rows.order_by("tree_order")


def problems_for(user: Any) -> QuerySet[Problem]:
    return Problem.objects.visible_to(user)


def rule_problems(user: Any) -> QuerySet[Problem]:
    """Common problems whose lasting rule the user may record, with a rule recorded."""
    return (
        Problem.objects.visible_to(user, Action.INSTITUTIONALIZE)
        .filter(nature=Nature.COMMON)
        .exclude(rule="")
    )


def citable(user: Any) -> QuerySet[Suggestion]:
    """Suggestions the user sees that were taken up, wholly or in part."""
    return Suggestion.objects.visible_to(user).filter(state__in=TAKEN_UP)


OFFICE = Chooser("office", sending_offices, _("Choose an office whose staff you are."))
TEAM = Chooser("team", sending_teams, _("Choose a team you are a member of."))
RECEIVER = Chooser(
    "receiver",
    receivers,
    _("Choose a unit, an office or a command HQ in the sender's jurisdiction."),
)
PROBLEMS = Chooser("problems", problems_for)
RULE_PROBLEM = Chooser(
    "problem",
    rule_problems,
    _("Choose a common problem whose lasting rule you may record, once it is recorded."),
)
CITABLE = Chooser(
    "suggestion", citable, _("Choose a suggestion you can see that was adopted, wholly or partly.")
)
