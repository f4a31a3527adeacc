"""Every change of a sweep: launch it, answer a unit's self-check. Atomic; one immutable
SweepEvent per call (docs/sweeps.md).

Launching issues a numbered prompt letter (提示函) to each unit through the documents app's
own actions, so a refused letter undoes the whole sweep. Answering with problems records them
through the problem loop's `do_create_problem`; they wait for the office to assign them, as any
problem reported does, and are linked to the sweep and to its original problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput, StaleVersion, TransitionRefused
from ducha.core.text import LONG, TITLE, clean_text
from ducha.documents.actions import do_create_draft, do_issue_document
from ducha.documents.choices import Kind
from ducha.documents.models import Document
from ducha.orgs.models import Org
from ducha.orgs.offices import nearest_office
from ducha.problems.actions import do_create_problem
from ducha.problems.models import Problem
from ducha.sweeps.choices import MAX_FOUND, CheckState, SweepAction
from ducha.sweeps.models import SelfCheck, Sweep, SweepEvent, SweepProblem
from ducha.sweeps.querysets import SelfCheckQuerySet, SweepQuerySet
from ducha.sweeps.selection import Choice, resolve


@dataclass(frozen=True)
class FoundProblem:
    """A problem a unit found in its self-check."""

    title: str
    description: str = ""


def stale_version() -> StaleVersion:
    return StaleVersion(
        _("The self-check has changed since you opened it; reload it and try again.")
    )


def _letter_body(origin: Problem) -> str:
    place = origin.site.name if origin.site else origin.region.name
    return _(
        "On %(date)s supervision found at %(place)s: %(title)s. Taking that one case as a "
        "lesson for all, check whether the same problem exists in your unit and at your "
        "sites, rectify what you find, and answer in the system."
    ) % {
        "date": timezone.localtime(origin.found_at).strftime("%Y-%m-%d"),
        "place": place,
        "title": origin.title,
    }


def _issue_letter(sweep: Sweep, unit: Org, acting_user: Any) -> Document:
    try:
        draft = do_create_draft(
            acting_user=acting_user,
            kind=Kind.PROMPT_LETTER,
            issuer=sweep.office,
            params={"recipient": unit.pk},
            title=sweep.title,
            texts={"body": _letter_body(sweep.origin), "requirements": sweep.check_text},
        )
        return do_issue_document(draft, acting_user=acting_user)
    except (InvalidInput, TransitionRefused) as error:
        # The letter's own rules name its fields; to the sweep it is the choice of units.
        raise InvalidInput(
            _("No prompt letter can go to %(unit)s: %(reason)s")
            % {"unit": unit.name, "reason": error.message},
            "units",
        ) from error


@transaction.atomic
def do_launch_sweep(
    *,
    acting_user: Any,
    origin: Problem,
    check_text: str,
    choice: Choice,
    title: str = "",
) -> Sweep:
    """举一反三: ask every chosen unit to check itself against the original problem."""
    if not Problem.objects.visible_to(acting_user).filter(pk=origin.pk).exists():
        raise PermissionDenied(str(SweepQuerySet.refusal))
    office = nearest_office(acting_user, origin.region)
    if office is None or office.region is None:
        raise PermissionDenied(str(SweepQuerySet.refusal))
    check_text = clean_text(check_text, "check_text", max_length=LONG, required=True)
    title = (
        clean_text(title, "title", max_length=TITLE, one_line=True)
        or (_("Sweep: %(title)s") % {"title": origin.title})[:TITLE]
    )
    pairs = resolve(acting_user, office, origin, choice)
    now = timezone.now()
    sweep = Sweep(
        origin=origin,
        office=office,
        region=office.region,
        focus_area=origin.focus_area,
        title=title,
        check_text=check_text,
        launched_at=now,
        launched_by=acting_user,
    )
    sweep.copy_levels_from(office.region)
    sweep.save()
    letters: dict[int, Document] = {}
    for unit, _site in pairs:
        if unit.pk not in letters:
            letters[unit.pk] = _issue_letter(sweep, unit, acting_user)
    checks = SelfCheck.objects.bulk_create(
        SelfCheck(sweep=sweep, unit=unit, site=site, document=letters[unit.pk])
        for unit, site in pairs
    )
    SweepEvent.objects.create(
        sweep=sweep,
        actor=acting_user,
        action=SweepAction.LAUNCH,
        created_at=now,
        comment=check_text,
        payload={
            "origin": origin.pk,
            "office": office.pk,
            "checks": [[c.unit_id, c.site_id] for c in checks],
            "letters": {str(unit): doc.reference for unit, doc in letters.items()},
        },
    )
    return sweep


def _found(problems: list[FoundProblem]) -> list[FoundProblem]:
    if len(problems) > MAX_FOUND:
        raise InvalidInput(
            _("Record at most %(max)s problems in one answer.") % {"max": MAX_FOUND}, "problems"
        )
    cleaned = []
    for index, found in enumerate(problems):
        cleaned.append(
            FoundProblem(
                title=clean_text(
                    found.title,
                    f"problems.{index}.title",
                    max_length=TITLE,
                    required=True,
                    one_line=True,
                ),
                description=clean_text(
                    found.description, f"problems.{index}.description", max_length=LONG
                ),
            )
        )
    return cleaned


@transaction.atomic
def do_answer_self_check(
    self_check: SelfCheck,
    *,
    acting_user: Any,
    outcome: str,
    note: str = "",
    problems: list[FoundProblem] | None = None,
    expected_version: int | None = None,
) -> SelfCheck:
    """自查: the unit answers "none found" (with a note) or with the problems it found."""
    reachable = SelfCheck.objects.visible_to(acting_user, SweepAction.ANSWER)
    if not reachable.filter(pk=self_check.pk).exists():
        raise PermissionDenied(str(SelfCheckQuerySet.refusal))
    locked = (
        # Only the self-check's row: the site is an outer join PostgreSQL cannot lock.
        SelfCheck.objects.select_for_update(of=("self",))
        .select_related("sweep", "sweep__origin", "unit", "site", "site__region")
        .get(pk=self_check.pk)
    )
    if expected_version is not None and expected_version != locked.version:
        raise stale_version()
    if locked.state != CheckState.WAITING:
        raise TransitionRefused(_("This self-check has already been answered."))
    problems = problems or []
    if outcome == CheckState.NONE_FOUND:
        note = clean_text(note, "note", max_length=LONG, required=True)
        if problems:
            raise InvalidInput(
                _("An answer of “none found” records no problems; leave them out."), "problems"
            )
    elif outcome == CheckState.FOUND:
        note = clean_text(note, "note", max_length=LONG)
        problems = _found(problems)
        if not problems:
            raise InvalidInput(_("Record at least one problem found."), "problems")
    else:
        raise InvalidInput(
            _("Select a valid choice. That choice is not one of the available choices."),
            "outcome",
        )
    sweep = locked.sweep
    region = locked.site.region if locked.site else locked.unit.region
    if region is None:
        raise InvalidInput(_("Choose a region."), "region")
    now = timezone.now()
    created = []
    for found in problems:
        problem = do_create_problem(
            acting_user=acting_user,
            title=found.title,
            description=found.description,
            region=region,
            site=locked.site,
            focus_area=sweep.focus_area,
            found_at=now,
            source={"sweep": sweep.pk, "origin": sweep.origin_id},
        )
        created.append(problem)
    SweepProblem.objects.bulk_create(
        SweepProblem(sweep=sweep, self_check=locked, problem=p, origin_id=sweep.origin_id)
        for p in created
    )
    locked.state = outcome
    locked.note = note
    locked.answered_at, locked.answered_by = now, acting_user
    locked.version += 1
    locked.save()
    SweepEvent.objects.create(
        sweep=sweep,
        self_check=locked,
        actor=acting_user,
        action=SweepAction.ANSWER,
        created_at=now,
        comment=note,
        payload={
            "unit": locked.unit_id,
            "site": locked.site_id,
            "outcome": outcome,
            "problems": [p.pk for p in created],
        },
    )
    return locked
