"""Every state change of a problem. Atomic; one immutable event row per call.

Callers (pages, API) check access first with `access_problem(user, id, action)`; these
functions check what only they can: the state of the locked row and the input's meaning.

Every action takes an `expected_version`: the version of the problem the caller read (a
form's hidden field, an API If-Match). When given and no longer current, the action is
refused with StaleVersion and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput, StaleVersion, TransitionRefused
from ducha.core.forms import MAX_PHOTOS, too_many_photos
from ducha.core.search import joined, stored_words
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org, Site, Team
from ducha.problems import choosers, hooks, notifying
from ducha.problems.choices import (
    ALLOWED_FROM,
    Action,
    DisputeDecision,
    Nature,
    PhotoStage,
    State,
    Urgency,
)
from ducha.problems.models import FocusArea, Problem, ProblemEvent
from ducha.problems.rollups.facts import Facts, facts_of
from ducha.problems.rollups.writes import deferred, record_change

# Refuses a unit the acting user may not hand this problem to (see `choosers`).
UnitRule = Callable[[Problem, Org], Any]


def _required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("This field is required."), field)
    return value


def stale_version() -> StaleVersion:
    return StaleVersion(_("The problem has changed since you opened it; reload it and try again."))


def check_version(problem: Problem, expected_version: int | None) -> None:
    """Refuse when the caller read another version of the problem than the current one."""
    if expected_version is not None and expected_version != problem.version:
        raise stale_version()


def _lock(
    problem: Problem, action: str, expected_version: int | None = None
) -> tuple[Problem, Facts]:
    """The problem's row, locked, and its facts before the action changes anything.

    The version moves on here; every action saves it with the rest of its change, so two
    callers holding the same version cannot both act.
    """
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    check_version(locked, expected_version)
    locked.version += 1
    if locked.state not in ALLOWED_FROM[action]:
        raise TransitionRefused(
            _("“%(action)s” is not possible while the problem is “%(state)s”.")
            % {"action": Action(action).label, "state": State(locked.state).label}
        )
    return locked, facts_of(locked)


def _record(
    problem: Problem,
    before: Facts | None,
    acting_user: Any,
    action: str,
    from_state: str,
    comment: str = "",
    *,
    at: datetime | None = None,
    **payload: Any,
) -> ProblemEvent:
    """The action's event, and the dashboards' rollups brought in step, in one transaction."""
    event = ProblemEvent.objects.create(
        problem=problem,
        actor=acting_user,
        created_at=at or timezone.now(),
        action=action,
        from_state=from_state,
        to_state=problem.state,
        comment=comment,
        payload=payload,
    )
    record_change(before, facts_of(problem))
    transaction.on_commit(partial(notifying.after_event, event.pk))
    return event


def moment(value: datetime) -> str:
    """A moment as an event keeps it: in UTC, whatever offset it was given in, so that the
    same moment sent from a page (local time) and from the API reads the same in the log."""
    return value.astimezone(UTC).isoformat()


def _deadline(problem: Problem) -> dict[str, Any]:
    # The yellow moment is kept too: it depends on when the window started and on a setting.
    return {"deadline": moment(problem.deadline), "yellow_at": moment(problem.yellow_at)}


def earlier_closed(site: Site | None, focus_area: FocusArea, found_at: datetime) -> Any:
    """屡查屡犯: the latest problem of this kind at this site already closed by `found_at`."""
    if site is None:
        return None
    return (
        Problem.objects.filter(
            site=site, focus_area=focus_area, state=State.CLOSED, closed_at__lte=found_at
        )
        .order_by("-closed_at", "-pk")
        .first()
    )


def _check_deadline(deadline: datetime, problem: Problem) -> None:
    if deadline <= timezone.now():
        raise InvalidInput(_("The deadline must be in the future."), "deadline")
    if deadline <= problem.found_at:
        raise InvalidInput(_("The deadline must be after the time of discovery."), "deadline")


def unit_rule(acting_user: Any) -> UnitRule:
    """交's rule for one problem at a time: the unit must be among the user's choices for it."""
    return lambda problem, unit: choosers.RESPONSIBLE_UNIT.check(unit, acting_user, problem)


def _schedule_revisit(problem: Problem, acting_user: Any) -> dict[str, Any]:
    # Field work, a layer above, schedules it through the close hook; the event records it.
    return hooks.after_close(problem, acting_user=acting_user)


def _check_photos(photos: Sequence[Any], field: str = "photos") -> None:
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(too_many_photos(), field)


def _keep_photos(
    photos: Sequence[Any],
    *,
    acting_user: Any,
    problem: Problem,
    problem_event: ProblemEvent | None = None,
    stage: str = "",
    field: str = "photos",
) -> None:
    """The photos sent with an action, kept as evidence by the layer that stores files
    (`hooks.PHOTO_STORES`) in the action's transaction: a refused one is named on its field
    and undoes the action."""
    if photos and not hooks.PHOTO_STORES:
        raise ImproperlyConfigured("No photo store is registered: is ducha.fieldwork installed?")
    for photo in photos:
        try:
            hooks.keep_photo(
                acting_user=acting_user,
                upload=photo,
                problem=problem,
                problem_event=problem_event,
                stage=stage,
            )
        except InvalidInput as error:
            if error.field == "file":
                error.field = field
            raise


def _close(problem: Problem, now: datetime) -> None:
    if problem.nature == Nature.COMMON and not problem.rule:
        raise TransitionRefused(
            _("A common problem can only close after its lasting rule is recorded (建).")
        )
    problem.state = State.CLOSED
    problem.closed_at = now
    problem.time_to_close = now - problem.found_at


def existing_problem(client_key: Any, acting_user: Any) -> Problem | None:
    """The problem an earlier recording by this user with this key created, if any."""
    if client_key is None:
        return None
    return Problem.objects.filter(found_by=acting_user, client_key=client_key).first()


def new_problem(
    acting_user: Any,
    *,
    now: datetime,
    title: str,
    region: Org,
    focus_area: FocusArea,
    description: str = "",
    site: Site | None = None,
    team: Team | None = None,
    found_at: datetime | None = None,
    urgency: str = Urgency.NORMAL,
    nature: str = Nature.INDIVIDUAL,
    inspection: Any = None,
    client_key: Any = None,
) -> Problem:
    """The rules of recording a problem, shared by the single and the bulk path: the
    unsaved problem, or InvalidInput. Its `repeat_of` is left to the caller."""
    found_at = found_at or now
    if found_at > now + timedelta(minutes=5):
        raise InvalidInput(_("The time of discovery cannot be in the future."), "found_at")
    if region.kind != OrgKind.REGION:
        raise InvalidInput(_("Choose a region."), "region")
    if site is not None and not site.region.path.startswith(region.path):
        raise InvalidInput(_("The site does not lie in the chosen region."), "site")
    if not focus_area.active:
        raise InvalidInput(_("This focus area is no longer in use."), "focus_area")
    problem = Problem(
        title=_required(title, "title"),
        description=description.strip(),
        search_text=stored_words(title, description),
        region=region,
        site=site,
        focus_area=focus_area,
        team=team,
        found_by=acting_user,
        found_at=found_at,
        urgency=urgency,
        nature=nature,
        state=State.NEW,
        inspection=inspection,
        client_key=client_key,
    )
    problem.copy_levels_from(region)
    problem.set_deadline(found_at + timedelta(hours=focus_area.allowed_hours(urgency)))
    return problem


def create_payload(problem: Problem, source: dict[str, Any] | None) -> dict[str, Any]:
    """Everything the numbers depend on, so that they can be rebuilt from the log alone."""
    extra: dict[str, Any] = {"source": source} if source else {}
    return {
        "region": problem.region_id,
        "levels": [
            problem.province_id,
            problem.city_id,
            problem.county_id,
            problem.town_id,
            problem.village_id,
        ],
        "focus_area": problem.focus_area_id,
        "team": problem.team_id,
        "site": problem.site_id,
        "found_at": moment(problem.found_at),
        "urgency": problem.urgency,
        "nature": problem.nature,
        "repeat_of": problem.repeat_of_id,
        **_deadline(problem),
        **extra,
    }


@transaction.atomic
def do_create_problem(
    *,
    acting_user: Any,
    title: str,
    region: Org,
    focus_area: FocusArea,
    description: str = "",
    site: Site | None = None,
    team: Team | None = None,
    found_at: datetime | None = None,
    urgency: str = Urgency.NORMAL,
    nature: str = Nature.INDIVIDUAL,
    inspection: Any = None,
    source: dict[str, Any] | None = None,
    client_key: Any = None,
) -> Problem:
    """Record a problem. `source` says where it came from when not typed in (an import row).

    The same `client_key` again from the same user returns the first problem and records
    nothing, whatever else the retry says (as a retried inspection does).
    """
    if existing := existing_problem(client_key, acting_user):
        return existing
    problem = new_problem(
        acting_user,
        now=timezone.now(),
        title=title,
        region=region,
        focus_area=focus_area,
        description=description,
        site=site,
        team=team,
        found_at=found_at,
        urgency=urgency,
        nature=nature,
        inspection=inspection,
        client_key=client_key,
    )
    problem.repeat_of = earlier_closed(site, focus_area, problem.found_at)
    try:
        # A savepoint only when a key can explain a conflict: imports create without one.
        with transaction.atomic(savepoint=client_key is not None):
            problem.save()
    except IntegrityError:
        # The same key arrived twice at once; the unique constraint let the first one win.
        if (existing := existing_problem(client_key, acting_user)) is None:
            raise
        return existing
    _record(problem, None, acting_user, Action.CREATE, "", **create_payload(problem, source))
    return problem


def goes_to_unit(problem: Problem, now: datetime | None = None) -> None:
    """The problem goes to a unit anew: it waits to be signed for from now."""
    problem.assigned_at = now or timezone.now()
    problem.signed_at = None


def apply_assignment(
    problem: Problem, unit: Org, deadline: datetime | None, check_unit: UnitRule
) -> None:
    """The rules of 交, shared by the single and the bulk path; `check_unit` is the unit
    rule as `unit_rule` gives it, or its bulk form `choosers.UnitCheck`."""
    check_unit(problem, unit)
    if deadline is not None:
        _check_deadline(deadline, problem)
        problem.set_deadline(deadline)
    problem.state = State.ASSIGNED
    problem.responsible_org = unit
    goes_to_unit(problem)


def assign_payload(problem: Problem, unit: Org) -> dict[str, Any]:
    return {
        "responsible_org": unit.pk,
        "responsible_org_name": unit.name,
        **_deadline(problem),
    }


@transaction.atomic
def do_assign(
    problem: Problem,
    *,
    acting_user: Any,
    responsible_org: Org,
    deadline: datetime | None = None,
    comment: str = "",
    expected_version: int | None = None,
) -> Problem:
    """交: hand the problem to a responsible unit."""
    problem, before = _lock(problem, Action.ASSIGN, expected_version)
    from_state = problem.state
    apply_assignment(problem, responsible_org, deadline, unit_rule(acting_user))
    problem.save()
    _record(
        problem,
        before,
        acting_user,
        Action.ASSIGN,
        from_state,
        comment,
        **assign_payload(problem, responsible_org),
    )
    return problem


@transaction.atomic
def do_report_up(
    problem: Problem,
    *,
    acting_user: Any,
    to_org: Org,
    comment: str,
    expected_version: int | None = None,
) -> Problem:
    """呈: report to a higher office, the command HQ or the leadership."""
    problem, before = _lock(problem, Action.REPORT_UP, expected_version)
    comment = _required(comment, "comment")
    choosers.REPORT_TARGET.check(to_org, problem)
    problem.reported_to = to_org
    problem.save(update_fields=["reported_to", "version", "updated_at"])
    _record(
        problem,
        before,
        acting_user,
        Action.REPORT_UP,
        problem.state,
        comment,
        to_org=to_org.pk,
        to_org_name=to_org.name,
    )
    return problem


@transaction.atomic
def do_instruct(
    problem: Problem, *, acting_user: Any, text: str, expected_version: int | None = None
) -> Problem:
    """批: a leader's written instruction."""
    problem, before = _lock(problem, Action.INSTRUCT, expected_version)
    text = _required(text, "text")
    problem.save(update_fields=["version", "updated_at"])
    _record(problem, before, acting_user, Action.INSTRUCT, problem.state, text)
    return problem


