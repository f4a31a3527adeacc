"""Every change of the register of forms: registering a form with its items, editing it,
and the office's decision on it (keep, drop, merge into another, serve from shared data).
Atomic; one immutable ReportFormEvent per call; `version` moves on (docs/reportforms.md).

Callers reach a form through `access(ReportForm, user, id, action)` first; these functions
check what only they can: the input, the jurisdiction's departments and the other forms a
decision touches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.errors import InvalidInput, StaleVersion
from ducha.core.text import LINE, LONG, NAME, TITLE, clean_text
from ducha.orgs.choices import RegionLevel
from ducha.orgs.models import Org
from ducha.reportforms import choosers
from ducha.reportforms.choices import (
    MAX_CHOICES,
    MAX_ITEMS,
    MAX_MINUTES,
    STILL_FILLED,
    Decision,
    FormAction,
    Frequency,
    ItemKind,
)
from ducha.reportforms.models import FormItem, ReportForm, ReportFormEvent
from ducha.reportforms.shared import FIGURES

# Forms are numbered 1, 2, 3 … in their jurisdiction's register.
MAX_NUMBER = 9999
# The longest unit ("人", "万元", "平方米"): FormItem.unit's column.
UNIT = 20
# FormItem's decimals: 14 digits, 2 after the point.
LIMIT = Decimal("999999999999.99")
NUMERIC = (ItemKind.INTEGER, ItemKind.DECIMAL)
ITEM_FIELDS = frozenset(
    {
        "label",
        "key",
        "kind",
        "unit",
        "required",
        "min_value",
        "max_value",
        "max_length",
        "choices",
        "shared_figure",
    }
)
EDITABLE = ("number", "name", "department", "frequency", "filled_by", "minutes", "items")
# Levels whose committees fill forms: towns and streets, villages and communities.
FILLERS = (RegionLevel.TOWN, RegionLevel.VILLAGE)
_SPACES = re.compile(r"\s+")
# Said alike by the action and by the page's choice of who fills a form.
FILLED_BY = gettext_lazy(
    "A form is filled by the towns and streets, or the villages and communities, below its "
    "jurisdiction."
)


class ItemRefused(InvalidInput):
    """One item of a form refused: `position` (from 1) says which, for a page that shows
    the line it was written on."""

    def __init__(self, position: int, detail: str) -> None:
        super().__init__(
            _("Item %(position)s: %(detail)s") % {"position": position, "detail": detail},
            "items",
        )
        self.position = position
        self.detail = detail


def stale_version() -> StaleVersion:
    return StaleVersion(_("The form has changed since you opened it; reload it and try again."))


def normalised(text: str) -> str:
    """Full-width letters, digits and spaces made plain and runs of spaces made one: the
    same item written twice gets the same key (“返岗 人数” and “返岗人数 ” alike)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def key_of(label: str) -> str:
    """The key an item is matched by across forms: its label normalised, without spaces
    (“返岗 人数” is “返岗人数”)."""
    return _SPACES.sub("", normalised(label))


def _record(
    form: ReportForm,
    acting_user: Any,
    action: str,
    from_decision: str = "",
    comment: str = "",
    **payload: Any,
) -> ReportFormEvent:
    return ReportFormEvent.objects.create(
        form=form,
        # Read now, not as the field's default: the demo's replay clock moves `now`.
        created_at=timezone.now(),
        actor=acting_user,
        action=action,
        from_decision=from_decision,
        to_decision=form.decision,
        comment=comment,
        payload=payload,
    )


# --- checking the input ---------------------------------------------------------------------


def _text(
    item: Mapping[str, Any], field: str, position: int, limit: int, required: bool = False
) -> str:
    value = item.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ItemRefused(position, _("%(field)s must be text.") % {"field": field})
    try:
        return clean_text(value, field, max_length=limit, required=required, one_line=True)
    except InvalidInput as error:
        raise ItemRefused(position, f"{field}: {error.message}") from None


