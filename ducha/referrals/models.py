"""A referral (线索移交): a problem's or an inspection's facts handed by an office to a
discipline body (纪委监委) or the police (公安机关), the receiver's decision and outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.events import ImmutableEvent
from ducha.core.text import LONG
from ducha.orgs.models import RegionLevels
from ducha.referrals.choices import ReferralAction, ReferralState
from ducha.referrals.querysets import ReferralQuerySet


class Referral(RegionLevels):
    # Exactly one source: a problem or an inspection (constraint below).
    problem = models.ForeignKey(
        "problems.Problem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("problem"),
    )
    inspection = models.ForeignKey(
        "fieldwork.Inspection",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspection"),
    )
    # The source's region; its level columns (RegionLevels) scope the referral.
    region = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("region")
    )
    referring_office = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="referrals_made", verbose_name=_("referred by")
    )
    receiver = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="referrals_received", verbose_name=_("referred to")
    )
    facts = models.TextField(_("facts"), max_length=LONG)
    evidence = models.ManyToManyField(
        "fieldwork.Evidence", blank=True, related_name="+", verbose_name=_("evidence")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ReferralState.choices, default=ReferralState.REFERRED
    )
    referred_at = models.DateTimeField(_("referred at"), default=timezone.now, db_index=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    # The receiver's decision (accept or decline) with its reasons.
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("reasons"), max_length=LONG, blank=True, default="")
    # The outcome, dated as the receiver decided it (never before the referral).
    outcome = models.TextField(_("outcome"), max_length=LONG, blank=True, default="")
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Moves on with every action (decision 0012).
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(problem__isnull=False, inspection__isnull=True)
                | Q(problem__isnull=True, inspection__isnull=False),
                name="referral_one_source",
            )
        ]
        indexes = [models.Index(fields=["receiver", "state"], name="referral_receiver_state")]

    def __str__(self) -> str:
        return f"{self.referring_office} → {self.receiver} · {self.referred_at:%Y-%m-%d}"


class ReferralEvent(ImmutableEvent):
    """One immutable row per action on a referral."""

    referral = models.ForeignKey(Referral, models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=ReferralAction.choices)
    from_state = models.CharField(
        max_length=16, choices=ReferralState.choices, blank=True, default=""
    )
    to_state = models.CharField(max_length=16, choices=ReferralState.choices)
    comment = models.TextField(blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.referral_id}"