@transaction.atomic
def do_urge(
    problem: Problem, *, acting_user: Any, comment: str = "", expected_version: int | None = None
) -> Problem:
    """督: press the unit; the light at that moment is kept with the reminder."""
    problem, before = _lock(problem, Action.URGE, expected_version)
    problem.save(update_fields=["version", "updated_at"])
    _record(
        problem,
        before,
        acting_user,
        Action.URGE,
        problem.state,
        comment.strip(),
        light=problem.light,
    )
    return problem


@transaction.atomic
def do_submit_rectification(
    problem: Problem,
    *,
    acting_user: Any,
    text: str,
    photos: Sequence[Any] = (),
    photos_before: Sequence[Any] = (),
    expected_version: int | None = None,
) -> Problem:
    """改: the unit reports its fix, with the evidence described and, if sent, its photos
    (they document this report; a refused photo undoes it). `photos` show the result
    (整改后), `photos_before` the state before the fix (整改前): each is labelled so."""
    problem, before = _lock(problem, Action.SUBMIT_RECTIFICATION, expected_version)
    text = _required(text, "text")
    _check_photos(photos_before, "photos_before")
    _check_photos(photos)
    from_state = problem.state
    problem.state = State.RECTIFIED
    problem.search_text = joined(problem.search_text, text)
    problem.save()
    # The rollup rows are the last rows an action locks (`deferred` writes them as the block
    # ends): the photos' records lock their chain's head, which a verification scheduling a
    # revisit takes before its rollups; the other order deadlocks the two.
    with deferred():
        event = _record(problem, before, acting_user, Action.SUBMIT_RECTIFICATION, from_state, text)
        _keep_photos(
            photos_before,
            acting_user=acting_user,
            problem=problem,
            problem_event=event,
            stage=PhotoStage.BEFORE,
            field="photos_before",
        )
        _keep_photos(
            photos,
            acting_user=acting_user,
            problem=problem,
            problem_event=event,
            stage=PhotoStage.AFTER,
        )
    return problem


