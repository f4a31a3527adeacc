"""Badges of the daily cycle's pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from ducha.daily.choices import AgendaReason, ReportState, SummaryState

register = template.Library()

REPORT_CLASSES = {
    ReportState.DRAFT: "text-bg-secondary",
    ReportState.SUBMITTED: "text-bg-success",
    ReportState.RETURNED: "text-bg-warning",
}
SUMMARY_CLASSES = {SummaryState.DRAFT: "text-bg-secondary", SummaryState.FINAL: "text-bg-success"}
REASON_CLASSES: dict[str, str] = {
    AgendaReason.INSTRUCTION: "text-bg-primary",
    AgendaReason.DISPUTE: "text-bg-warning",
    AgendaReason.ESCALATED: "text-bg-info",
    AgendaReason.COMMON: "text-bg-dark",
    AgendaReason.OVERDUE: "text-bg-danger",
}


@register.simple_tag
def report_badge(report: Any) -> str:
    return format_html(
        '<span class="badge {}" data-report-state="{}">{}</span>',
        REPORT_CLASSES.get(report.state, "text-bg-light"),
        report.state,
        report.get_state_display(),
    )


@register.simple_tag
def summary_badge(summary: Any) -> str:
    return format_html(
        '<span class="badge {}" data-summary-state="{}">{}</span>',
        SUMMARY_CLASSES.get(summary.state, "text-bg-light"),
        summary.state,
        summary.get_state_display(),
    )


@register.simple_tag
def reason_badge(reason: str) -> str:
    label = AgendaReason(reason).label if reason in AgendaReason.values else reason
    return format_html(
        '<span class="badge {}" data-reason="{}">{}</span>',
        REASON_CLASSES.get(reason, "text-bg-light"),
        reason,
        label,
    )


@register.filter
def report_state_label(value: str) -> str:
    return str(ReportState(value).label) if value in ReportState.values else ""


@register.filter
def agenda_ticked(problem_id: int, ticked: set[int]) -> bool:
    return problem_id in ticked
