"""Presentation helpers of the reporting pages: the tabs a role needs."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import LOOP_ROLES, OFFICE_ROLES, Role
from ducha.core.scope import roles_of

register = template.Library()

# (url name, label, roles that use the page); the order is the order of the tabs.
REPORT_NAV = [
    ("reports:dashboard", _("Dashboard"), LOOP_ROLES),
    ("daily:home", _("Daily cycle"), OFFICE_ROLES | {Role.TEAM_MEMBER, Role.LEADER}),
    ("documents:list", _("Documents"), LOOP_ROLES),
]


@register.simple_tag
def report_nav(user: Any) -> list[tuple[str, Any]]:
    """The reporting tabs the user's roles use."""
    roles = roles_of(user)
    tabs = []
    for name, label, wanted in REPORT_NAV:
        if not roles & wanted:
            continue
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        tabs.append((name, label))
    return tabs


def _name_cell(line: Any) -> SafeString:
    href = line.link or line.list_link
    if href:
        return format_html('<a href="{}">{}</a>', href, line.name)
    return format_html("{}", line.name)


def _figures_row(line: Any, kind: str) -> SafeString:
    counts = line.counts
    found = (
        format_html('<a href="{}">{}</a>', line.list_link, counts.found)
        if line.list_link
        else str(counts.found)
    )
    average = counts.average_hours
    return format_html(
        '<tr data-{}="{}"><th scope="row" class="fw-normal">{}</th>'
        '<td class="text-end" data-figure="found">{}</td>'
        '<td class="text-end" data-figure="rectified">{}</td>'
        '<td class="text-end" data-figure="rate">{}%</td>'
        '<td class="text-end" data-figure="open">{}</td>'
        '<td class="text-end{}" data-figure="overdue">{}</td>'
        '<td class="text-end" data-figure="average-hours">{}</td></tr>',
        kind,
        line.key,
        _name_cell(line),
        found,
        counts.closed,
        counts.rate,
        counts.open,
        " text-danger fw-semibold" if counts.red else "",
        counts.red,
        "—" if average is None else average,
    )


@register.simple_tag
def figure_rows(lines: list[Any], kind: str, extra: Any = None) -> SafeString:
    """The lines of a breakdown table. Built here, not in a template loop: a country's
    dashboard has hundreds of cells, and the page must stay fast."""
    rows = [*lines, *([extra] if extra else [])]
    return format_html_join("", "{}", ((_figures_row(line, kind),) for line in rows))


@register.simple_tag
def repeat_rows(lines: list[Any], kind: str) -> SafeString:
    return format_html_join(
        "",
        '<tr data-{}="{}"><th scope="row" class="fw-normal">{}</th>'
        '<td class="text-end" data-figure="recurrences">{}</td>'
        '<td class="text-end" data-figure="found">{}</td></tr>',
        (
            (kind, line.key, _name_cell(line), line.counts.recurrences, line.counts.found)
            for line in lines
        ),
    )


@register.simple_tag
def trend_rows(days: list[Any]) -> SafeString:
    """Newest first, as a table of days is read."""
    return format_html_join(
        "",
        '<tr data-day="{}"><td>{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td></tr>',
        ((d.day.isoformat(), d.day.isoformat(), d.found, d.closed) for d in reversed(days)),
    )