def _number(item: Mapping[str, Any], field: str, position: int) -> Decimal | None:
    value = item.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ItemRefused(position, _("%(field)s must be a number.") % {"field": field})
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) > LIMIT:
        raise ItemRefused(
            position,
            _("%(field)s must be a number between -%(limit)s and %(limit)s.")
            % {"field": field, "limit": LIMIT},
        )
    if number != number.quantize(Decimal("0.01")):
        raise ItemRefused(position, _("%(field)s has at most two decimals.") % {"field": field})
    return number


def _choices(item: Mapping[str, Any], kind: str, position: int) -> list[str]:
    raw = item.get("choices") or []
    if kind != ItemKind.CHOICE:
        if raw:
            raise ItemRefused(position, _("Only a choice item has choices."))
        return []
    if not isinstance(raw, list | tuple) or not all(isinstance(c, str) for c in raw):
        raise ItemRefused(position, _("Give the choices as a list of texts."))
    if len(raw) > MAX_CHOICES:
        raise ItemRefused(
            position, _("A choice item has at most %(count)s choices.") % {"count": MAX_CHOICES}
        )
    options = [normalised(choice) for choice in raw]
    for option in options:
        if not option or len(option) > NAME:
            raise ItemRefused(
                position,
                _("Each choice is 1 to %(count)s characters on one line.") % {"count": NAME},
            )
        _text({"choice": option}, "choice", position, NAME)
    if len(options) < 2 or len(set(options)) != len(options):
        raise ItemRefused(position, _("A choice item has at least two different choices."))
    return options


def _item(raw: Any, position: int) -> FormItem:
    if not isinstance(raw, Mapping):
        raise ItemRefused(position, _("Give each item as an object with its label."))
    unknown = sorted(set(raw) - ITEM_FIELDS)
    if unknown:
        raise ItemRefused(
            position, _("Unknown field %(field)s.") % {"field": ", ".join(map(str, unknown))}
        )
    label = normalised(_text(raw, "label", position, NAME, required=True))
    key = key_of(_text(raw, "key", position, NAME) or label)
    kind = raw.get("kind") or ItemKind.INTEGER
    if kind not in ItemKind.values:
        raise ItemRefused(
            position,
            _("Choose the kind of the item among: %(kinds)s.")
            % {"kinds": ", ".join(ItemKind.values)},
        )
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise ItemRefused(position, _("required must be true or false."))
    low, high = _number(raw, "min_value", position), _number(raw, "max_value", position)
    if (low is not None or high is not None) and kind not in NUMERIC:
        raise ItemRefused(position, _("Only a number has a minimum and a maximum."))
    if low is not None and high is not None and low > high:
        raise ItemRefused(position, _("The minimum is above the maximum."))
    longest = raw.get("max_length")
    if longest is not None:
        if kind != ItemKind.TEXT:
            raise ItemRefused(position, _("Only a text item has a longest length."))
        if isinstance(longest, bool) or not isinstance(longest, int) or not 1 <= longest <= LONG:
            raise ItemRefused(
                position, _("The longest text is 1 to %(count)s characters.") % {"count": LONG}
            )
    figure = _text(raw, "shared_figure", position, NAME)
    if figure and figure not in FIGURES:
        raise ItemRefused(
            position,
            _("The platform holds no figure “%(figure)s”.") % {"figure": figure},
        )
    return FormItem(
        position=position,
        label=label,
        key=key,
        kind=kind,
        unit=_text(raw, "unit", position, UNIT),
        required=required,
        min_value=low,
        max_value=high,
        max_length=longest,
        choices=_choices(raw, kind, position),
        shared_figure=figure,
    )


def check_items(items: Any) -> list[FormItem]:
    """The form's items, checked and numbered from 1 (not saved)."""
    if not isinstance(items, list | tuple) or not items:
        raise InvalidInput(_("Give the form at least one item."), "items")
    if len(items) > MAX_ITEMS:
        raise InvalidInput(_("A form has at most %(count)s items.") % {"count": MAX_ITEMS}, "items")
    checked: list[FormItem] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(items, 1):
        item = _item(raw, position)
        if item.key in seen:
            raise ItemRefused(
                position,
                _("“%(key)s” is already item %(other)s of this form.")
                % {"key": item.key, "other": seen[item.key]},
            )
        seen[item.key] = position
        checked.append(item)
    return checked


