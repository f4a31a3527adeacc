"""Every change to observations of cadres and to the organisation department's lists.
Atomic; one immutable event row per call (docs/cadres.md).

Who may record where is decided here, from the actor's grants: an organisation department
within its jurisdiction, a team member within the regions of a team they belong to. Links
to problems, inspections and observations must be rows the actor can see.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts.choices import Role
from ducha.cadres.choices import (
    ALLOWED_FROM,
    MAX_LINKS,
    CadreAction,
    CandidateList,
    CandidateState,
    Verdict,
)
from ducha.cadres.models import CadreCandidate, CadreEvent, CadreObservation
from ducha.core.dates import date_error
from ducha.core.errors import InvalidInput, StaleVersion, TransitionRefused
from ducha.core.scope import Grant, grants_for
from ducha.core.scoping import not_in_scope
from ducha.core.text import LONG, NAME, TITLE, clean_text
from ducha.fieldwork.models import Inspection
from ducha.orgs.models import Org, Team
from ducha.problems.models import Problem


def _past_date(value: date | None, field: str) -> date:
    if value is None:
        raise InvalidInput(_("This field is required."), field)
    message = date_error(value)
    if message is not None:
        raise InvalidInput(message, field)
    if value > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field)
    return value


def _in_path(org: Org, path: str) -> bool:
    return bool(path) and org.path.startswith(path)


def _grants(user: Any, role: str) -> list[Grant]:
    return [grant for grant in grants_for(user) if grant.role == role]


def organisation_reaches(user: Any, org: Org) -> bool:
    """Whether an organisation department of the user's holds `org` in its jurisdiction."""
    return any(_in_path(org, grant.region_path) for grant in _grants(user, Role.ORGANISATION))


def _checked_team(user: Any, team: Team | None, org: Org) -> Team | None:
    """The team the observation was made with: one of the actor's, covering the cadre's
    organisation. Without a team, only an organisation department records."""
    if team is None:
        if not _grants(user, Role.ORGANISATION):
            raise InvalidInput(_("Choose the team you observed the cadre with."), "team")
        if not organisation_reaches(user, org):
            raise not_in_scope("org")
        return None
    covering = [grant for grant in _grants(user, Role.TEAM_MEMBER) if grant.team_id == team.pk]
    if not covering:
        raise not_in_scope("team")
    if not any(_in_path(org, grant.region_path) for grant in covering):
        raise InvalidInput(
            _("The cadre's organisation lies outside the regions your team covers."), "org"
        )
    return team


def _linked(rows: Any, chosen: Sequence[Any], field: str) -> list[Any]:
    if len(chosen) > MAX_LINKS:
        raise InvalidInput(_("Link at most %(count)s records.") % {"count": MAX_LINKS}, field)
    ids = {row.pk for row in chosen}
    if rows.filter(pk__in=ids).count() != len(ids):
        raise not_in_scope(field)
    return list(chosen)


def _region_of(org: Org) -> Org:
    region = org.region
    if region is None:
        raise InvalidInput(_("This organisation belongs to no region."), "org")
    return region


@transaction.atomic
def do_observe(
    *,
    acting_user: Any,
    person_name: str,
    person_post: str,
    org: Org,
    verdict: str,
    facts: str,
    observed_on: date | None,
    team: Team | None = None,
    evidence: str = "",
    problems: Sequence[Problem] = (),
    inspections: Sequence[Inspection] = (),
) -> CadreObservation:
    """Record what a team member or the organisation department saw of a named cadre."""
    person_name = clean_text(
        person_name, "person_name", max_length=NAME, required=True, one_line=True
    )
    person_post = clean_text(
        person_post, "person_post", max_length=TITLE, required=True, one_line=True
    )
    if verdict not in Verdict.values:
        raise InvalidInput(_("Choose outstanding or failing."), "verdict")
    facts = clean_text(facts, "facts", max_length=LONG, required=True, one_line=False)
    evidence = clean_text(evidence, "evidence", max_length=LONG, required=False, one_line=False)
    observed_on = _past_date(observed_on, "observed_on")
    team = _checked_team(acting_user, team, org)
    region = _region_of(org)
    problems = _linked(Problem.objects.visible_to(acting_user), problems, "problems")
    inspections = _linked(Inspection.objects.visible_to(acting_user), inspections, "inspections")
    observation = CadreObservation(
        person_name=person_name,
        person_post=person_post,
        org=org,
        region=region,
        verdict=verdict,
        facts=facts,
        evidence=evidence,
        team=team,
        observed_on=observed_on,
        recorded_by=acting_user,
    )
    observation.copy_levels_from(region)
    observation.save()
    observation.problems.set(problems)
    observation.inspections.set(inspections)
    CadreEvent.objects.create(
        observation=observation, actor=acting_user, action=CadreAction.OBSERVE
    )
    return observation


