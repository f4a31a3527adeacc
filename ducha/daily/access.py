"""Single reports, summaries and offices come only through here: 404 for missing and out of
scope alike, 403 when the object is visible but the caller's role may not take the action."""

from __future__ import annotations

from typing import Any

from ducha.accounts.choices import Role
from ducha.core.scope import grants_for
from ducha.core.scoping import VIEW, access
from ducha.daily.choices import DailyAction
from ducha.daily.models import DailyReport, DailySummary
from ducha.daily.querysets import DailyOffices, DailyTeams
from ducha.orgs.models import Org, Team


def access_report(user: Any, report_id: Any, action: str = VIEW) -> DailyReport:
    return access(DailyReport, user, report_id, action).obj


def access_summary(user: Any, summary_id: Any, action: str = VIEW) -> DailySummary:
    return access(DailySummary, user, summary_id, action).obj


def access_office(user: Any, office_id: Any, action: str = DailyAction.VIEW_AGENDA) -> Org:
    """An office whose agenda, summaries or drafting the caller asks for.

    Seen by the office staff, administrators and leaders of its region or above; drafting
    (and writing its summary) is for its own staff and administrators.
    """
    return access(Org, user, office_id, action, rules=DailyOffices).obj


def own_offices(user: Any) -> Any:
    """The offices whose summaries the caller writes: where they are staff or administrator."""
    offices = DailyOffices(model=Org).visible_to(user, DailyAction.DRAFT)
    return offices.order_by("depth", "tree_order")


def readable_offices(user: Any) -> Any:
    """The offices whose agendas and summaries the caller reads."""
    return DailyOffices(model=Org).visible_to(user).order_by("depth", "tree_order")


def own_teams(user: Any) -> Any:
    ids = {g.team_id for g in grants_for(user) if g.role == Role.TEAM_MEMBER and g.team_id}
    return Team.objects.filter(pk__in=ids, active=True).order_by("sort_key")


def access_team(user: Any, team_id: Any) -> Team:
    """A team whose report the caller drafts: their own, or a team of their jurisdiction."""
    return access(Team, user, team_id, DailyAction.DRAFT, rules=DailyTeams).obj
