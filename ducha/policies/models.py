"""政策措施: a command HQ's measure answering a kind of common problem, the problems it
answers, and its immutable log (docs/policies.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.events import ImmutableEvent
from ducha.core.text import LINE, LONG, TITLE
from ducha.policies.choices import PolicyAction
from ducha.policies.querysets import PolicyQuerySet


class Policy(models.Model):
    title = models.CharField(_("title"), max_length=TITLE)
    text = models.TextField(_("text"), max_length=LONG)
    issuing_body = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("issuing body")
    )
    issued_on = models.DateField(_("date issued"))
    # 文号, as printed on the issued document (漯防指〔2020〕12号).
    reference = models.CharField(_("document reference"), max_length=LINE, blank=True, default="")
    # The kind it answers: every problem it is linked to is of this focus area.
    focus_area = models.ForeignKey(
        "problems.FocusArea", models.PROTECT, related_name="+", verbose_name=_("focus area")
    )
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # Moves on with every action (decision 0012).
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def rule(self) -> str:
        """The lasting rule each linked problem takes: the measure as issued."""
        head = f"{self.title}（{self.reference}）" if self.reference else self.title
        return f"{head}\n{self.text}"

    @property
    def document(self) -> PolicyDocument | None:
        """The issued document's file as last attached (an earlier one is kept, not shown)."""
        return self.documents.order_by("-pk").first()


class PolicyProblem(models.Model):
    """A problem answered by a policy. A problem takes one policy's rule, once (unique)."""

    policy = models.ForeignKey(Policy, models.PROTECT, related_name="links")
    problem = models.OneToOneField(
        "problems.Problem", models.PROTECT, related_name="+", verbose_name=_("problem")
    )
    linked_at = models.DateTimeField(default=timezone.now)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("problem answered by a policy")
        verbose_name_plural = _("problems answered by policies")
        ordering = ["linked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.policy_id} · {self.problem_id}"


def document_path(instance: PolicyDocument, filename: str) -> str:
    # Stored under its hash with our own extension: the sender's file name never reaches the disk.
    return f"policies/{instance.created_at:%Y/%m}/{instance.sha256}{instance.extension}"


class PolicyDocument(ImmutableEvent):
    """The issued document's file (PDF or Word), as the command HQ attached it. A record like
    the policy's events: a replacement is a new row, and the one it replaced stays."""

    policy = models.ForeignKey(Policy, models.PROTECT, related_name="documents")
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("attached at"), default=timezone.now)

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class PolicyEvent(ImmutableEvent):
    """One immutable row per action on a policy; each linked problem has its own event too."""

    policy = models.ForeignKey(Policy, models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=PolicyAction.choices)
    comment = models.TextField(blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("policy event")
        verbose_name_plural = _("policy events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.policy_id}"
