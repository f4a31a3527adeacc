"""一表通: the collection form a village or community fills once for every department, and
the one action that fills it (docs/collection-forms.md).

A kept form's collection holds its own items and those of every form merged into it, once
per key. A return's values are checked here, item by item, the same way whether they came
from the phone page (text) or from the API (JSON numbers and booleans): each refusal names
the item by its label, and nothing is saved unless every value passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from ducha.accounts.choices import Role
from ducha.core.dates import date_error
from ducha.core.errors import InvalidInput, StaleVersion, TransitionRefused
from ducha.core.scope import grants_for
from ducha.core.text import LINE, text_error
from ducha.orgs.choices import RegionLevel
from ducha.orgs.models import Org
from ducha.reportforms.choices import STILL_FILLED, FormAction, ItemKind
from ducha.reportforms.collection import collection_items, department_view, fills, period_of
from ducha.reportforms.models import FormItem, FormReturn, ReportForm, ReportFormEvent

# Callers of the agreed signatures find the read side here too.
__all__ = ["clean_values", "collection_items", "department_view", "do_fill_return"]

# Numbers a village types: at most twelve digits before the point and two after it.
MAX_NUMBER = Decimal(10) ** 12
YES = frozenset({"yes", "true", "1", "on", "是"})
NO = frozenset({"no", "false", "0", "off", "否"})


# --- checking one value -------------------------------------------------------------------


def _refused(item: FormItem, message: str) -> InvalidInput:
    return InvalidInput(
        _("“%(item)s”: %(message)s") % {"item": item.label, "message": message},
        f"values.{item.key}",
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(item: FormItem, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _refused(item, _("enter a number."))
    try:
        number = Decimal(value.strip() if isinstance(value, str) else str(value))
    except InvalidOperation:
        raise _refused(item, _("enter a number.")) from None
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise _refused(item, _("enter a number."))
    if item.kind == ItemKind.INTEGER and number != number.to_integral_value():
        raise _refused(item, _("enter a whole number."))
    if number != number.quantize(Decimal("0.01")):
        raise _refused(item, _("enter at most two decimals."))
    if item.min_value is not None and number < item.min_value:
        raise _refused(item, _("at least %(limit)s.") % {"limit": item.min_value.normalize()})
    if item.max_value is not None and number > item.max_value:
        raise _refused(item, _("at most %(limit)s.") % {"limit": item.max_value.normalize()})
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def _text(item: FormItem, value: Any) -> str:
    if not isinstance(value, str):
        raise _refused(item, _("enter text."))
    text = value.strip()
    # An answer is one line, however long the register allows the item to be.
    message = text_error(text, max_length=min(item.max_length or LINE, LINE), multiline=False)
    if message is not None:
        raise _refused(item, message)
    return text


def _yes_no(item: FormItem, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = value.strip().lower() if isinstance(value, str) else None
    if word in YES:
        return True
    if word in NO:
        return False
    raise _refused(item, _("answer yes or no."))


def _date(item: FormItem, value: Any) -> str:
    day = None
    if isinstance(value, str):
        try:
            day = parse_date(value.strip())
        except ValueError:
            day = None
    if day is None:
        raise _refused(item, _("enter a date as YYYY-MM-DD."))
    message = date_error(day)
    if message is not None:
        raise _refused(item, message)
    return day.isoformat()


def _choice(item: FormItem, value: Any) -> str:
    choices = [str(choice) for choice in item.choices]
    if not isinstance(value, str) or value.strip() not in choices:
        raise _refused(item, _("choose one of the options."))
    return value.strip()


CHECKS = {
    ItemKind.INTEGER: _number,
    ItemKind.DECIMAL: _number,
    ItemKind.TEXT: _text,
    ItemKind.YES_NO: _yes_no,
    ItemKind.DATE: _date,
    ItemKind.CHOICE: _choice,
}


def clean_values(items: list[FormItem], values: Any) -> dict[str, Any]:
    """The values to store, each checked against its item; the first refusal is raised."""
    if not isinstance(values, Mapping):
        raise InvalidInput(_("Send the answers as item: value pairs."), "values")
    known = {item.key for item in items}
    unknown = sorted(str(key) for key in values if key not in known)
    if unknown:
        raise InvalidInput(
            _("This form asks no item “%(key)s”.") % {"key": unknown[0][:LINE]}, "values"
        )
    cleaned: dict[str, Any] = {}
    for item in items:
        value = values.get(item.key)
        if _blank(value):
            if item.required:
                raise _refused(item, _("this item is required."))
            continue
        cleaned[item.key] = CHECKS[ItemKind(item.kind)](item, value)
    return cleaned


# --- the action ---------------------------------------------------------------------------


def stale_version() -> StaleVersion:
    return StaleVersion(_("This return has changed since you opened it; reload it and try again."))


def _not_filled(form: ReportForm) -> TransitionRefused:
    target = form.merged_into
    if target is not None:
        return TransitionRefused(
            _("This form was merged into “%(form)s”: fill that one.") % {"form": target.name}
        )
    return TransitionRefused(
        _("This form is no longer filled (%(decision)s).")
        % {"decision": form.get_decision_display()}
    )


def _check_filler(form: ReportForm, acting_user: Any, region: Org, org: Org) -> None:
    handled = {grant.org_id for grant in grants_for(acting_user) if grant.role == Role.UNIT_HANDLER}
    if org.pk not in handled:
        raise InvalidInput(_("Fill the form for a committee you handle."), "org")
    if not fills(org, form):
        raise InvalidInput(
            _("This form is filled by the committees of each %(level)s of %(region)s.")
            % {"level": RegionLevel(form.filled_by).label, "region": form.region.name},
            "org",
        )
    found = org.region_id_and_level
    if found is None or found[0] != region.pk:
        raise InvalidInput(_("A committee fills the form for its own region."), "region")


@transaction.atomic
def do_fill_return(
    form: ReportForm,
    *,
    acting_user: Any,
    region: Org,
    org: Org,
    period: date,
    values: Any,
    expected_version: int | None = None,
) -> FormReturn:
    """填报: a village or community committee fills a kept form's collection for one period.
    Filling the same period again updates the same return (a new version, and an event of
    its own); `expected_version` refuses the update when the return moved on meanwhile."""
    form = ReportForm.objects.select_related("region").get(pk=form.pk)
    if form.decision not in STILL_FILLED:
        raise _not_filled(form)
    _check_filler(form, acting_user, region, org)
    day_error = date_error(period)
    if day_error is not None:
        raise InvalidInput(day_error, "period")
    period = period_of(form.frequency, period)
    if period > period_of(form.frequency, timezone.localdate()):
        raise InvalidInput(_("A period still to come cannot be filled."), "period")
    cleaned = clean_values(collection_items(form), values)
    existing = (
        FormReturn.objects.select_for_update()
        .filter(form=form, region=region, period=period)
        .first()
    )
    now = timezone.now()
    if existing is None:
        filled = FormReturn(
            form=form,
            region=region,
            org=org,
            period=period,
            values=cleaned,
            submitted_at=now,
            submitted_by=acting_user,
        )
        filled.copy_levels_from(region)
        try:
            with transaction.atomic():
                filled.save()
        except IntegrityError:
            # Another handler of the same place filled the period at the same moment.
            raise stale_version() from None
    else:
        if expected_version is not None and expected_version != existing.version:
            raise stale_version()
        filled = existing
        filled.org = org
        filled.values = cleaned
        filled.submitted_at = now
        filled.submitted_by = acting_user
        filled.version += 1
        filled.save(update_fields=["org", "values", "submitted_at", "submitted_by", "version"])
    ReportFormEvent.objects.create(
        form=form,
        form_return=filled,
        actor=acting_user,
        created_at=now,
        action=FormAction.FILL,
        payload={
            "region": region.pk,
            "org": org.pk,
            "period": period.isoformat(),
            "version": filled.version,
        },
    )
    return filled
