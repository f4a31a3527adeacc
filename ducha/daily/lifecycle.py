"""A drafted record: drafted from the data, written by its people, counted again on request,
closed for good. Team reports (submitted) and office summaries (finalised) are the two kinds,
declared in `ducha.daily.actions`; the steps are written once, here.

Callers check access first (`ducha.daily.access`); the steps check the locked row's state
(TransitionRefused) and the input (InvalidInput, naming the field). Each is atomic and writes
one DailyEvent when it changes something. Drafting is idempotent: a draft nobody has edited
is created or brought up to date; an edited or closed record is left alone; a call that finds
nothing to change writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput, TransitionRefused
from ducha.daily.choices import EventAction
from ducha.daily.jurisdiction import FIRST_DAY
from ducha.daily.models import FIGURE_FIELDS, DailyEvent, DailyReport, DailySummary
from ducha.orgs.models import Org, Team

# Texts longer than this are refused: a day's report is read in a meeting, not archived.
MAX_TEXT = 10_000

D = TypeVar("D", DailyReport, DailySummary)
Owner = TypeVar("Owner", Team, Org)  # a report's team, a summary's office


def check_day(day: date) -> date:
    if not FIRST_DAY <= day <= timezone.localdate():
        raise InvalidInput(_("Choose today or an earlier day."), "day")
    return day


def clean_texts(values: dict[str, str | None]) -> dict[str, str]:
    """The texts given (None: left out), stripped; refused on their field when too long."""
    cleaned = {}
    for name, value in values.items():
        if value is None:
            continue
        value = value.strip()
        if len(value) > MAX_TEXT:
            raise InvalidInput(_("Write at most %(count)s characters.") % {"count": MAX_TEXT}, name)
        cleaned[name] = value
    return cleaned


@dataclass
class Count:
    """A record's numbers counted from the data of this moment."""

    figures: dict[str, int]
    details: dict[str, Any]
    # The words a draft starts with; asked for only when drafting (they cost queries).
    texts: Callable[[], dict[str, str]]
    # The team reports rolled up (summaries only).
    reports: list[DailyReport] | None = field(default=None)