@transaction.atomic
def do_verify(
    problem: Problem,
    *,
    acting_user: Any,
    accept: bool,
    comment: str = "",
    expected_version: int | None = None,
) -> Problem:
    """核: accept closes the problem (销号); reject sends it back to the unit with reasons."""
    action = Action.VERIFY_ACCEPT if accept else Action.VERIFY_REJECT
    problem, before = _lock(problem, action, expected_version)
    from_state = problem.state
    now = timezone.now()
    if accept:
        _close(problem, now)
    else:
        comment = _required(comment, "comment")
        problem.state = State.ASSIGNED
    problem.search_text = joined(problem.search_text, comment)
    problem.save()
    revisit = _schedule_revisit(problem, acting_user) if accept else {}
    _record(problem, before, acting_user, action, from_state, comment.strip(), at=now, **revisit)
    return problem


@transaction.atomic
def do_institutionalize(
    problem: Problem, *, acting_user: Any, rule: str, expected_version: int | None = None
) -> Problem:
    """建: record the lasting rule or mechanism that keeps the problem from coming back.

    A recorded rule is replaced only by a caller who read the problem with it (its version):
    otherwise two people answering at once would silently overwrite one another.
    """
    problem, before = _lock(problem, Action.INSTITUTIONALIZE, expected_version)
    if problem.rule and expected_version is None:
        raise TransitionRefused(
            _(
                "A lasting rule is already recorded. To replace it, act on the version of the "
                "problem that shows it (reload the problem, or send If-Match)."
            )
        )
    problem.rule = _required(rule, "rule")
    problem.search_text = joined(problem.search_text, problem.rule)
    problem.save(update_fields=["rule", "search_text", "version", "updated_at"])
    _record(problem, before, acting_user, Action.INSTITUTIONALIZE, problem.state, problem.rule)
    return problem


