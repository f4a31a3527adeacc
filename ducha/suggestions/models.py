"""Suggestions (意见建议) a team or an office makes to a unit, an office or a command HQ, the
receiver's response, the lasting rules that cite them, and the log of every action."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.events import ImmutableEvent
from ducha.core.text import LONG, TITLE
from ducha.orgs.models import RegionLevels
from ducha.suggestions.choices import SuggestionAction, SuggestionState
from ducha.suggestions.querysets import SuggestionQuerySet


class Suggestion(RegionLevels):
    """意见建议: one suggestion from its sender to its receiver. The level columns
    (RegionLevels) are the receiver's region's: figures of a jurisdiction count what was
    addressed inside it."""

    # The office that sends it: an office's own, or the office that dispatched the team.
    sender = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="suggestions_made", verbose_name=_("from")
    )
    team = models.ForeignKey(
        "orgs.Team",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("team"),
    )
    receiver = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="suggestions_received", verbose_name=_("to")
    )
    region = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("region")
    )
    title = models.CharField(_("title"), max_length=TITLE)
    text = models.TextField(_("suggestion"), max_length=LONG)
    problems = models.ManyToManyField(
        "problems.Problem", blank=True, related_name="+", verbose_name=_("problems behind it")
    )
    made_at = models.DateTimeField(_("made at"), default=timezone.now, db_index=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=16, choices=SuggestionState.choices, default=SuggestionState.MADE
    )
    response = models.TextField(_("response"), max_length=LONG, blank=True, default="")
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Moves on with every action (decision 0012).
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-made_at", "-pk"]
        indexes = [
            models.Index(fields=["receiver", "state"], name="suggestion_receiver_state"),
            models.Index(fields=["sender", "state"], name="suggestion_sender_state"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def sender_name(self) -> str:
        return self.team.name if self.team_id and self.team else self.sender.name


class SuggestionRule(models.Model):
    """A common problem's lasting rule (建) names the suggestion it came from. The link lives
    here, so that the loop below knows nothing of suggestions."""

    suggestion = models.ForeignKey(Suggestion, models.PROTECT, related_name="rules")
    problem = models.ForeignKey("problems.Problem", models.PROTECT, related_name="+")
    cited_at = models.DateTimeField(default=timezone.now)
    cited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("lasting rule citing a suggestion")
        verbose_name_plural = _("lasting rules citing suggestions")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "problem"], name="suggestion_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} → {self.problem_id}"


class SuggestionEvent(ImmutableEvent):
    """One immutable row per action on a suggestion."""

    suggestion = models.ForeignKey(Suggestion, models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=SuggestionAction.choices)
    from_state = models.CharField(
        max_length=16, choices=SuggestionState.choices, blank=True, default=""
    )
    to_state = models.CharField(max_length=16, choices=SuggestionState.choices)
    comment = models.TextField(blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.suggestion_id}"
