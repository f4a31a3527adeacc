"""The daily cycle: each team's daily report (日报告), the office's summary (日汇总), and the
immutable log of what was done to them.

Numbers are never typed: they are computed from the day's inspections and problems when a
document is drafted, refreshed, submitted or finalised (`ducha.daily.figures`), and kept with
the document so that a submitted report says what it said when it was sent.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.events import ImmutableEvent
from ducha.daily.choices import EventAction, ReportState, SummaryState
from ducha.daily.querysets import ReportQuerySet, SummaryQuerySet

# The numbers of a team's day, in the order the pages show them.
FIGURE_FIELDS = (
    "inspections",
    "sites_visited",
    "open_visits",
    "unannounced_visits",
    "revisit_visits",
    "stationed_visits",
    "questions_checked",
    "questions_failed",
    "problems_found",
    "urgent_problems",
    "common_problems",
    "fixed_on_spot",
    "revisits_done",
    "revisits_failed",
    "turned_red",
)
# The jurisdiction's own numbers, which only a summary has.
REGION_FIGURE_FIELDS = (
    "teams",
    "reports_submitted",
    "found_in_region",
    "closed_in_region",
    "overdue_in_region",
    "cumulative_found",
    "cumulative_rectified",
)


def _count(label: Any) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0, editable=False)


class DayFigures(models.Model):
    """Abstract: what a team (or all teams of a jurisdiction) did on one day."""

    inspections = _count(_("inspections made"))
    sites_visited = _count(_("sites visited"))
    open_visits = _count(_("open inspections"))
    unannounced_visits = _count(_("unannounced visits"))
    revisit_visits = _count(_("revisit inspections"))
    stationed_visits = _count(_("stationed supervision"))
    questions_checked = _count(_("checklist questions answered"))
    questions_failed = _count(_("checklist questions failed"))
    problems_found = _count(_("problems found"))
    urgent_problems = _count(_("urgent problems"))
    common_problems = _count(_("common problems"))
    fixed_on_spot = _count(_("rectified on the spot"))
    revisits_done = _count(_("revisits recorded"))
    revisits_failed = _count(_("revisits that found the problem back"))
    turned_red = _count(_("open problems that turned red"))
    # When the numbers were computed; a document states the data of that moment.
    figures_at = models.DateTimeField(_("numbers as of"), editable=False)
    # Ids behind the numbers (inspections, problems …), so the page can list them.
    details = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def figures(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIGURE_FIELDS}


class DailyReport(DayFigures):
    """日报告: one team's day, drafted from the data, written up and submitted by the team."""

    team = models.ForeignKey(
        "orgs.Team", models.PROTECT, related_name="daily_reports", verbose_name=_("team")
    )
    day = models.DateField(_("day"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ReportState.choices,
        default=ReportState.DRAFT,
        editable=False,
    )
    work = models.TextField(_("work done"), blank=True, default="")
    cases = models.TextField(_("notable cases"), blank=True, default="")
    difficulties = models.TextField(_("difficulties and suggestions"), blank=True, default="")
    return_reason = models.TextField(_("reason for returning"), blank=True, default="")
    drafted_at = models.DateTimeField(_("drafted at"), default=timezone.now, editable=False)
    # Set by the team's first edit: from then on the drafting job leaves the report alone.
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-day", "team__name", "pk"]
        indexes = [models.Index(fields=["day", "state"], name="daily_report_day_state")]
        constraints = [
            models.UniqueConstraint(fields=["team", "day"], name="daily_report_once_per_team_day"),
            models.CheckConstraint(
                condition=models.Q(state__in=ReportState.values), name="daily_report_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(state=ReportState.DRAFT, submitted_at__isnull=True)
                | (~models.Q(state=ReportState.DRAFT) & models.Q(submitted_at__isnull=False)),
                name="daily_report_submitted_at_once_sent",
            ),
            models.CheckConstraint(
                condition=(models.Q(state=ReportState.RETURNED) & ~models.Q(return_reason=""))
                | (~models.Q(state=ReportState.RETURNED) & models.Q(return_reason="")),
                name="daily_report_returned_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.day}"

    @property
    def is_writable(self) -> bool:
        return self.state != ReportState.SUBMITTED


class DailySummary(DayFigures):
    """日汇总: an office's roll-up of every team of its jurisdiction for one day."""

    office = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="daily_summaries", verbose_name=_("office")
    )
    day = models.DateField(_("day"))
    state = models.CharField(
        _("state"),
        max_length=8,
        choices=SummaryState.choices,
        default=SummaryState.DRAFT,
        editable=False,
    )
    teams = _count(_("teams in the jurisdiction"))
    reports_submitted = _count(_("reports submitted"))
    found_in_region = _count(_("problems found in the jurisdiction"))
    closed_in_region = _count(_("problems closed in the jurisdiction"))
    overdue_in_region = _count(_("overdue problems in the jurisdiction"))
    cumulative_found = _count(_("problems found in all"))
    cumulative_rectified = _count(_("problems rectified in all"))
    overview = models.TextField(_("general situation"), blank=True, default="")
    cases = models.TextField(_("notable cases"), blank=True, default="")
    decisions = models.TextField(_("items for decision"), blank=True, default="")
    # The team reports rolled up when the numbers were last computed.
    reports = models.ManyToManyField(DailyReport, blank=True, related_name="summaries")
    drafted_at = models.DateTimeField(_("drafted at"), default=timezone.now, editable=False)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True, editable=False)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily summary")
        verbose_name_plural = _("daily summaries")
        ordering = ["-day", "office__path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day"], name="daily_summary_once_per_office_day"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=SummaryState.values),
                name="daily_summary_state_known",
            ),
            models.CheckConstraint(
                condition=models.Q(state=SummaryState.FINAL, finalised_at__isnull=False)
                | (~models.Q(state=SummaryState.FINAL) & models.Q(finalised_at__isnull=True)),
                name="daily_summary_finalised_at_iff_final",
            ),
            models.CheckConstraint(
                condition=models.Q(cumulative_rectified__lte=models.F("cumulative_found")),
                name="daily_summary_rectified_within_found",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} · {self.day}"

    @property
    def is_writable(self) -> bool:
        return self.state == SummaryState.DRAFT

    def region_figures(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in REGION_FIGURE_FIELDS}


class DailyEvent(ImmutableEvent):
    """One immutable row per action on a report or a summary."""

    # Empty when the scheduled drafting job acted, not a person.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=12, choices=EventAction.choices)
    report = models.ForeignKey(
        DailyReport, models.PROTECT, null=True, blank=True, related_name="events"
    )
    summary = models.ForeignKey(
        DailySummary, models.PROTECT, null=True, blank=True, related_name="events"
    )
    from_state = models.CharField(max_length=12, blank=True, default="")
    to_state = models.CharField(max_length=12)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("daily-cycle event")
        verbose_name_plural = _("daily-cycle events")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False, summary__isnull=True)
                | models.Q(report__isnull=True, summary__isnull=False),
                name="daily_event_about_one_document",
            ),
        ]

    def __str__(self) -> str:
        return self.action
