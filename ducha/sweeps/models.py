"""A sweep (举一反三 / 由点及面): one problem turned into a self-check by every unit concerned,
with a prompt letter to each, and the problems the answers bring, linked to the original."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.events import ImmutableEvent
from ducha.core.text import LONG, TITLE
from ducha.orgs.models import RegionLevels
from ducha.sweeps.choices import CheckState, SweepAction
from ducha.sweeps.querysets import SelfCheckQuerySet, SweepQuerySet


class Sweep(RegionLevels):
    origin = models.ForeignKey(
        "problems.Problem", models.PROTECT, related_name="+", verbose_name=_("original problem")
    )
    office = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="sweeps", verbose_name=_("launched by office")
    )
    # The office's region; its level columns (RegionLevels) scope the sweep.
    region = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("region")
    )
    focus_area = models.ForeignKey(
        "problems.FocusArea", models.PROTECT, related_name="+", verbose_name=_("focus area")
    )
    title = models.CharField(_("title"), max_length=TITLE)
    check_text = models.TextField(_("what to check"), max_length=LONG)
    launched_at = models.DateTimeField(_("launched at"), default=timezone.now, db_index=True)
    launched_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = SweepQuerySet.as_manager()

    class Meta:
        verbose_name = _("sweep")
        verbose_name_plural = _("sweeps")
        ordering = ["-launched_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class SelfCheck(models.Model):
    """自查: one unit's check against the sweep (at one site, when the sweep chose sites)."""

    sweep = models.ForeignKey(Sweep, models.PROTECT, related_name="checks")
    unit = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="self_checks", verbose_name=_("unit")
    )
    site = models.ForeignKey(
        "orgs.Site",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    # The prompt letter (提示函) the unit received; one per unit and sweep.
    document = models.ForeignKey(
        "documents.Document",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prompt letter"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=CheckState.choices, default=CheckState.WAITING
    )
    note = models.TextField(_("note"), max_length=LONG, blank=True, default="")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = SelfCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-check")
        verbose_name_plural = _("self-checks")
        ordering = ["sweep", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sweep", "unit"], condition=Q(site__isnull=True), name="self_check_unit"
            ),
            models.UniqueConstraint(
                fields=["sweep", "unit", "site"],
                condition=Q(site__isnull=False),
                name="self_check_unit_site",
            ),
        ]
        indexes = [models.Index(fields=["unit", "state"], name="self_check_unit_state")]

    def __str__(self) -> str:
        return f"{self.sweep} · {self.unit}"


class SweepProblem(models.Model):
    """A problem a self-check brought, linked to its sweep and to the original problem."""

    sweep = models.ForeignKey(Sweep, models.PROTECT, related_name="found")
    self_check = models.ForeignKey(SelfCheck, models.PROTECT, related_name="found")
    problem = models.OneToOneField(
        "problems.Problem", models.PROTECT, related_name="+", verbose_name=_("problem")
    )
    origin = models.ForeignKey(
        "problems.Problem", models.PROTECT, related_name="+", verbose_name=_("original problem")
    )

    class Meta:
        verbose_name = _("problem found by a sweep")
        verbose_name_plural = _("problems found by sweeps")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.sweep} · {self.problem_id}"


class SweepEvent(ImmutableEvent):
    """One immutable row per action on a sweep."""

    sweep = models.ForeignKey(Sweep, models.PROTECT, related_name="events")
    self_check = models.ForeignKey(
        SelfCheck, models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=SweepAction.choices)
    comment = models.TextField(blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("sweep event")
        verbose_name_plural = _("sweep events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.sweep_id}"
