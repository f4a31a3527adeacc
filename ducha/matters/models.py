"""Batches of matters a higher office hands down, each matter's handover to a lower office,
the problems the lower office breaks it down into, and the log of every action."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.events import ImmutableEvent
from ducha.core.text import LONG, TITLE
from ducha.matters.choices import HandoverState, MatterAction, SourceKind
from ducha.matters.querysets import HandoverQuerySet, MatterBatchQuerySet
from ducha.problems.models import Problem


class MatterBatch(models.Model):
    """督办事项 / 交办事项 (批次): one list of matters from one office, e.g. 第21批."""

    issuing_office = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="issued_batches", verbose_name=_("issuing office")
    )
    # Counted per issuing office and year by the system (第N批), never typed in.
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    source_kind = models.CharField(_("source"), max_length=16, choices=SourceKind.choices)
    source_text = models.TextField(_("source in detail"), max_length=LONG, blank=True, default="")
    issued_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=TITLE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = MatterBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch of matters")
        verbose_name_plural = _("batches of matters")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_office", "year", "number"], name="matter_batch_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Matter(models.Model):
    """督办事项: one item of a batch with its deadline."""

    batch = models.ForeignKey(MatterBatch, models.CASCADE, related_name="matters")
    position = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=TITLE)
    description = models.TextField(_("description"), max_length=LONG, blank=True, default="")
    deadline = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="matter_position_unique")
        ]

    def __str__(self) -> str:
        return self.title


class MatterHandover(models.Model):
    """One matter as one lower office holds it: signed, broken down, reported."""

    matter = models.ForeignKey(Matter, models.CASCADE, related_name="handovers")
    office = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="matter_handovers", verbose_name=_("office")
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=HandoverState.choices,
        default=HandoverState.HANDED_DOWN,
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    report_text = models.TextField(_("completion report"), max_length=LONG, blank=True, default="")
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    urged_count = models.PositiveIntegerField(default=0)
    # Moves on with every action: a caller holding an older one (a form, an If-Match) is
    # refused rather than acting on what it did not see (decision 0012).
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover of a matter")
        verbose_name_plural = _("handovers of matters")
        ordering = ["matter__position", "office__path"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "office"], name="matter_handover_unique")
        ]
        indexes = [models.Index(fields=["office", "state"], name="handover_office_state")]

    def __str__(self) -> str:
        return f"{self.matter} · {self.office}"


class MatterProblem(models.Model):
    """A problem the receiving office made of a matter for one of its units (the link lives
    here, so that the loop below knows nothing of matters)."""

    handover = models.ForeignKey(MatterHandover, models.CASCADE, related_name="links")
    problem = models.OneToOneField(Problem, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("problem of a matter")
        verbose_name_plural = _("problems of matters")

    def __str__(self) -> str:
        return f"{self.handover_id} → {self.problem_id}"


class MatterEvent(ImmutableEvent):
    """One immutable row per action on a batch or one of its handovers."""

    batch = models.ForeignKey(MatterBatch, models.PROTECT, related_name="events")
    handover = models.ForeignKey(
        MatterHandover, models.PROTECT, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=MatterAction.choices)
    from_state = models.CharField(
        max_length=16, choices=HandoverState.choices, blank=True, default=""
    )
    to_state = models.CharField(
        max_length=16, choices=HandoverState.choices, blank=True, default=""
    )
    comment = models.TextField(blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("matter event")
        verbose_name_plural = _("matter events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.batch_id}"
