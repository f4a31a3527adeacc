"""States of the daily cycle's documents, what each role may do with them, the agenda's
reasons."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ducha.accounts.choices import OFFICE_ROLES, SUPERVISOR_ROLES, Role


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    # The office sent it back with a reason; the team corrects it and submits again.
    RETURNED = "returned", _("Returned for correction")


# The team may still write in these states.
REPORT_WRITABLE = (ReportState.DRAFT, ReportState.RETURNED)


class SummaryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Finalised")


class EventAction(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("daily-cycle event", "Drafted")
    REFRESH = "refresh", _("Numbers refreshed")
    EDIT = "edit", _("Edited")
    SUBMIT = "submit", _("Submitted")
    RETURN = "return", _("Returned for correction")
    FINALISE = "finalise", _("Finalised")


class DailyAction(models.TextChoices):
    VIEW = "view", _("View")
    EDIT_REPORT = "edit_report", _("Edit the team's report")
    SUBMIT_REPORT = "submit_report", _("Submit the team's report")
    RETURN_REPORT = "return_report", _("Return a report for correction")
    EDIT_SUMMARY = "edit_summary", _("Edit the summary")
    FINALISE_SUMMARY = "finalise_summary", _("Finalise the summary")
    VIEW_AGENDA = "view_agenda", _("Read the meeting agenda")
    DRAFT = "draft", _("Draft now")


# Who may take each action (within their jurisdiction; the querysets say where).
DAILY_ACTION_ROLES: dict[str, frozenset[str]] = {
    DailyAction.VIEW: OFFICE_ROLES | {Role.LEADER, Role.TEAM_MEMBER},
    DailyAction.EDIT_REPORT: frozenset({Role.TEAM_MEMBER}),
    DailyAction.SUBMIT_REPORT: frozenset({Role.TEAM_MEMBER}),
    DailyAction.RETURN_REPORT: OFFICE_ROLES,
    DailyAction.EDIT_SUMMARY: OFFICE_ROLES,
    DailyAction.FINALISE_SUMMARY: OFFICE_ROLES,
    DailyAction.VIEW_AGENDA: OFFICE_ROLES | {Role.LEADER},
    DailyAction.DRAFT: SUPERVISOR_ROLES,
}

# Roles that read the reports and summaries of a whole jurisdiction.
REGION_READERS = OFFICE_ROLES | {Role.LEADER}


class AgendaReason(models.TextChoices):
    """Why a problem is on the meeting's agenda; the order is the order of the agenda."""

    INSTRUCTION = "instruction", _("Leader's instruction not yet acted on")
    DISPUTE = "dispute", _("Dispute awaiting a decision")
    ESCALATED = "escalated", _("Escalated")
    COMMON = "common", _("Common problem")
    OVERDUE = "overdue", _("Overdue")
