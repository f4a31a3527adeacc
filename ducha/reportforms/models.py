"""报表精简 (form consolidation): the register of the statistics forms departments demand
from towns, villages and communities, their items, the office's decision on each form, and
the collection forms (一表通) the grassroots fill once for every department
(docs/reportforms.md).

A form merged into another is filled with it: the kept form's collection holds the items of
every form merged into it, matched by `FormItem.key`; each department reads its own form's
items out of the returns (its department view), in its old layout.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.events import ImmutableEvent
from ducha.core.text import LINE, LONG, NAME, TITLE
from ducha.orgs.choices import RegionLevel
from ducha.orgs.models import RegionLevels
from ducha.reportforms.choices import Decision, FormAction, Frequency, ItemKind
from ducha.reportforms.querysets import FormReturnQuerySet, ReportFormQuerySet


class ReportForm(RegionLevels):
    """报表: one statistics form a department demands from the grassroots of a jurisdiction.
    The level columns (RegionLevels) are `region`'s: the jurisdiction whose towns, villages
    or communities fill it, and whose office keeps the register and decides."""

    region = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=TITLE)
    department = models.ForeignKey(
        "orgs.Org",
        models.PROTECT,
        related_name="report_forms",
        verbose_name=_("requesting department"),
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    # Who fills it: villages and communities, or towns and streets.
    filled_by = models.PositiveSmallIntegerField(
        _("filled by"), choices=RegionLevel.choices, default=RegionLevel.VILLAGE
    )
    # The estimated minutes to fill it once (the burden before and after).
    minutes = models.PositiveSmallIntegerField(_("minutes to fill"))
    decision = models.CharField(
        _("decision"), max_length=8, choices=Decision.choices, default=Decision.PENDING
    )
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    decision_reason = models.CharField(_("reason"), max_length=LINE, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ReportFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        ordering = ["region", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="report_form_number_once"),
            models.CheckConstraint(
                condition=Q(decision=Decision.MERGE, merged_into__isnull=False)
                | (~Q(decision=Decision.MERGE) & Q(merged_into__isnull=True)),
                name="report_form_merged_names_its_target",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="report_form_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FormItem(models.Model):
    """One item (field) of a form. Items of different forms with the same `key` are the same
    figure: what the analyser counts as requested twice, and what a merge fills once."""

    form = models.ForeignKey(ReportForm, models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("item"), max_length=NAME)
    key = models.CharField(_("key"), max_length=NAME)
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices)
    unit = models.CharField(_("unit"), max_length=20, blank=True, default="")
    required = models.BooleanField(_("required"), default=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_length = models.PositiveSmallIntegerField(_("longest text"), null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # A figure the platform already holds (problems, inspections, the enterprise ledger):
    # `ducha.reportforms.shared` names them. Blank: only the grassroots know it.
    shared_figure = models.CharField(_("shared figure"), max_length=40, blank=True, default="")

    class Meta:
        verbose_name = _("form item")
        verbose_name_plural = _("form items")
        ordering = ["form", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="form_item_key_once"),
            models.UniqueConstraint(fields=["form", "position"], name="form_item_position_once"),
        ]

    def __str__(self) -> str:
        return self.label


class FormReturn(RegionLevels):
    """填报: one filling of a kept form's collection by a village, community, town or street
    for one period (the day, or the first day of the week or month). The level columns are
    `region`'s: the place the answers are about."""

    form = models.ForeignKey(ReportForm, models.PROTECT, related_name="returns")
    region = models.ForeignKey("orgs.Org", models.PROTECT, related_name="+")
    # The committee or office whose handler filled it.
    org = models.ForeignKey("orgs.Org", models.PROTECT, related_name="+")
    period = models.DateField(_("period"))
    # {item key: value}, checked against the collection's items.
    values = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = FormReturnQuerySet.as_manager()

    class Meta:
        verbose_name = _("form return")
        verbose_name_plural = _("form returns")
        ordering = ["-period", "region", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "region", "period"], name="form_return_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id} · {self.region_id} · {self.period}"


class ReportFormEvent(ImmutableEvent):
    """One immutable row per action on a form or on a return of it."""

    form = models.ForeignKey(ReportForm, models.PROTECT, related_name="events")
    form_return = models.ForeignKey(
        FormReturn, models.PROTECT, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=12, choices=FormAction.choices)
    from_decision = models.CharField(max_length=8, choices=Decision.choices, blank=True, default="")
    to_decision = models.CharField(max_length=8, choices=Decision.choices, blank=True, default="")
    comment = models.TextField(blank=True, default="", max_length=LONG)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("report form event")
        verbose_name_plural = _("report form events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.form_id}"
