"""Who sees which report and summary: one condition per role (ducha.core.scoping).

A team member reads and writes their own team's reports. Office staff and leaders read the
reports of every team of their jurisdiction (dispatched from inside it, or sent into it from
above) and the summaries of the offices inside it. Only an office's own staff write its
summary; a higher office reads it. Administrators (三员) see none of it.
"""

from __future__ import annotations

from django.db.models import Q

from ducha.accounts.choices import Role
from ducha.core.scope import Grant
from ducha.core.scoping import NOTHING, VIEW, ScopedQuerySet, within
from ducha.daily.choices import DAILY_ACTION_ROLES, DailyAction
from ducha.orgs.choices import OrgKind
from ducha.orgs.querysets import teams_of_region


class DailyQuerySet(ScopedQuerySet):
    action_roles = DAILY_ACTION_ROLES


def _own_teams_report(grant: Grant) -> Q:
    return Q(team_id=grant.team_id) if grant.team_id else NOTHING


def _reports_of_the_regions_teams(grant: Grant) -> Q:
    return teams_of_region(grant.region_path, "team__")


class ReportQuerySet(DailyQuerySet):
    conditions = {
        Role.OFFICE_STAFF: _reports_of_the_regions_teams,
        Role.LEADER: _reports_of_the_regions_teams,
        Role.TEAM_MEMBER: _own_teams_report,
    }
    joins_to_many = True
    access_related = ("team", "edited_by", "submitted_by")


def _summaries_of_the_regions_offices(grant: Grant) -> Q:
    return within(grant.region_path, "office__")


def _own_offices_summary(grant: Grant) -> Q:
    # An office writes its own summary; the offices above it read it.
    return Q(office_id=grant.org_id)


class SummaryQuerySet(DailyQuerySet):
    conditions = {
        Role.OFFICE_STAFF: _summaries_of_the_regions_offices,
        Role.LEADER: _summaries_of_the_regions_offices,
    }
    # Every action but reading, so that one added to the table is narrowed too.
    acting_conditions = {
        action: _own_offices_summary for action in DAILY_ACTION_ROLES if action != VIEW
    }
    access_related = ("office", "edited_by", "finalised_by")


# Offices and teams are the org tree's models; these are the daily cycle's rule-books for them
# (read through `access(Org, …, rules=DailyOffices)`): whose agenda and summaries one reads,
# and for which office or team one drafts.


def _offices_of_the_region(grant: Grant) -> Q:
    return within(grant.region_path) & Q(kind=OrgKind.OFFICE)


def _own_office(grant: Grant) -> Q:
    # An office drafts its own summary; the offices above it read it. (A team member's grant
    # names the org that dispatched the team, which may be an office: not theirs to draft for.)
    return Q(pk=grant.org_id)


class DailyOffices(DailyQuerySet):
    conditions = {
        Role.OFFICE_STAFF: _offices_of_the_region,
        Role.LEADER: _offices_of_the_region,
    }
    acting_conditions = {DailyAction.DRAFT: _own_office}


def _own_team(grant: Grant) -> Q:
    return Q(pk=grant.team_id, active=True) if grant.team_id else NOTHING


def _teams_of_the_region(grant: Grant) -> Q:
    return teams_of_region(grant.region_path) & Q(active=True)


class DailyTeams(DailyQuerySet):
    conditions = {
        Role.OFFICE_STAFF: _teams_of_the_region,
        Role.LEADER: _teams_of_the_region,
        Role.TEAM_MEMBER: _own_team,
    }
    joins_to_many = True
