"""Presentation helpers shared by the pages: lights, states, time left, event payloads."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ducha.accounts.choices import Role
from ducha.core.scope import grants_for
from ducha.core.search import TextQuery, highlight
from ducha.problems.choices import (
    ACTION_ROLES,
    Action,
    ChaseStepKind,
    DisputeDecision,
    ExtensionDecision,
    State,
    TrafficLight,
)

register = template.Library()

STATE_CLASSES = {
    State.NEW: "text-bg-primary",
    State.ASSIGNED: "text-bg-info",
    State.DISPUTED: "text-bg-warning",
    State.RECTIFIED: "text-bg-secondary",
    State.CLOSED: "text-bg-success",
}


@register.simple_tag
def light_badge(problem: Any) -> str:
    """The traffic light as colour plus words, so it reads without colour vision."""
    if problem.clock_paused:
        # The office has the dispute: neither the unit's light nor its overdue time.
        return format_html(
            '<span class="light light-paused" data-light="paused">{}</span>',
            _("Disputed: clock paused"),
        )
    light = problem.light
    if light is None:
        # Closed problems have no light; their state badge already says 已销号.
        return ""
    text = {
        TrafficLight.GREEN: _("Green: on time"),
        TrafficLight.YELLOW: _("Yellow: deadline near"),
        TrafficLight.RED: _("Red: overdue"),
    }[TrafficLight(light)]
    return format_html('<span class="light light-{}" data-light="{}">{}</span>', light, light, text)


@register.simple_tag
def state_badge(problem: Any) -> str:
    return format_html(
        '<span class="badge state {}" data-state="{}">{}</span>',
        STATE_CLASSES.get(problem.state, "text-bg-light"),
        problem.state,
        problem.get_state_display(),
    )


@register.simple_tag(takes_context=True)
def marked(context: Any, text: str) -> SafeString:
    """The text escaped, the words of the page's search (`query` of its context) marked."""
    query = context.get("query")
    return highlight(text, query if isinstance(query, TextQuery) else None)


@register.filter
def time_left(problem: Any) -> str:
    if not problem.is_open:
        return ""
    if problem.clock_paused:
        return _("clock paused while the office decides the dispute")
    now = timezone.now()
    if problem.deadline > now:
        return _("%(time)s left") % {"time": timeuntil(problem.deadline, now, depth=2)}
    return _("%(time)s overdue") % {"time": timesince(problem.deadline, now, depth=2)}


def _datetime_text(value: str) -> str:
    parsed: datetime | None = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        return str(value)
    return date_format(timezone.localtime(parsed), "Y-m-d H:i")


@register.simple_tag
def event_details(event: Any) -> list[tuple[str, str]]:
    """The payload of an event as labelled lines (unit, deadline, target …)."""
    payload = event.payload or {}
    lines: list[tuple[str, str]] = []
    if payload.get("responsible_org_name"):
        lines.append((_("Responsible unit"), payload["responsible_org_name"]))
    if payload.get("to_org_name"):
        lines.append((_("Reported to"), payload["to_org_name"]))
    if payload.get("decision") in DisputeDecision.values:
        lines.append((_("Decision"), str(DisputeDecision(payload["decision"]).label)))
    if payload.get("automatic") in ChaseStepKind.values:
        lines.append((_("Sent automatically"), str(ChaseStepKind(payload["automatic"]).label)))
    if payload.get("escalated_to_names"):
        lines.append(
            (
                _("Escalated to"),
                pgettext("list separator", ", ").join(
                    str(name) for name in payload["escalated_to_names"]
                ),
            )
        )
    if payload.get("document_reference"):
        lines.append((_("Urge notice"), payload["document_reference"]))
    if payload.get("light") in TrafficLight.values:
        lines.append((_("Light at the time"), str(TrafficLight(payload["light"]).label)))
    if payload.get("requested_deadline"):
        lines.append((_("Deadline asked for"), _datetime_text(payload["requested_deadline"])))
    if event.action == Action.DECIDE_EXTENSION and "approved" in payload:
        decision = ExtensionDecision.APPROVE if payload["approved"] else ExtensionDecision.REFUSE
        lines.append((_("Decision"), str(decision.label)))
    if payload.get("days_granted"):
        lines.append((_("Days granted"), str(payload["days_granted"])))
    if payload.get("deadline") and event.action != Action.CREATE:
        lines.append((_("Deadline"), _datetime_text(payload["deadline"])))
    paused = payload.get("paused_seconds")
    if isinstance(paused, int) and paused > 0:
        now = timezone.now()
        waited = timesince(now - timedelta(seconds=paused), now, depth=2)
        lines.append((_("Clock paused during the dispute"), waited))
    return lines


@register.simple_tag
def user_role_labels(user: Any) -> list[str]:
    roles = {grant.role for grant in grants_for(user)}
    return [str(role.label) for role in Role if role in roles]


@register.filter
def may_create_problems(user: Any) -> bool:
    allowed = ACTION_ROLES[Action.CREATE]
    return any(grant.role in allowed and grant.region_id for grant in grants_for(user))


@register.filter
def state_label(value: str) -> str:
    return str(State(value).label) if value in State.values else value


WIDGET_CLASSES = {
    "select": "form-select",
    "checkbox": "form-check-input",
    "radio": "form-check-input",
}


@register.simple_tag
def widget(field: Any) -> str:
    """Render a bound field's widget with Bootstrap's class and its error state."""
    input_type = getattr(field.field.widget, "input_type", "")
    css = WIDGET_CLASSES.get(input_type, "form-control")
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    # The ids of the help text and error list the field templates draw under the control.
    described_by = [f"{field.auto_id}_help"] if field.help_text else []
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