@transaction.atomic
def do_institutionalize_many(
    problems: Sequence[Problem],
    *,
    acting_user: Any,
    rule: str,
    expected_versions: Mapping[int, int] | None = None,
    **payload: Any,
) -> list[Problem]:
    """建 for many problems at once: one rule answering a kind of problem (a policy).

    The problems are locked in id order (two callers never wait on each other crosswise),
    each held to the version its caller read when one is given, and each gets its own event
    (`payload` says where the rule came from). A problem that already has a rule is refused,
    not overwritten: a rule written for it alone is not silently replaced by a shared one.
    """
    rule = _required(rule, "rule")
    versions = expected_versions or {}
    ids = sorted({problem.pk for problem in problems})
    locked = list(Problem.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids):
        raise InvalidInput(_("A chosen problem no longer exists."), "problems")
    for problem in locked:
        check_version(problem, versions.get(problem.pk))
        if problem.rule:
            raise TransitionRefused(
                _("“%(title)s” already has a lasting rule; it is not replaced.")
                % {"title": problem.title}
            )
        if problem.state not in ALLOWED_FROM[Action.INSTITUTIONALIZE]:
            raise TransitionRefused(
                _("“%(action)s” is not possible while the problem is “%(state)s”.")
                % {"action": Action.INSTITUTIONALIZE.label, "state": State(problem.state).label}
            )
        before = facts_of(problem)
        problem.version += 1
        problem.rule = rule
        problem.search_text = joined(problem.search_text, rule)
        problem.save(update_fields=["rule", "search_text", "version", "updated_at"])
        _record(
            problem, before, acting_user, Action.INSTITUTIONALIZE, problem.state, rule, **payload
        )
    return locked