def _minutes(minutes: Any) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInput(
            _("Estimate the minutes to fill it once: 1 to %(count)s.") % {"count": MAX_MINUTES},
            "minutes",
        )
    return minutes


def _number_of(form_number: Any, region: Org, form: ReportForm | None = None) -> int:
    if isinstance(form_number, bool) or not isinstance(form_number, int):
        raise InvalidInput(_("Number the form with a whole number."), "number")
    if not 1 <= form_number <= MAX_NUMBER:
        raise InvalidInput(
            _("Number the form from 1 to %(count)s.") % {"count": MAX_NUMBER}, "number"
        )
    taken = ReportForm.objects.filter(region=region, number=form_number)
    if form is not None:
        taken = taken.exclude(pk=form.pk)
    if taken.exists():
        raise InvalidInput(
            _("Form number %(number)s is already registered in this jurisdiction.")
            % {"number": form_number},
            "number",
        )
    return form_number


def _frequency(frequency: Any) -> str:
    if frequency not in Frequency.values:
        raise InvalidInput(_("Choose daily, weekly, monthly or quarterly."), "frequency")
    return str(frequency)


def _filled_by(filled_by: Any, region: Org) -> int:
    if filled_by not in FILLERS or region.level is None or filled_by <= region.level:
        raise InvalidInput(str(FILLED_BY), "filled_by")
    return int(filled_by)


def _shared_ready(items: Iterable[FormItem]) -> None:
    missing = [item.label for item in items if not item.shared_figure]
    if missing:
        raise InvalidInput(
            _(
                "The platform does not hold these items, so the form cannot be served from "
                "shared data: %(items)s."
            )
            % {"items": "、".join(missing)},
            "decision",
        )


def _save_items(form: ReportForm, items: list[FormItem]) -> None:
    for item in items:
        item.form = form
    FormItem.objects.bulk_create(items)


# --- the actions ------------------------------------------------------------------------------


@transaction.atomic
def do_register_form(
    *,
    acting_user: Any,
    region: Org,
    number: int,
    name: str,
    department: Org,
    frequency: str,
    filled_by: int,
    minutes: int,
    items: list[dict[str, Any]],
) -> ReportForm:
    """An office registers a form a department of its jurisdiction demands, with its items."""
    choosers.REGION.check(region, acting_user)
    choosers.DEPARTMENT.check(department, region)
    form = ReportForm(
        region=region,
        number=_number_of(number, region),
        name=clean_text(name, "name", max_length=TITLE, required=True, one_line=True),
        department=department,
        frequency=_frequency(frequency),
        filled_by=_filled_by(filled_by, region),
        minutes=_minutes(minutes),
        created_at=timezone.now(),
        created_by=acting_user,
    )
    checked = check_items(items)
    form.copy_levels_from(region)
    form.save()
    _save_items(form, checked)
    _record(form, acting_user, FormAction.REGISTER, items=len(checked))
    return form


def _lock(form: ReportForm, expected_version: int | None) -> ReportForm:
    locked = (
        ReportForm.objects.select_for_update(of=("self",)).select_related("region").get(pk=form.pk)
    )
    if expected_version is not None and expected_version != locked.version:
        raise stale_version()
    return locked


