"""Every change of the 复工复产 ledger: registering and editing an enterprise, its status
(备案, 复工, 停工), taking it out of supervision and back, its epidemic-management ledger,
the needs it reports, and a jurisdiction's rule (docs/resumption.md).

Atomic; one immutable ResumptionEvent per change of an enterprise, its `version` moved on.
The rules of a status live in `ducha.resumption.status` alone; these functions load the
enterprise's standing, ask those rules, and keep the columns and spells that rates read.
Callers reach an enterprise through `access(Enterprise, user, id, action)` first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.dates import date_error
from ducha.core.errors import InvalidInput, StaleVersion, TransitionRefused
from ducha.core.phones import PHONE_MAX_LENGTH
from ducha.core.text import LINE, LONG, NAME, TITLE, clean_text
from ducha.orgs.choices import SiteKind
from ducha.orgs.models import Org, Site
from ducha.problems.actions import do_create_problem
from ducha.problems.models import FocusArea, Problem
from ducha.resumption import choosers, status
from ducha.resumption.choices import (
    MAX_DAYS_OF_STOCK,
    MAX_STAFF,
    MAX_SUPPLIES,
    STATUS_ACTIONS,
    Category,
    EnterpriseAction,
    EnterpriseKind,
    NeedKind,
)
from ducha.resumption.models import (
    Enterprise,
    EnterpriseLedger,
    EnterpriseNeed,
    ResumptionEvent,
    ResumptionRule,
    ResumptionSpell,
)

FOCUS_AREA = "work_resumption"
# 统一社会信用代码: 18 digits and capital letters.
CREDIT_CODE = re.compile(r"[0-9A-Z]{18}", re.ASCII)
# A supply line's quantity: far beyond any stock, short of what a person would type by mistake.
MAX_QUANTITY = 10**9
UNIT = 20  # characters of a supply line's unit (只, 套, 千克 …)

EDITABLE = (
    "kind",
    "name",
    "credit_code",
    "category",
    "region",
    "area",
    "supervisor",
    "address",
    "registered_on",
)
# The columns a spell copies from its enterprise, so that the rates read spells alone.
SPELL_COPIES = ("province_id", "city_id", "county_id", "town_id", "category", "area", "supervised")


def stale_version() -> StaleVersion:
    return StaleVersion(
        _("The enterprise has changed since you opened it; reload it and try again.")
    )


def _record(
    enterprise: Enterprise,
    acting_user: Any,
    action: str,
    *,
    on: date | None = None,
    from_status: str = "",
    **payload: Any,
) -> ResumptionEvent:
    return ResumptionEvent.objects.create(
        enterprise=enterprise,
        actor=acting_user,
        # Read now, not as the field's default: the demo's replay clock moves `now`.
        created_at=timezone.now(),
        action=action,
        on=on,
        from_status=from_status,
        to_status=enterprise.status if from_status else "",
        payload=payload,
    )


def _lock(enterprise: Enterprise, expected_version: int | None) -> Enterprise:
    locked = Enterprise.objects.select_for_update(of=("self",)).get(pk=enterprise.pk)
    if expected_version is not None and expected_version != locked.version:
        raise stale_version()
    return locked


def _bump(enterprise: Enterprise, *fields: str) -> None:
    enterprise.version += 1
    enterprise.save(update_fields=[*fields, "version"])


def _sync_spells(enterprise: Enterprise) -> None:
    """Spells carry copies of the enterprise's columns; a change of those is copied over."""
    ResumptionSpell.objects.filter(enterprise=enterprise).update(
        **{field: getattr(enterprise, field) for field in SPELL_COPIES}
    )


def _sync_site(enterprise: Enterprise) -> None:
    """The enterprise's site, once made, bears its name and lies where it lies."""
    site = enterprise.site
    if site is None:
        return
    site.name, site.region, site.address = enterprise.name, enterprise.region, enterprise.address
    site.save()


# --- checking input -----------------------------------------------------------------------