class DraftedRecord(Generic[D, Owner]):
    """What a kind of drafted record declares; its `do_*` steps are shared.

    A record belongs to an owner (`owner` names the field) and a day, one per owner and day.
    """

    model: type[D]
    name: str  # the record's name in events ("report"), pages and the API
    owner: str  # the field naming whose record it is ("team")
    texts: tuple[str, ...]  # what its writers write
    writable: tuple[str, ...]  # the states in which it still changes
    draft_state: str
    final_state: str
    final_action: str  # the event (and page, and API operation) that closes it
    final_fields: tuple[str, str]  # when and by whom it was closed
    edit_action: str  # the daily action that writes, counts again …
    close_action: str  # … and closes it
    closed_message: Promise  # the refusal once it is closed
    # Other actions on the record and the states in which they may be taken.
    other_actions: dict[str, tuple[str, ...]] = {}

    # --- what each kind says for itself --------------------------------------------------------

    def check_owner(self, owner: Owner) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def count(
        self, owner: Owner, day: date, now: datetime, days: dict[int, Any] | None = None
    ) -> Count:  # pragma: no cover - abstract
        """`days` may bring the teams' numbers counted already (by the drafting job)."""
        raise NotImplementedError

    def prepare_close(self, record: D) -> None:
        """Check (and reset) what closing needs, before anything is counted."""

    # --- shared --------------------------------------------------------------------------------

    @property
    def related(self) -> tuple[str, ...]:
        """What is shown with a record: its owner, who wrote it and who closed it."""
        return (self.owner, "edited_by", self.final_fields[1])

    def allowed(self, user: Any, rows: list[D]) -> dict[int, list[str]]:
        """For each row, the actions the caller may take on it now (at most one query per
        action, none for an action that no row's state allows)."""
        writing = {self.edit_action: self.writable, self.close_action: self.writable}
        result: dict[int, list[str]] = {row.pk: [] for row in rows}
        for action, states in {**writing, **self.other_actions}.items():
            ids = [row.pk for row in rows if row.state in states]
            if not ids:
                continue
            able = self.model.objects.visible_to(user, action).filter(pk__in=ids)
            for pk in able.values_list("pk", flat=True):
                result[pk].append(str(action))
        return result

    def event(
        self, record: D, acting_user: Any, action: str, from_state: str, **payload: Any
    ) -> None:
        DailyEvent.objects.create(
            actor=acting_user,
            action=action,
            from_state=from_state,
            to_state=record.state,
            created_at=timezone.now(),
            payload=payload,
            **{self.name: record},
        )

    def lock(self, record: D, writable: bool = True) -> D:
        locked = self.model.objects.select_for_update().get(pk=record.pk)
        if writable and locked.state not in self.writable:
            raise TransitionRefused(str(self.closed_message))
        return locked

    def recount(
        self, record: D, now: datetime, days: dict[int, Any] | None = None
    ) -> tuple[dict[str, Any], Count]:
        """Store fresh numbers; returns those that changed (old and new) and the count."""
        count = self.count(getattr(record, self.owner), record.day, now, days)
        changed: dict[str, Any] = {}
        for name, value in count.figures.items():
            if getattr(record, name) != value:
                changed[name] = [getattr(record, name), value]
                setattr(record, name, value)
        if record.details != count.details:
            record.details = count.details
            changed.setdefault("details", True)
        record.figures_at = now
        return changed, count

    def save(self, record: D, count: Count) -> None:
        record.save()

    @transaction.atomic
    def do_draft(
        self,
        owner: Owner,
        day: date,
        *,
        acting_user: Any = None,
        days: dict[int, Any] | None = None,
    ) -> tuple[D, bool]:
        """Draft the owner's record of `day`, or refresh a draft nobody has touched.

        `acting_user` is None when the scheduled job drafts. Returns the record and whether
        anything was written.
        """
        check_day(day)
        self.check_owner(owner)
        now = timezone.now()
        mine = {self.owner: owner, "day": day}
        record = self.model.objects.select_for_update().filter(**mine).first()
        if record is not None and (record.state != self.draft_state or record.edited_at):
            return record, False
        created = record is None
        if record is None:
            record = self.model(**mine, drafted_at=now)
        changed, count = self.recount(record, now, days)
        if not created and not changed:
            return record, False
        for name, value in count.texts().items():
            setattr(record, name, value)
        try:
            with transaction.atomic():
                self.save(record, count)
        except IntegrityError:
            # Another drafting run created it meanwhile; that one stands.
            return self.model.objects.get(**mine), False
        if created:
            self.event(record, acting_user, EventAction.DRAFT, "")
        else:
            self.event(record, acting_user, EventAction.REFRESH, record.state, changed=changed)
        return record, True

    @transaction.atomic
    def do_refresh(self, record: D, *, acting_user: Any) -> D:
        """Count the numbers again; the words stay as they are."""
        record = self.lock(record)
        changed, count = self.recount(record, timezone.now())
        self.save(record, count)
        self.event(record, acting_user, EventAction.REFRESH, record.state, changed=changed)
        return record

    @transaction.atomic
    def do_edit(self, record: D, *, acting_user: Any, **texts: str | None) -> D:
        """Its writers write it; from now on the drafting job leaves it alone."""
        unknown = set(texts) - set(self.texts)
        if unknown:
            raise TypeError(f"{self.name} has no text {sorted(unknown)}")
        record = self.lock(record)
        cleaned = clean_texts({name: texts.get(name) for name in self.texts})
        changed = [name for name, value in cleaned.items() if getattr(record, name) != value]
        for name, value in cleaned.items():
            setattr(record, name, value)
        record.edited_at = timezone.now()
        record.edited_by = acting_user
        record.save()
        self.event(record, acting_user, EventAction.EDIT, record.state, fields=changed)
        return record

    @transaction.atomic
    def do_close(self, record: D, *, acting_user: Any) -> D:
        """Count once more and close the record with the numbers of this moment; it is
        read-only after."""
        record = self.lock(record)
        self.prepare_close(record)
        now = timezone.now()
        counted: Count = self.recount(record, now)[1]
        from_state = record.state
        record.state = self.final_state
        closed_at, closed_by = self.final_fields
        setattr(record, closed_at, now)
        setattr(record, closed_by, acting_user)
        if record.edited_at is None:
            record.edited_at, record.edited_by = now, acting_user
        self.save(record, counted)
        names = (*FIGURE_FIELDS, *counted.figures)
        figures = {name: getattr(record, name) for name in names}
        self.event(record, acting_user, self.final_action, from_state, figures=figures)
        return record