@transaction.atomic
def do_list_candidate(
    *,
    acting_user: Any,
    list_kind: str,
    person_name: str,
    person_post: str,
    org: Org,
    observations: Sequence[CadreObservation],
    reasons: str,
) -> CadreCandidate:
    """Put a cadre on the organisation department's list for use or for accountability,
    on the strength of observations of them."""
    if list_kind not in CandidateList.values:
        raise InvalidInput(_("Choose a list."), "list_kind")
    person_name = clean_text(
        person_name, "person_name", max_length=NAME, required=True, one_line=True
    )
    person_post = clean_text(
        person_post, "person_post", max_length=TITLE, required=True, one_line=True
    )
    if not organisation_reaches(acting_user, org):
        raise not_in_scope("org")
    reasons = clean_text(reasons, "reasons", max_length=LONG, required=True, one_line=False)
    if not observations:
        raise InvalidInput(_("Name at least one observation of the cadre."), "observations")
    observations = _linked(
        CadreObservation.objects.visible_to(acting_user), observations, "observations"
    )
    if any(observation.person_name != person_name for observation in observations):
        raise InvalidInput(_("Every observation must be of the cadre listed."), "observations")
    region = _region_of(org)
    candidate = CadreCandidate(
        list_kind=list_kind,
        person_name=person_name,
        person_post=person_post,
        org=org,
        region=region,
        reasons=reasons,
        listed_by=acting_user,
    )
    candidate.copy_levels_from(region)
    # A cadre stands once on a list at a time (taken off, they may be listed again). Names
    # are encrypted, so the database cannot hold that rule: the org's row is locked while
    # the names already listed for it are compared.
    Org.objects.select_for_update().filter(pk=org.pk).first()
    listed = CadreCandidate.objects.filter(
        list_kind=list_kind, org=org, state=CandidateState.LISTED
    ).values_list("person_name", flat=True)
    if person_name in listed:
        raise InvalidInput(_("This cadre is already on the list."), "person_name")
    candidate.save()
    candidate.observations.set(observations)
    CadreEvent.objects.create(
        candidate=candidate,
        actor=acting_user,
        action=CadreAction.LIST,
        to_state=candidate.state,
        comment=reasons,
    )
    return candidate


def stale_version() -> StaleVersion:
    return StaleVersion(
        _("The candidate has changed since you opened it; reload it and try again.")
    )


def _close(
    candidate: CadreCandidate,
    action: str,
    to_state: str,
    acting_user: Any,
    comment: str,
    expected_version: int | None,
) -> CadreCandidate:
    locked = CadreCandidate.objects.select_for_update().get(pk=candidate.pk)
    if expected_version is not None and expected_version != locked.version:
        raise stale_version()
    if locked.state not in ALLOWED_FROM[action]:
        raise TransitionRefused(
            _("“%(action)s” is not possible while the candidate is “%(state)s”.")
            % {
                "action": CadreAction(action).label,
                "state": CandidateState(locked.state).label,
            }
        )
    from_state = locked.state
    locked.state = to_state
    locked.closed_by = acting_user
    locked.closed_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["state", "closed_by", "closed_at", "version"])
    CadreEvent.objects.create(
        candidate=locked,
        actor=acting_user,
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )
    return locked


@transaction.atomic
def do_remove_candidate(
    candidate: CadreCandidate,
    *,
    acting_user: Any,
    reason: str,
    expected_version: int | None = None,
) -> CadreCandidate:
    """Take a cadre off a list, saying why."""
    reason = clean_text(reason, "reason", max_length=LONG, required=True, one_line=False)
    return _close(
        candidate, CadreAction.REMOVE, CandidateState.REMOVED, acting_user, reason, expected_version
    )


@transaction.atomic
def do_mark_used(
    candidate: CadreCandidate,
    *,
    acting_user: Any,
    comment: str = "",
    expected_version: int | None = None,
) -> CadreCandidate:
    """The cadre was taken up: used (promoted, given a post) or held to account."""
    comment = clean_text(comment, "comment", max_length=LONG, required=False, one_line=False)
    return _close(
        candidate,
        CadreAction.MARK_USED,
        CandidateState.USED,
        acting_user,
        comment,
        expected_version,
    )