@transaction.atomic
def do_close_on_spot(
    problem: Problem,
    *,
    acting_user: Any,
    evidence: str,
    photos: Sequence[Any] = (),
    expected_version: int | None = None,
) -> Problem:
    """立行立改: fixed during the visit; closed at once with the evidence described and, if
    sent, its photos (they belong to the problem; a refused photo undoes the close)."""
    problem, before = _lock(problem, Action.CLOSE_ON_SPOT, expected_version)
    evidence = _required(evidence, "evidence")
    _check_photos(photos)
    from_state = problem.state
    problem.on_the_spot = True
    problem.search_text = joined(problem.search_text, evidence)
    now = timezone.now()
    _close(problem, now)
    problem.save()
    revisit = _schedule_revisit(problem, acting_user)
    with deferred():  # the rollup rows last, after the photos (do_submit_rectification)
        _record(
            problem,
            before,
            acting_user,
            Action.CLOSE_ON_SPOT,
            from_state,
            evidence,
            at=now,
            **revisit,
        )
        _keep_photos(photos, acting_user=acting_user, problem=problem)
    return problem


@transaction.atomic
def do_dispute(
    problem: Problem, *, acting_user: Any, reason: str, expected_version: int | None = None
) -> Problem:
    """退回: the unit contests a wrong assignment; the office decides."""
    problem, before = _lock(problem, Action.DISPUTE, expected_version)
    reason = _required(reason, "reason")
    from_state = problem.state
    problem.state = State.DISPUTED
    problem.save()
    _record(problem, before, acting_user, Action.DISPUTE, from_state, reason)
    return problem


