"""The rules of an enterprise's status, said once for the actions, the import and the demo.

An enterprise files its resumption plan (备案) once, resumes (复工), may stop again (停工)
and resume again. Each status event is dated by the day it took effect (`on`): not before
the enterprise was registered, not in the future, and not before the status recorded last —
a ledger is written forwards, so the stretches of work (`ResumptionSpell`) never overlap and
a rate as of any day is a count of rows.

`refusal()` says why a change cannot be taken (None when it can); `apply()` gives the new
standing and what happens to the spells. Neither touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import gettext as _

from ducha.resumption.choices import EnterpriseAction, Status


@dataclass(frozen=True)
class Standing:
    """What the status rules need to know of one enterprise."""

    registered_on: date
    filed_on: date | None = None
    status: str = Status.REGISTERED
    status_on: date | None = None


@dataclass(frozen=True)
class SpellChange:
    """Open a spell on `opens`, or close the open one on `closes` (or neither)."""

    opens: date | None = None
    closes: date | None = None


def refusal(
    standing: Standing, action: str, on: date, *, today: date, filing_first: bool
) -> str | None:
    """Why `action` dated `on` cannot be recorded, in the user's language; None if it can."""
    if on > today:
        return _("A status cannot be dated in the future.")
    if on < standing.registered_on:
        return _("A status cannot be dated before the enterprise was registered (%(day)s).") % {
            "day": standing.registered_on.isoformat()
        }
    if standing.status_on and on < standing.status_on:
        return _("A status cannot be dated before the one recorded last (%(day)s).") % {
            "day": standing.status_on.isoformat()
        }
    if action == EnterpriseAction.FILE:
        if standing.filed_on:
            return _("This enterprise has filed its resumption plan already.")
        return None
    if action == EnterpriseAction.RESUME:
        if standing.status == Status.RESUMED:
            return _("This enterprise is working already.")
        if standing.filed_on is None and filing_first:
            return _(
                "This enterprise has not filed its resumption plan; the jurisdiction "
                "requires filing before resuming."
            )
        return None
    if action == EnterpriseAction.STOP:
        if standing.status != Status.RESUMED:
            return _("This enterprise is not working, so it cannot stop.")
        return None
    return _("This is not a change of status.")


def unfiled(standing: Standing, action: str) -> bool:
    """A resumption without a filing (taken where the jurisdiction allows it)."""
    return action == EnterpriseAction.RESUME and standing.filed_on is None


def apply(standing: Standing, action: str, on: date) -> tuple[Standing, SpellChange]:
    """The standing after a change `refusal()` accepted, and what it does to the spells."""
    if action == EnterpriseAction.FILE:
        status = Status.FILED if standing.status == Status.REGISTERED else standing.status
        return replace(standing, filed_on=on, status=status, status_on=on), SpellChange()
    if action == EnterpriseAction.RESUME:
        return replace(standing, status=Status.RESUMED, status_on=on), SpellChange(opens=on)
    if action == EnterpriseAction.STOP:
        return replace(standing, status=Status.STOPPED, status_on=on), SpellChange(closes=on)
    raise ValueError(action)
