"""Single reports, summaries and offices come only through here: 404 for missing and out of
scope alike, 403 when the object is visible but the caller's role may not take the action."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from ducha.accounts.choices import Role
from ducha.core.scope import grants_for
from ducha.core.scoping import VIEW, access, any_of, object_pk, within
from ducha.daily.choices import DAILY_ACTION_ROLES, REGION_READERS, DailyAction
from ducha.daily.models import DailyReport, DailySummary
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org, Team
from ducha.orgs.querysets import teams_of_region


def _refuse() -> PermissionDenied:
    # Visible, so its existence is no secret; the role simply may not do this.
    return PermissionDenied(_("Your role may not take this action here."))


def access_report(user: Any, report_id: Any, action: str = VIEW) -> DailyReport:
    return access(DailyReport, user, report_id, action).obj


def access_summary(user: Any, summary_id: Any, action: str = VIEW) -> DailySummary:
    return access(DailySummary, user, summary_id, action).obj


# Offices and teams are not the daily cycle's models: these are the daily cycle's own rules
# about them (whose agenda and summaries one reads, which team's report one drafts).


def _reaches_office(user: Any, office: Org, roles: frozenset[str]) -> set[str]:
    return {
        grant.role
        for grant in grants_for(user)
        if grant.role in roles and grant.region_path and office.path.startswith(grant.region_path)
    }


def access_office(user: Any, office_id: Any, action: str = DailyAction.VIEW_AGENDA) -> Org:
    """An office whose agenda, summaries or drafting the caller asks for.

    Seen by the office staff, administrators and leaders of its region or above; drafting
    (and writing its summary) is for its own staff and administrators.
    """
    office = Org.objects.filter(pk=object_pk(office_id), kind=OrgKind.OFFICE).first()
    if office is None or not _reaches_office(user, office, REGION_READERS):
        raise Http404
    allowed = DAILY_ACTION_ROLES[action]
    if not _reaches_office(user, office, allowed):
        raise _refuse()
    if action == DailyAction.DRAFT and not own_offices(user).filter(pk=office.pk).exists():
        # An office drafts its own summary; the offices above read it.
        raise _refuse()
    return office


def own_offices(user: Any) -> Any:
    """The offices whose summaries the caller writes: where they are staff or administrator.

    (A team member's grant names the org that dispatched the team, which may be an office;
    that does not make it theirs.)"""
    allowed = DAILY_ACTION_ROLES[DailyAction.EDIT_SUMMARY]
    ids = {grant.org_id for grant in grants_for(user) if grant.role in allowed}
    return Org.objects.filter(pk__in=ids, kind=OrgKind.OFFICE).order_by("depth", "path")


def readable_offices(user: Any) -> Any:
    """The offices whose agendas and summaries the caller reads."""
    condition = any_of(
        within(grant.region_path) for grant in grants_for(user) if grant.role in REGION_READERS
    )
    return Org.objects.filter(condition, kind=OrgKind.OFFICE).order_by("depth", "path")


def own_teams(user: Any) -> Any:
    ids = {g.team_id for g in grants_for(user) if g.role == Role.TEAM_MEMBER and g.team_id}
    return Team.objects.filter(pk__in=ids, active=True).order_by("name")


def access_team(user: Any, team_id: Any) -> Team:
    """A team whose report the caller drafts: their own, or a team of their jurisdiction."""
    team = Team.objects.filter(pk=object_pk(team_id), active=True).first()
    if team is None:
        raise Http404
    if own_teams(user).filter(pk=team.pk).exists():
        return team
    roles = {
        grant.role
        for grant in grants_for(user)
        if grant.role in REGION_READERS
        and grant.region_path
        and Team.objects.filter(teams_of_region(grant.region_path), pk=team.pk).exists()
    }
    if not roles:
        raise Http404
    if not roles & DAILY_ACTION_ROLES[DailyAction.DRAFT]:
        raise _refuse()
    return team