@transaction.atomic
def do_decide_dispute(
    problem: Problem,
    *,
    acting_user: Any,
    decision: str,
    comment: str,
    responsible_org: Org | None = None,
    deadline: datetime | None = None,
    expected_version: int | None = None,
) -> Problem:
    """The office arbitrates a dispute: the unit keeps the problem or another unit takes it.

    The clock stood still while the dispute waited on the office, so that wait (from the
    dispute to this decision) is added to the deadline and the yellow moment, unless the
    office sets a new deadline itself (docs/decisions/0018-dispute-clock.md)."""
    problem, before = _lock(problem, Action.DECIDE_DISPUTE, expected_version)
    comment = _required(comment, "comment")
    if decision not in DisputeDecision.values:
        raise InvalidInput(_("Choose to uphold or to reassign."), "decision")
    if decision == DisputeDecision.REASSIGN:
        if responsible_org is None:
            raise InvalidInput(_("Choose the unit that takes the problem over."), "responsible_org")
        if responsible_org.pk == problem.responsible_org_id:
            raise InvalidInput(_("Choose a different unit to reassign to."), "responsible_org")
        unit_rule(acting_user)(problem, responsible_org)
        problem.responsible_org = responsible_org
        goes_to_unit(problem)
    now = timezone.now()
    paused = _dispute_wait(problem, now)
    if deadline is not None:
        _check_deadline(deadline, problem)
        problem.set_deadline(deadline)
    else:
        problem.deadline += paused
        problem.yellow_at += paused
    from_state = problem.state
    problem.state = State.ASSIGNED
    problem.save()
    assert problem.responsible_org is not None
    _record(
        problem,
        before,
        acting_user,
        Action.DECIDE_DISPUTE,
        from_state,
        comment,
        at=now,
        decision=decision,
        responsible_org=problem.responsible_org.pk,
        responsible_org_name=problem.responsible_org.name,
        paused_seconds=int(paused.total_seconds()),
        **_deadline(problem),
    )
    return problem


def _dispute_wait(problem: Problem, now: datetime) -> timedelta:
    """How long the dispute being decided waited on the office, in whole seconds."""
    disputed_at = (
        ProblemEvent.objects.filter(problem=problem, action=Action.DISPUTE)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    if disputed_at is None or disputed_at >= now:
        return timedelta(0)
    return timedelta(seconds=int((now - disputed_at).total_seconds()))


@transaction.atomic
def do_reopen(
    problem: Problem,
    *,
    acting_user: Any,
    reason: str,
    deadline: datetime | None = None,
    expected_version: int | None = None,
) -> Problem:
    """A revisit found the problem back: it returns to its unit (or to the office)."""
    problem, before = _lock(problem, Action.REOPEN, expected_version)
    reason = _required(reason, "reason")
    from_state = problem.state
    problem.state = State.ASSIGNED if problem.responsible_org_id else State.NEW
    problem.closed_at = None
    problem.time_to_close = None
    problem.recurring = True
    problem.on_the_spot = False
    now = timezone.now()
    if deadline is None:
        hours = problem.focus_area.allowed_hours(problem.urgency)
        deadline = now + timedelta(hours=hours)
    _check_deadline(deadline, problem)
    problem.set_deadline(deadline, start=now)
    if problem.responsible_org_id:
        goes_to_unit(problem, now)
    problem.save()
    _record(
        problem,
        before,
        acting_user,
        Action.REOPEN,
        from_state,
        reason,
        **_deadline(problem),
    )
    return problem