@transaction.atomic
def do_edit_form(
    form: ReportForm, *, acting_user: Any, expected_version: int | None = None, **changes: Any
) -> ReportForm:
    """Correct a registered form: its number, name, department, frequency, who fills it,
    the minutes it takes, or its items (given whole, they replace the old ones)."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput(_("This cannot be changed here."), unknown[0])
    if not changes:
        raise InvalidInput(_("Change at least one thing."), None)
    form = _lock(form, expected_version)
    region = form.region
    if "number" in changes:
        form.number = _number_of(changes["number"], region, form)
    if "name" in changes:
        form.name = clean_text(
            changes["name"], "name", max_length=TITLE, required=True, one_line=True
        )
    if "department" in changes:
        form.department = choosers.DEPARTMENT.check(changes["department"], region)
    if "frequency" in changes:
        form.frequency = _frequency(changes["frequency"])
    if "filled_by" in changes:
        form.filled_by = _filled_by(changes["filled_by"], region)
    if "minutes" in changes:
        form.minutes = _minutes(changes["minutes"])
    if "items" in changes:
        items = check_items(changes["items"])
        if form.decision == Decision.SHARED:
            _shared_ready(items)
        form.items.all().delete()
        _save_items(form, items)
    form.version += 1
    form.save()
    _record(form, acting_user, FormAction.EDIT, form.decision, changed=sorted(changes))
    return form


def _target(
    form: ReportForm, merged_into: ReportForm | None, decision: str, acting_user: Any
) -> ReportForm | None:
    if decision != Decision.MERGE:
        if merged_into is not None:
            raise InvalidInput(_("Name a form to merge into only when merging."), "merged_into")
        return None
    if merged_into is None:
        raise InvalidInput(_("Choose the form to merge it into."), "merged_into")
    if merged_into.pk == form.pk:
        raise InvalidInput(_("A form cannot be merged into itself."), "merged_into")
    choosers.MERGE_TARGET.check(merged_into, acting_user)
    target = ReportForm.objects.select_for_update(of=("self",)).get(pk=merged_into.pk)
    if target.region_id != form.region_id:
        raise InvalidInput(_("Merge it into a form of the same jurisdiction."), "merged_into")
    if target.decision not in STILL_FILLED:
        raise InvalidInput(
            _(
                "“%(target)s” is no longer filled (%(decision)s): merge into a form that is "
                "kept or not yet decided."
            )
            % {"target": target.name, "decision": target.get_decision_display()},
            "merged_into",
        )
    return target


@transaction.atomic
def do_decide_form(
    form: ReportForm,
    *,
    acting_user: Any,
    decision: str,
    merged_into: ReportForm | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> ReportForm:
    """The office's decision on a form: keep it, drop it, merge it into another form still
    filled (filled once with it), or serve it from the figures the platform holds."""
    if decision not in Decision.values:
        raise InvalidInput(_("Choose keep, drop, merge or serve from shared data."), "decision")
    # The two rows in a fixed order, so that two decisions on the same pair cannot deadlock.
    if merged_into is not None and merged_into.pk < form.pk:
        target = _target(form, merged_into, decision, acting_user)
        form = _lock(form, expected_version)
    else:
        form = _lock(form, expected_version)
        target = _target(form, merged_into, decision, acting_user)
    reason = clean_text(reason, "reason", max_length=LINE, one_line=True)
    if decision == form.decision and target == form.merged_into:
        raise InvalidInput(
            _("The form is already decided so: %(decision)s.")
            % {"decision": form.get_decision_display()},
            "decision",
        )
    if decision not in STILL_FILLED:
        merged = list(form.merged.order_by("number").values_list("name", flat=True))
        if merged:
            raise InvalidInput(
                _(
                    "Other forms are merged into this one (%(forms)s): merge them into another "
                    "form, or decide on them again, first."
                )
                % {"forms": "、".join(merged)},
                "decision",
            )
    if decision == Decision.SHARED:
        _shared_ready(form.items.all())
    from_decision = form.decision
    form.decision = decision
    form.merged_into = target
    form.decision_reason = reason
    form.decided_at = None if decision == Decision.PENDING else timezone.now()
    form.decided_by = None if decision == Decision.PENDING else acting_user
    form.version += 1
    form.save(
        update_fields=[
            "decision",
            "merged_into",
            "decision_reason",
            "decided_at",
            "decided_by",
            "version",
        ]
    )
    _record(
        form,
        acting_user,
        FormAction.DECIDE,
        from_decision,
        reason,
        merged_into=target.pk if target is not None else None,
    )
    return form
