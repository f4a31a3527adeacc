"""Every change of a suggestion: making it, the receiver's response, and a lasting rule
citing it. Atomic; one immutable event row per call; the other side is told
(docs/suggestions.md).

Callers reach a suggestion through `access(Suggestion, user, id, action)` first; these
functions check what only they can: the state of the locked row and the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput, StaleVersion, TransitionRefused
from ducha.core.text import LONG, TITLE, clean_text
from ducha.orgs.models import Org, Team
from ducha.problems.models import Problem
from ducha.suggestions import choosers, notify
from ducha.suggestions.choices import (
    EXPLAINED,
    MAX_PROBLEMS,
    MAX_RULES,
    RESPONSES,
    TAKEN_UP,
    SuggestionAction,
    SuggestionState,
)
from ducha.suggestions.models import Suggestion, SuggestionEvent, SuggestionRule


def _record(
    suggestion: Suggestion,
    acting_user: Any,
    action: str,
    from_state: str = "",
    comment: str = "",
    **payload: Any,
) -> SuggestionEvent:
    return SuggestionEvent.objects.create(
        suggestion=suggestion,
        # Read now, not as the field's default: the demo's replay clock moves `now`.
        created_at=timezone.now(),
        actor=acting_user,
        action=action,
        from_state=from_state,
        to_state=suggestion.state,
        comment=comment,
        payload=payload,
    )


def stale_version() -> StaleVersion:
    return StaleVersion(
        _("The suggestion has changed since you opened it; reload it and try again.")
    )


def too_many_problems() -> InvalidInput:
    return InvalidInput(_("Name at most %(count)s problems.") % {"count": MAX_PROBLEMS}, "problems")


def _check_problems(problems: Sequence[Problem], acting_user: Any) -> list[Problem]:
    unique = list({problem.pk: problem for problem in problems}.values())
    if len(unique) > MAX_PROBLEMS:
        raise too_many_problems()
    ids = [problem.pk for problem in unique]
    reached = choosers.PROBLEMS.choices(acting_user).filter(pk__in=ids)
    seen = set(reached.values_list("pk", flat=True))
    if len(seen) != len(ids):
        raise choosers.PROBLEMS.refusal()
    return unique


@transaction.atomic
def do_suggest(
    *,
    acting_user: Any,
    receiver: Org,
    title: str,
    text: str,
    office: Org | None = None,
    team: Team | None = None,
    problems: Sequence[Problem] = (),
) -> Suggestion:
    """意见建议: an office, or a team, makes a suggestion to a unit, an office or a command
    HQ of its jurisdiction, naming the problems behind it."""
    if (office is None) == (team is None):
        raise InvalidInput(_("Send the suggestion from one office or one team."), "office")
    if team is not None:
        choosers.TEAM.check(team, acting_user)
        sender = team.dispatched_by
    else:
        assert office is not None
        choosers.OFFICE.check(office, acting_user)
        sender = office
    choosers.RECEIVER.check(receiver, office, team)
    title = clean_text(title, "title", max_length=TITLE, required=True, one_line=True)
    text = clean_text(text, "text", max_length=LONG, required=True, one_line=False)
    checked = _check_problems(problems, acting_user)
    region = receiver.region
    if region is None:
        raise choosers.RECEIVER.refusal()
    suggestion = Suggestion(
        sender=sender,
        team=team,
        receiver=receiver,
        region=region,
        title=title,
        text=text,
        made_at=timezone.now(),
        made_by=acting_user,
    )
    suggestion.copy_levels_from(region)
    suggestion.save()
    suggestion.problems.set(checked)
    event = _record(
        suggestion,
        acting_user,
        SuggestionAction.SUGGEST,
        receiver=receiver.pk,
        team=team.pk if team is not None else None,
        problems=[problem.pk for problem in checked],
    )
    notify.made(suggestion, event)
    return suggestion


def _lock(suggestion: Suggestion, expected_version: int | None) -> Suggestion:
    # Only the row itself is locked: PostgreSQL locks no outer-joined (nullable) team.
    locked = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("sender", "team", "receiver")
        .get(pk=suggestion.pk)
    )
    if expected_version is not None and expected_version != locked.version:
        raise stale_version()
    return locked


@transaction.atomic
def do_respond(
    suggestion: Suggestion,
    *,
    acting_user: Any,
    state: str,
    response: str = "",
    expected_version: int | None = None,
) -> Suggestion:
    """The receiver adopts the suggestion, adopts it in part or declines it. A partial
    adoption and a refusal say why; once answered, the answer stands."""
    suggestion = _lock(suggestion, expected_version)
    if suggestion.state != SuggestionState.MADE:
        raise TransitionRefused(
            _("This suggestion was already answered: “%(state)s”.")
            % {"state": suggestion.get_state_display()}
        )
    if state not in RESPONSES:
        raise InvalidInput(_("Choose adopt, adopt in part or decline."), "state")
    response = clean_text(
        response, "response", max_length=LONG, required=state in EXPLAINED, one_line=False
    )
    from_state = suggestion.state
    suggestion.state = state
    suggestion.response = response
    suggestion.responded_at = timezone.now()
    suggestion.responded_by = acting_user
    suggestion.version += 1
    suggestion.save(update_fields=["state", "response", "responded_at", "responded_by", "version"])
    event = _record(suggestion, acting_user, SuggestionAction.RESPOND, from_state, response)
    notify.answered(suggestion, event)
    return suggestion


@transaction.atomic
def do_cite_suggestion(
    suggestion: Suggestion, *, acting_user: Any, problem: Problem
) -> SuggestionRule:
    """建: a common problem's lasting rule names the adopted suggestion it came from. Cited
    by whoever may record that rule, on a suggestion they see."""
    choosers.CITABLE.check(suggestion, acting_user)
    choosers.RULE_PROBLEM.check(problem, acting_user)
    suggestion = _lock(suggestion, None)
    if suggestion.state not in TAKEN_UP:
        raise choosers.CITABLE.refusal()
    if SuggestionRule.objects.filter(suggestion=suggestion, problem=problem).exists():
        raise InvalidInput(_("This lasting rule already cites the suggestion."), "problem")
    if suggestion.rules.count() >= MAX_RULES:
        raise InvalidInput(
            _("A suggestion is cited by at most %(count)s lasting rules.") % {"count": MAX_RULES},
            "problem",
        )
    link = SuggestionRule.objects.create(
        suggestion=suggestion, problem=problem, cited_at=timezone.now(), cited_by=acting_user
    )
    suggestion.version += 1
    suggestion.save(update_fields=["version"])
    _record(
        suggestion,
        acting_user,
        SuggestionAction.CITE,
        suggestion.state,
        problem.rule,
        problem=problem.pk,
    )
    return link
