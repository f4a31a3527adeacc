"""The 复工复产 ledger: enterprises and construction projects, their status over time, each
one's epidemic-management ledger (一企一台账), the needs they report, and the log of every
action (docs/resumption.md).

Rates "as of a day" are computed from `filed_on` and the resumption spells, never from the
current status: an office asks how things stood on 1 March as often as how they stand today.
An enterprise becomes a site (点位) teams inspect only when it is needed (`site`): the tens of
thousands of a zone's service enterprises would otherwise bury the checkpoints in every
site chooser.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.events import ImmutableEvent
from ducha.core.text import LINE, LONG, NAME, TITLE
from ducha.orgs.models import RegionLevels
from ducha.resumption.choices import (
    Category,
    EnterpriseAction,
    EnterpriseKind,
    NeedKind,
    Status,
)
from ducha.resumption.querysets import EnterpriseQuerySet


class Enterprise(RegionLevels):
    """企业 / 项目: one enterprise or construction project of the ledger. The level columns
    (RegionLevels) are its region's: a jurisdiction's rates count what lies inside it."""

    kind = models.CharField(_("kind"), max_length=12, choices=EnterpriseKind.choices)
    name = models.CharField(_("name"), max_length=TITLE)
    # 统一社会信用代码 (18 characters) where known: what an import matches a row on.
    credit_code = models.CharField(_("credit code"), max_length=18, blank=True, default="")
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    # The street (or the zone itself) the enterprise lies in.
    region = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("region")
    )
    # 片区 / 园区: the office's own division of its territory (南区, 东区, 软件园 …).
    area = models.CharField(_("area"), max_length=NAME, blank=True, default="")
    # The department or unit that supervises it (经济运行局, 建设局 …); may be none yet.
    supervisor = models.ForeignKey(
        "orgs.Org",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_enterprises",
        verbose_name=_("supervising body"),
    )
    # Outside the jurisdiction's supervision (the airport, a provincial expressway …):
    # listed and counted apart, never in the rates.
    supervised = models.BooleanField(_("supervised here"), default=True)
    excluded_reason = models.CharField(_("why not supervised"), max_length=LINE, blank=True)
    address = models.CharField(_("address"), max_length=LINE, blank=True, default="")
    registered_on = models.DateField(_("registered on"))
    # Derived from the status events by the actions: the first filing, the current status
    # and the day it took effect.
    filed_on = models.DateField(_("filed on"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.REGISTERED,
        editable=False,
    )
    status_on = models.DateField(_("status since"), null=True, blank=True, editable=False)
    # The site teams inspect, made when first needed (a visit, a problem, a need).
    site = models.OneToOneField(
        "orgs.Site",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprise",
        verbose_name=_("site"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    # Moves on with every action (decision 0012).
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True) | Q(filed_on__gte=F("registered_on")),
                name="enterprise_filed_after_registered",
            ),
            models.CheckConstraint(
                condition=Q(supervised=True) | ~Q(excluded_reason=""),
                name="enterprise_excluded_says_why",
            ),
        ]
        indexes = [
            # The rates of a jurisdiction as of a day read these columns alone.
            models.Index(
                fields=["county", "category", "area", "registered_on", "filed_on"],
                name="enterprise_county_rates",
            ),
            models.Index(
                fields=["city", "category", "registered_on", "filed_on"],
                name="enterprise_city_rates",
            ),
            models.Index(
                fields=["province", "category", "registered_on", "filed_on"],
                name="enterprise_province_rates",
            ),
            models.Index(fields=["credit_code"], name="enterprise_credit_code"),
            # A zone's rates as of a day (ducha.resumption.figures), read from the index
            # alone: every column the grouped count touches is in it.
            models.Index(
                fields=["county", "registered_on"],
                include=["category", "area", "town", "supervised", "filed_on"],
                name="enterprise_county_as_of",
            ),
            # Those outside supervision, listed apart: few, whatever the zone's size.
            models.Index(
                fields=["county", "category", "name"],
                condition=Q(supervised=False),
                name="enterprise_county_excluded",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResumptionSpell(models.Model):
    """One stretch of work: resumed on a day, and stopped again on another (or not yet).

    Kept by the actions from the status events; "resumed as of D" is a spell that began on or
    before D and had not ended by D. The enterprise's columns that rates group by are copied
    here, so that the count reads this table alone."""

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="spells")
    resumed_on = models.DateField()
    stopped_on = models.DateField(null=True, blank=True)
    # Copies of the enterprise's (kept equal by the actions that change them).
    province = models.ForeignKey("orgs.Org", models.PROTECT, null=True, related_name="+")
    city = models.ForeignKey("orgs.Org", models.PROTECT, null=True, related_name="+")
    county = models.ForeignKey("orgs.Org", models.PROTECT, null=True, related_name="+")
    town = models.ForeignKey("orgs.Org", models.PROTECT, null=True, related_name="+")
    category = models.CharField(max_length=24, choices=Category.choices)
    area = models.CharField(max_length=NAME, blank=True, default="")
    supervised = models.BooleanField(default=True)

    class Meta:
        ordering = ["enterprise", "resumed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=F("resumed_on")),
                name="spell_stops_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(
                fields=["county", "category", "area", "resumed_on", "stopped_on"],
                name="spell_county_rates",
            ),
            models.Index(
                fields=["city", "category", "resumed_on", "stopped_on"], name="spell_city_rates"
            ),
            models.Index(
                fields=["province", "category", "resumed_on", "stopped_on"],
                name="spell_province_rates",
            ),
            # Working as of a day, in a zone (ducha.resumption.figures), from the indexes
            # alone: the spells still open, by the day they began; the spells that ended,
            # by the day they began or the day they ended, whichever range is narrower.
            models.Index(
                fields=["county", "resumed_on"],
                include=["category", "area", "town", "supervised"],
                condition=Q(stopped_on__isnull=True),
                name="spell_county_open",
            ),
            models.Index(
                fields=["county", "resumed_on"],
                include=["stopped_on", "category", "area", "town", "supervised"],
                condition=Q(stopped_on__isnull=False),
                name="spell_county_closed_from",
            ),
            models.Index(
                fields=["county", "stopped_on"],
                include=["resumed_on", "category", "area", "town", "supervised"],
                condition=Q(stopped_on__isnull=False),
                name="spell_county_closed_until",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.resumed_on}–{self.stopped_on or ''}"


class ResumptionRule(models.Model):
    """A jurisdiction's rules for resumption (the nearest region up the tree applies)."""

    region = models.OneToOneField(
        "orgs.Org", models.PROTECT, related_name="resumption_rule", verbose_name=_("region")
    )
    # 先备案后复工: a resumption without a filing is refused…
    filing_first = models.BooleanField(_("filing required before resuming"), default=True)
    # …or, where the office chooses, recorded and made a problem (未备案先行复工).
    problem_when_unfiled = models.BooleanField(
        _("record an unfiled resumption as a problem"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resumption rule")
        verbose_name_plural = _("resumption rules")

    def __str__(self) -> str:
        return str(self.region)


class EnterpriseLedger(models.Model):
    """一企一台账: one entry of an enterprise's epidemic-management ledger. An update adds an
    entry (the latest is current); the entries are its history and never change."""

    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="ledger")
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    staff_total = models.PositiveIntegerField(_("staff"))
    staff_screened = models.PositiveIntegerField(_("staff screened"))
    staff_isolated = models.PositiveIntegerField(_("staff under observation"), default=0)
    # [{"name": "口罩", "quantity": 5000, "unit": "只", "days": 7}], at most MAX_SUPPLIES.
    supplies = models.JSONField(_("supplies"), default=list, blank=True)
    plan = models.TextField(_("prevention plan"), max_length=LONG, blank=True, default="")
    responsible_person = models.CharField(_("person responsible"), max_length=NAME)
    responsible_phone = models.CharField(_("phone"), max_length=20, blank=True, default="")

    class Meta:
        verbose_name = _("epidemic-management ledger")
        verbose_name_plural = _("epidemic-management ledgers")
        ordering = ["enterprise", "-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff_screened__lte=F("staff_total")),
                name="ledger_screened_within_staff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} @ {self.recorded_at:%Y-%m-%d}"


class EnterpriseNeed(models.Model):
    """A need an enterprise reports (物资短缺, 用工, 物流): it becomes a problem of the loop,
    assigned to a department like any other."""

    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="needs")
    kind = models.CharField(_("kind"), max_length=12, choices=NeedKind.choices)
    text = models.TextField(_("need"), max_length=LONG)
    reported_at = models.DateTimeField(default=timezone.now)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    problem = models.OneToOneField(
        "problems.Problem", models.PROTECT, related_name="enterprise_need"
    )

    class Meta:
        verbose_name = _("enterprise need")
        verbose_name_plural = _("enterprise needs")
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.enterprise_id}"


class ResumptionEvent(ImmutableEvent):
    """One immutable row per action on an enterprise. The status events (file, resume, stop)
    carry `on`, the day the status took effect, which may lie before the day it was recorded."""

    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=EnterpriseAction.choices)
    on = models.DateField(null=True, blank=True)
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True, default="")
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("resumption event")
        verbose_name_plural = _("resumption events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["enterprise", "on"], name="resumption_event_on")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.enterprise_id}"
