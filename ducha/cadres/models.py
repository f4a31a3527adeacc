"""Observations of named cadres seen at work in the field (干部考察识别), the organisation
department's lists of candidates for use and for accountability, and the log of every
action (docs/cadres.md).

A cadre need not be a user: a record names them (name, post, organisation). The region the
cadre's organisation belongs to scopes the record to the organisation department above it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.cadres.choices import CadreAction, CandidateList, CandidateState, Verdict
from ducha.cadres.querysets import CandidateQuerySet, ObservationQuerySet
from ducha.core.crypto import EncryptedCharField
from ducha.core.events import ImmutableEvent
from ducha.core.text import LONG, NAME, TITLE
from ducha.orgs.models import RegionLevels


class CadreObservation(RegionLevels):
    """One observation of one cadre: outstanding or failing, with the facts behind it."""

    # Personal data: stored under SM4 (docs/security.md), so never filtered or ordered on.
    person_name = EncryptedCharField(_("name"), max_length=NAME)
    person_post = models.CharField(_("post"), max_length=TITLE)
    org = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    # The region of the cadre's organisation: whose organisation department reads it.
    region = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("region")
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    facts = models.TextField(_("facts"), max_length=LONG)
    evidence = models.TextField(_("evidence"), max_length=LONG, blank=True, default="")
    problems = models.ManyToManyField(
        "problems.Problem", blank=True, related_name="+", verbose_name=_("problems")
    )
    inspections = models.ManyToManyField(
        "fieldwork.Inspection", blank=True, related_name="+", verbose_name=_("inspections")
    )
    # Empty when the organisation department observed the cadre itself, without a team.
    team = models.ForeignKey(
        "orgs.Team",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    observed_on = models.DateField(_("observed on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation of a cadre")
        verbose_name_plural = _("observations of cadres")
        ordering = ["-observed_on", "-pk"]
        indexes = [models.Index(fields=["region", "verdict"], name="cadre_observation_region")]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.get_verdict_display()}"


class CadreCandidate(RegionLevels):
    """One cadre on one of the organisation department's lists, and what became of them."""

    list_kind = models.CharField(_("list"), max_length=16, choices=CandidateList.choices)
    # Personal data: stored under SM4 (docs/security.md), so never filtered or ordered on.
    person_name = EncryptedCharField(_("name"), max_length=NAME)
    person_post = models.CharField(_("post"), max_length=TITLE)
    org = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    region = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("region")
    )
    observations = models.ManyToManyField(
        CadreObservation, related_name="candidates", verbose_name=_("observations")
    )
    reasons = models.TextField(_("reasons"), max_length=LONG)
    state = models.CharField(
        _("state"), max_length=16, choices=CandidateState.choices, default=CandidateState.LISTED
    )
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    listed_at = models.DateTimeField(_("listed at"), default=timezone.now)
    # Who took the cadre up or off the list, and when.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate cadre")
        verbose_name_plural = _("candidate cadres")
        ordering = ["-listed_at", "-pk"]
        indexes = [
            models.Index(fields=["region", "list_kind", "state"], name="cadre_candidate_region")
        ]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.get_list_kind_display()}"


class CadreEvent(ImmutableEvent):
    """One immutable row per action on an observation or a candidate."""

    observation = models.ForeignKey(
        CadreObservation, models.PROTECT, null=True, blank=True, related_name="events"
    )
    candidate = models.ForeignKey(
        CadreCandidate, models.PROTECT, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=CadreAction.choices)
    from_state = models.CharField(
        max_length=16, choices=CandidateState.choices, blank=True, default=""
    )
    to_state = models.CharField(
        max_length=16, choices=CandidateState.choices, blank=True, default=""
    )
    comment = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("cadre event")
        verbose_name_plural = _("cadre events")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(observation__isnull=False, candidate__isnull=True)
                | Q(observation__isnull=True, candidate__isnull=False),
                name="cadre_event_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.observation_id or self.candidate_id}"
