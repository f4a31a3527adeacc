"""In-app notifications: one row per recipient and thing that happened."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.notices.choices import NotificationKind


class Notification(models.Model):
    """通知: tells one user what happened, by whom, and what to do next.

    The text is written when the notification is made, in the recipient's language, so that
    it reads the same in the inbox and in every channel it is delivered by. `source_key` names
    what it was made from (e.g. ``problem-event:123``): made twice, it is stored once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what happened"), max_length=2000)
    next_step = models.CharField(_("what to do next"), max_length=300, blank=True, default="")
    # A path inside Ducha (never an outside address): the object the notification is about.
    url = models.CharField(_("link"), max_length=300, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What it is about, for scoping and grouping: ("problem", 12), ("matter", 3) …
    subject_type = models.CharField(max_length=32, blank=True, default="")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_key = models.CharField(max_length=100)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "source_key"], name="notification_once_per_source"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class HandledSource(models.Model):
    """A thing that happened (a problem's event …) whose notifications are made.

    Written in the same transaction as the notifications, so the sweep that catches up on
    what a dead worker or a lost message left undone finds exactly what is still to do: a
    row here means done, its absence means "make them" (docs/notifications.md).
    """

    source = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    handled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="handled_source_once")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id}"
