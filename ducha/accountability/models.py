"""Accountability records (问责) and commendations (表扬、先进、树立典型) of people and units.

A person need not be a user: a record names them (name, post, organisation). Names are
personal and sensitive: who may read them, and the trail of every opening, are the app's
rule-book (docs/accountability.md); everyone else who may see the jurisdiction sees counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.accountability.choices import (
    BuiltinKind,
    CommendationKind,
    RecordAction,
    RecordState,
    SubjectKind,
)
from ducha.accountability.querysets import AccountabilityQuerySet, CommendationQuerySet
from ducha.core.crypto import EncryptedCharField
from ducha.core.events import ImmutableEvent
from ducha.core.text import LONG, NAME, TITLE
from ducha.orgs.models import RegionLevels


class AccountabilityKind(models.Model):
    """A kind of accountability: the built-in ones (`code` from `BuiltinKind`, no office)
    and those an office adds for its jurisdiction (no code)."""

    code = models.CharField(max_length=32, blank=True, default="", editable=False)
    name = models.CharField(_("name"), max_length=NAME)
    office = models.ForeignKey(
        "orgs.Org",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("kind of accountability")
        verbose_name_plural = _("kinds of accountability")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="accountability_kind_code_unique"
            ),
            models.UniqueConstraint(fields=["office", "name"], name="accountability_kind_name"),
        ]

    def __str__(self) -> str:
        # A built-in kind is named in the reader's language; an office's own as it typed it.
        return str(BuiltinKind(self.code).label) if self.code else self.name


class PersonalRecord(RegionLevels):
    """Abstract: about one person or one unit, in one jurisdiction (`region`)."""

    subject_kind = models.CharField(_("about"), max_length=8, choices=SubjectKind.choices)
    # Personal data: stored under SM4 (docs/security.md), so never filtered or ordered on.
    person_name = EncryptedCharField(_("name"), max_length=NAME, blank=True, default="")
    person_post = models.CharField(_("post"), max_length=TITLE, blank=True, default="")
    # The person's organisation, or the unit the record is about.
    org = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    # The jurisdiction whose discipline body, leaders and office read the names.
    region = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("region")
    )
    # The office or discipline body that keeps the record.
    keeper = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("kept by")
    )
    reason = models.TextField(_("facts and reasons"), max_length=LONG)
    problems = models.ManyToManyField(
        "problems.Problem", blank=True, related_name="+", verbose_name=_("problems")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=RecordState.choices, default=RecordState.PROPOSED
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True


class Accountability(PersonalRecord):
    """问责: one measure (约谈, 通报批评, 停职 …) about one person or unit."""

    kind = models.ForeignKey(AccountabilityKind, models.PROTECT, verbose_name=_("kind"))
    referrals = models.ManyToManyField(
        "referrals.Referral", blank=True, related_name="+", verbose_name=_("referrals")
    )
    carried_out_on = models.DateField(_("carried out on"), null=True, blank=True)

    objects = AccountabilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["region", "state", "decided_on"], name="accountability_region")
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.person_name or self.org}"

    @property
    def kind_label(self) -> str:
        return str(self.kind)


class Commendation(PersonalRecord):
    """表扬 / 先进集体 / 先进个人 / 树立典型 of one unit or person."""

    kind = models.CharField(_("kind"), max_length=16, choices=CommendationKind.choices)
    inspections = models.ManyToManyField(
        "fieldwork.Inspection", blank=True, related_name="+", verbose_name=_("inspections")
    )

    objects = CommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["region", "state", "decided_on"], name="commendation_region")
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} · {self.person_name or self.org}"

    @property
    def kind_label(self) -> str:
        if self.kind == CommendationKind.ADVANCED:
            # 先进集体 for a unit, 先进个人 for a person.
            if self.subject_kind == SubjectKind.UNIT:
                return str(_("Advanced collective"))
            return str(_("Advanced individual"))
        return str(self.get_kind_display())


class RecordEvent(ImmutableEvent):
    """One immutable row per action on an accountability record or a commendation."""

    accountability = models.ForeignKey(
        Accountability, models.PROTECT, null=True, blank=True, related_name="events"
    )
    commendation = models.ForeignKey(
        Commendation, models.PROTECT, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=RecordAction.choices)
    from_state = models.CharField(max_length=16, choices=RecordState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=RecordState.choices)
    comment = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("accountability event")
        verbose_name_plural = _("accountability events")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accountability__isnull=False, commendation__isnull=True)
                | Q(accountability__isnull=True, commendation__isnull=False),
                name="record_event_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.accountability_id or self.commendation_id}"
