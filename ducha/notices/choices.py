from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification tells its recipient about (docs/notifications.md)."""

    ASSIGNED = "assigned", _("Assigned to your unit")
    SIGNED = "signed", _("Signed for")
    NOT_SIGNED = "not_signed", _("Not yet signed for")
    URGED = "urged", _("Urged")
    INSTRUCTED = "instructed", _("Instruction")
    RECTIFICATION_SUBMITTED = "rectification_submitted", _("Rectification to verify")
    REJECTED = "rejected", _("Rectification rejected")
    DISPUTED = "disputed", _("Assignment disputed")
    DISPUTE_DECIDED = "dispute_decided", _("Dispute decided")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided")
    YELLOW = "yellow", _("Deadline near")
    OVERDUE = "overdue", _("Overdue")
    ESCALATED = "escalated", _("Escalated")
    TASK_ASSIGNED = "task_assigned", _("Task for tomorrow")
    DAILY_REPORT_DUE = "daily_report_due", _("Daily report due")
    MATTER_HANDED_DOWN = "matter_handed_down", _("Matters handed down")
    MATTER_REPORTED = "matter_reported", _("Matter reported")
    MATTER_URGED = "matter_urged", _("Matter urged")
    REFERRAL_RECEIVED = "referral_received", _("Referral received")
    REFERRAL_DECIDED = "referral_decided", _("Referral decided")
    REFERRAL_CONCLUDED = "referral_concluded", _("Referral concluded")
    SUGGESTION_MADE = "suggestion_made", _("Suggestion to answer")
    SUGGESTION_ANSWERED = "suggestion_answered", _("Suggestion answered")