def _choice(value: Any, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(_("Choose one of the listed values."), field)
    return str(value)


def _day(value: Any, field: str) -> date:
    if not isinstance(value, date):
        raise InvalidInput(_("Enter a valid date."), field)
    message = date_error(value)
    if message is not None:
        raise InvalidInput(message, field)
    return value


def _count(value: Any, field: str, *, most: int = MAX_STAFF) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
        raise InvalidInput(_("Enter a whole number from 0 to %(most)s.") % {"most": most}, field)
    return value


def _credit_code(value: str) -> str:
    code = clean_text(value, "credit_code", max_length=18, one_line=True).upper()
    if code and not CREDIT_CODE.fullmatch(code):
        raise InvalidInput(
            _("A unified social credit code has 18 characters: digits and capital letters."),
            "credit_code",
        )
    return code


def _kind_and_category(kind: Any, category: Any) -> tuple[str, str]:
    kind = _choice(kind, EnterpriseKind, "kind")
    category = _choice(category, Category, "category")
    # A construction project is counted with the projects, and only there.
    if (kind == EnterpriseKind.PROJECT) != (category == Category.CONSTRUCTION):
        raise InvalidInput(
            _("A construction project, and only a project, has the category “%(category)s”.")
            % {"category": Category.CONSTRUCTION.label},
            "category",
        )
    return kind, category


def _quantity(value: Any, row: int) -> int | float:
    bad = isinstance(value, bool) or not isinstance(value, int | float | Decimal)
    if not bad:
        # A Decimal's NaN cannot even be compared; ask it first.
        finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
        bad = not finite or not 0 <= value <= MAX_QUANTITY
    if bad:
        raise InvalidInput(
            _("Supplies, line %(row)s: the quantity is a number from 0 to %(most)s.")
            % {"row": row, "most": MAX_QUANTITY},
            "supplies",
        )
    number = float(value)
    return int(number) if number.is_integer() else number


def clean_supplies(supplies: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The supply lines a ledger entry stores: at most MAX_SUPPLIES, each a named supply
    with its quantity, unit and days of stock. Refused on `supplies`, naming the line."""
    lines = list(supplies)
    if len(lines) > MAX_SUPPLIES:
        raise InvalidInput(
            _("List at most %(count)s supplies.") % {"count": MAX_SUPPLIES}, "supplies"
        )
    cleaned = []
    for row, line in enumerate(lines, start=1):
        if not isinstance(line, Mapping) or set(line) - {"name", "quantity", "unit", "days"}:
            raise InvalidInput(
                _("Supplies, line %(row)s: give a name, a quantity, a unit and the days.")
                % {"row": row},
                "supplies",
            )
        try:
            name = clean_text(
                str(line.get("name", "")), "supplies", max_length=NAME, required=True, one_line=True
            )
            unit = clean_text(str(line.get("unit", "")), "supplies", max_length=UNIT, one_line=True)
        except InvalidInput as error:
            raise InvalidInput(
                _("Supplies, line %(row)s: %(error)s") % {"row": row, "error": error.message},
                "supplies",
            ) from None
        days = line.get("days", 0)
        if (
            isinstance(days, bool)
            or not isinstance(days, int)
            or not 0 <= days <= MAX_DAYS_OF_STOCK
        ):
            raise InvalidInput(
                _("Supplies, line %(row)s: the days of stock are a number from 0 to %(most)s.")
                % {"row": row, "most": MAX_DAYS_OF_STOCK},
                "supplies",
            )
        quantity = _quantity(line.get("quantity", 0), row)
        cleaned.append({"name": name, "quantity": quantity, "unit": unit, "days": days})
    return cleaned


def _check_registered_on(value: Any, enterprise: Enterprise | None = None) -> date:
    registered_on = _day(value, "registered_on")
    if registered_on > timezone.localdate():
        raise InvalidInput(_("The day of registration cannot be in the future."), "registered_on")
    if enterprise is not None and enterprise.pk:
        first = enterprise.events.filter(on__isnull=False).aggregate(first=Min("on"))["first"]
        if first is not None and registered_on > first:
            raise InvalidInput(
                _("A status is recorded on %(day)s: the enterprise was registered by then.")
                % {"day": first.isoformat()},
                "registered_on",
            )
    return registered_on


def _duplicate_code(code: str, acting_user: Any, enterprise: Enterprise | None = None) -> None:
    if not code:
        return
    same = Enterprise.objects.visible_to(acting_user).filter(credit_code=code)
    if enterprise is not None:
        same = same.exclude(pk=enterprise.pk)
    found = same.first()
    if found is not None:
        raise InvalidInput(
            _("This credit code is registered already: %(name)s.") % {"name": found.name},
            "credit_code",
        )


def _excluded_reason(supervised: bool, reason: str) -> str:
    reason = clean_text(reason, "excluded_reason", max_length=LINE, one_line=True)
    if not supervised and not reason:
        raise InvalidInput(_("Say why the jurisdiction does not supervise it."), "excluded_reason")
    return reason if not supervised else ""


# --- registering and editing ---------------------------------------------------------------


@transaction.atomic
def do_register_enterprise(
    *,
    acting_user: Any,
    kind: str,
    name: str,
    category: str,
    region: Org,
    registered_on: date,
    credit_code: str = "",
    area: str = "",
    supervisor: Org | None = None,
    supervised: bool = True,
    excluded_reason: str = "",
    address: str = "",
) -> Enterprise:
    """登记: the office enters an enterprise or a construction project of its jurisdiction
    in the ledger, supervised here or listed apart with the reason."""
    kind, category = _kind_and_category(kind, category)
    name = clean_text(name, "name", max_length=TITLE, required=True, one_line=True)
    code = _credit_code(credit_code)
    choosers.REGION.check(region, acting_user)
    if supervisor is not None:
        choosers.SUPERVISOR.check(supervisor, acting_user)
    enterprise = Enterprise(
        kind=kind,
        name=name,
        credit_code=code,
        category=category,
        region=region,
        area=clean_text(area, "area", max_length=NAME, one_line=True),
        supervisor=supervisor,
        supervised=bool(supervised),
        excluded_reason=_excluded_reason(bool(supervised), excluded_reason),
        address=clean_text(address, "address", max_length=LINE, one_line=True),
        registered_on=_check_registered_on(registered_on),
        created_at=timezone.now(),
        created_by=acting_user,
    )
    _duplicate_code(code, acting_user)
    enterprise.copy_levels_from(region)
    enterprise.save()
    _record(enterprise, acting_user, EnterpriseAction.REGISTER, **_described(enterprise))
    return enterprise


def _described(enterprise: Enterprise) -> dict[str, Any]:
    return {
        "kind": enterprise.kind,
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "category": enterprise.category,
        "region": enterprise.region_id,
        "area": enterprise.area,
        "supervisor": enterprise.supervisor_id,
        "supervised": enterprise.supervised,
        "excluded_reason": enterprise.excluded_reason,
        "address": enterprise.address,
        "registered_on": enterprise.registered_on.isoformat(),
    }


@transaction.atomic
def do_edit_enterprise(
    enterprise: Enterprise,
    *,
    acting_user: Any,
    expected_version: int | None = None,
    **changes: Any,
) -> Enterprise:
    """The office corrects what the ledger says of an enterprise (not its status, nor
    whether it is supervised: those are their own actions). Only what changed is logged."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(_("This cannot be changed here."), sorted(unknown)[0])
    enterprise = _lock(enterprise, expected_version)
    new = {field: changes.get(field, getattr(enterprise, field)) for field in EDITABLE}
    kind, category = _kind_and_category(new["kind"], new["category"])
    values: dict[str, Any] = {
        "kind": kind,
        "category": category,
        "name": clean_text(new["name"], "name", max_length=TITLE, required=True, one_line=True),
        "credit_code": _credit_code(new["credit_code"]),
        "area": clean_text(new["area"], "area", max_length=NAME, one_line=True),
        "address": clean_text(new["address"], "address", max_length=LINE, one_line=True),
        "registered_on": _check_registered_on(new["registered_on"], enterprise),
        "region": new["region"],
        "supervisor": new["supervisor"],
    }
    if values["region"].pk != enterprise.region_id:
        choosers.REGION.check(values["region"], acting_user)
    if values["supervisor"] is not None and values["supervisor"].pk != enterprise.supervisor_id:
        choosers.SUPERVISOR.check(values["supervisor"], acting_user)
    if values["credit_code"] != enterprise.credit_code:
        _duplicate_code(values["credit_code"], acting_user, enterprise)
    before = _described(enterprise)
    for field, value in values.items():
        setattr(enterprise, field, value)
    enterprise.copy_levels_from(enterprise.region)
    after = _described(enterprise)
    changed = {field: after[field] for field in after if after[field] != before[field]}
    if not changed:
        return enterprise
    _bump(enterprise, *EDITABLE, "province", "city", "county", "town", "village")
    _sync_spells(enterprise)
    _sync_site(enterprise)
    _record(enterprise, acting_user, EnterpriseAction.EDIT, changed=changed)
    return enterprise


# --- status ---------------------------------------------------------------------------------


def rule_for(region: Org) -> ResumptionRule:
    """The rule of the nearest region up the tree that set one; unsaved defaults otherwise
    (filing required first, no problem made)."""
    ids = [int(part) for part in region.path.strip("/").split("/") if part]
    rules = ResumptionRule.objects.filter(region_id__in=ids).select_related("region")
    nearest = max(rules, key=lambda rule: rule.region.depth, default=None)
    if nearest is not None:
        return nearest
    return ResumptionRule(region=region, filing_first=True, problem_when_unfiled=False)


def standing_of(enterprise: Enterprise) -> status.Standing:
    return status.Standing(
        registered_on=enterprise.registered_on,
        filed_on=enterprise.filed_on,
        status=enterprise.status,
        status_on=enterprise.status_on,
    )


def _refusal(
    standing: status.Standing, action: str, message: str, *, today: date, filing_first: bool
) -> InvalidInput | TransitionRefused:
    """The day is at fault when the same change dated the latest admissible day would be
    taken: asked of the status rules themselves, so that they are said once."""
    probe = standing.status_on or standing.registered_on
    if status.refusal(standing, action, probe, today=today, filing_first=filing_first) is None:
        return InvalidInput(message, "on")
    return TransitionRefused(message)


def ensure_site(enterprise: Enterprise) -> Site:
    """The enterprise's site (点位), made the first time one is needed (a need, a problem,
    a visit), in its region and under its name."""
    if enterprise.site_id is not None and enterprise.site is not None:
        return enterprise.site
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update(of=("self",)).get(pk=enterprise.pk)
        if locked.site_id is None:
            kind = (
                SiteKind.CONSTRUCTION_SITE
                if locked.kind == EnterpriseKind.PROJECT
                else SiteKind.ENTERPRISE
            )
            site = Site.objects.create(
                name=locked.name, kind=kind, region=locked.region, address=locked.address
            )
            Enterprise.objects.filter(pk=locked.pk).update(site=site)
            locked.site = site
        enterprise.site = locked.site
        enterprise.site_id = locked.site_id
    assert enterprise.site is not None
    return enterprise.site


def _problem(
    enterprise: Enterprise, acting_user: Any, title: str, description: str, **source: Any
) -> Problem:
    focus_area = FocusArea.objects.filter(code=FOCUS_AREA).first()
    if focus_area is None:
        raise InvalidInput(_("The focus area of work resumption is not set up."), "focus_area")
    return do_create_problem(
        acting_user=acting_user,
        title=title,
        description=description,
        region=enterprise.region,
        focus_area=focus_area,
        site=ensure_site(enterprise),
        source={"enterprise": enterprise.pk, **source},
    )


def _titled(template: str, name: str, **more: str) -> str:
    """A problem's title naming the enterprise, its name shortened to fit the title's limit."""
    room = TITLE - len(template % {"name": "", **more})
    return template % {"name": name[: max(room, 1)], **more}


def unfiled_problem(enterprise: Enterprise, acting_user: Any, on: date) -> Problem:
    """The problem an unfiled resumption becomes where the jurisdiction's rule asks for it
    (未备案先行复工): recorded by a status change and by an import alike."""
    return _problem(
        enterprise,
        acting_user,
        _titled(_("%(name)s resumed work without filing"), enterprise.name),
        _("Resumed on %(day)s without a filed resumption plan.") % {"day": on.isoformat()},
        unfiled_resumption=True,
    )


@transaction.atomic
def do_change_status(
    enterprise: Enterprise,
    *,
    acting_user: Any,
    action: str,
    on: date,
    expected_version: int | None = None,
) -> Enterprise:
    """备案, 复工 or 停工, dated by the day it took effect. An unfiled resumption the
    jurisdiction allows is recorded; where its rule asks for it, it becomes a problem too."""
    if action not in STATUS_ACTIONS:
        raise InvalidInput(_("Choose file, resume or stop."), "action")
    on = _day(on, "on")
    enterprise = _lock(enterprise, expected_version)
    rule = rule_for(enterprise.region)
    today = timezone.localdate()
    standing = standing_of(enterprise)
    message = status.refusal(standing, action, on, today=today, filing_first=rule.filing_first)
    if message is not None:
        raise _refusal(standing, action, message, today=today, filing_first=rule.filing_first)
    unfiled = status.unfiled(standing, action)
    after, spell = status.apply(standing, action, on)
    from_status = enterprise.status
    enterprise.filed_on = after.filed_on
    enterprise.status = after.status
    enterprise.status_on = after.status_on
    _bump(enterprise, "filed_on", "status", "status_on")
    if spell.opens is not None:
        ResumptionSpell.objects.create(
            enterprise=enterprise,
            resumed_on=spell.opens,
            **{field: getattr(enterprise, field) for field in SPELL_COPIES},
        )
    if spell.closes is not None:
        ResumptionSpell.objects.filter(enterprise=enterprise, stopped_on__isnull=True).update(
            stopped_on=spell.closes
        )
    payload: dict[str, Any] = {}
    if unfiled:
        payload["unfiled"] = True
        if rule.problem_when_unfiled:
            payload["problem"] = unfiled_problem(enterprise, acting_user, on).pk
    _record(enterprise, acting_user, action, on=on, from_status=from_status, **payload)
    return enterprise


# --- supervision ----------------------------------------------------------------------------


@transaction.atomic
def do_exclude(
    enterprise: Enterprise,
    *,
    acting_user: Any,
    reason: str,
    expected_version: int | None = None,
) -> Enterprise:
    """不在本级监管范围: listed and counted apart (the airport, a provincial expressway),
    with the reason."""
    reason = clean_text(reason, "reason", max_length=LINE, required=True, one_line=True)
    enterprise = _lock(enterprise, expected_version)
    if not enterprise.supervised:
        raise TransitionRefused(_("This enterprise is outside the supervision already."))
    enterprise.supervised = False
    enterprise.excluded_reason = reason
    _bump(enterprise, "supervised", "excluded_reason")
    _sync_spells(enterprise)
    _record(enterprise, acting_user, EnterpriseAction.EXCLUDE, reason=reason)
    return enterprise


@transaction.atomic
def do_include(
    enterprise: Enterprise, *, acting_user: Any, expected_version: int | None = None
) -> Enterprise:
    """The enterprise comes (back) under the jurisdiction's supervision and into its rates."""
    enterprise = _lock(enterprise, expected_version)
    if enterprise.supervised:
        raise TransitionRefused(_("This enterprise is under supervision already."))
    reason = enterprise.excluded_reason
    enterprise.supervised = True
    enterprise.excluded_reason = ""
    _bump(enterprise, "supervised", "excluded_reason")
    _sync_spells(enterprise)
    _record(enterprise, acting_user, EnterpriseAction.INCLUDE, previous_reason=reason)
    return enterprise


# --- the ledger and needs ---------------------------------------------------------------------


@transaction.atomic
def do_record_ledger(
    enterprise: Enterprise,
    *,
    acting_user: Any,
    staff_total: int,
    staff_screened: int,
    staff_isolated: int = 0,
    supplies: Iterable[Mapping[str, Any]] = (),
    plan: str = "",
    responsible_person: str,
    responsible_phone: str = "",
    expected_version: int | None = None,
) -> EnterpriseLedger:
    """一企一台账: a new entry of the enterprise's epidemic-management ledger; the entries
    before it stay as its history."""
    staff_total = _count(staff_total, "staff_total")
    staff_screened = _count(staff_screened, "staff_screened")
    staff_isolated = _count(staff_isolated, "staff_isolated")
    if staff_screened > staff_total:
        raise InvalidInput(
            _("More staff screened (%(screened)s) than staff (%(total)s).")
            % {"screened": staff_screened, "total": staff_total},
            "staff_screened",
        )
    if staff_isolated > staff_total:
        raise InvalidInput(
            _("More staff under observation (%(isolated)s) than staff (%(total)s).")
            % {"isolated": staff_isolated, "total": staff_total},
            "staff_isolated",
        )
    lines = clean_supplies(supplies)
    plan = clean_text(plan, "plan", max_length=LONG)
    person = clean_text(
        responsible_person, "responsible_person", max_length=NAME, required=True, one_line=True
    )
    phone = clean_text(
        responsible_phone, "responsible_phone", max_length=PHONE_MAX_LENGTH, one_line=True
    )
    enterprise = _lock(enterprise, expected_version)
    entry = EnterpriseLedger.objects.create(
        enterprise=enterprise,
        recorded_at=timezone.now(),
        recorded_by=acting_user,
        staff_total=staff_total,
        staff_screened=staff_screened,
        staff_isolated=staff_isolated,
        supplies=lines,
        plan=plan,
        responsible_person=person,
        responsible_phone=phone,
    )
    _bump(enterprise)
    _record(enterprise, acting_user, EnterpriseAction.RECORD_LEDGER, ledger=entry.pk)
    return entry


@transaction.atomic
def do_report_need(
    enterprise: Enterprise,
    *,
    acting_user: Any,
    kind: str,
    text: str,
    expected_version: int | None = None,
) -> EnterpriseNeed:
    """物资短缺, 用工, 物流: the need becomes a problem at the enterprise's site, which the
    office assigns to a department through the loop like any other."""
    kind = _choice(kind, NeedKind, "kind")
    text = clean_text(text, "text", max_length=LONG, required=True)
    enterprise = _lock(enterprise, expected_version)
    label = str(NeedKind(kind).label)
    problem = _problem(
        enterprise,
        acting_user,
        _titled(_("%(name)s: %(need)s"), enterprise.name, need=label),
        text,
        need=kind,
    )
    need = EnterpriseNeed.objects.create(
        enterprise=enterprise,
        kind=kind,
        text=text,
        reported_at=timezone.now(),
        reported_by=acting_user,
        problem=problem,
    )
    _bump(enterprise)
    _record(
        enterprise,
        acting_user,
        EnterpriseAction.REPORT_NEED,
        need=need.pk,
        kind=kind,
        problem=problem.pk,
    )
    return need


# --- the jurisdiction's rule -----------------------------------------------------------------


@transaction.atomic
def do_set_resumption_rule(
    region: Org, *, acting_user: Any, filing_first: bool, problem_when_unfiled: bool
) -> ResumptionRule:
    """先备案后复工, or not: the office's rule for its jurisdiction and the regions below
    that set none. A problem is made only of a resumption the rule lets through."""
    choosers.RULE_REGION.check(region, acting_user)
    if filing_first and problem_when_unfiled:
        raise InvalidInput(
            _(
                "Where filing is required first, a resumption without filing is refused, so "
                "none becomes a problem: allow it to make it a problem."
            ),
            "problem_when_unfiled",
        )
    rule, _created = ResumptionRule.objects.select_for_update().get_or_create(
        region=region,
        defaults={"filing_first": filing_first, "problem_when_unfiled": problem_when_unfiled},
    )
    rule.filing_first = bool(filing_first)
    rule.problem_when_unfiled = bool(problem_when_unfiled)
    rule.save()
    return rule
