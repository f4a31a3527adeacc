"""The delivery pages: a user's own preferences; an org's group robots and delivery log for
its office staff and system administrators (access.py says which orgs)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.core.forms import run_action
from ducha.notices.delivery.access import (
    access_channel,
    administered_orgs,
    channels_of,
    log_of,
    require_administrator,
)
from ducha.notices.delivery.actions import (
    do_delete_org_channel,
    do_save_org_channel,
    do_save_preferences,
)
from ducha.notices.delivery.choices import Channel, DeliveryStatus
from ducha.notices.delivery.forms import OrgChannelForm, PreferencesForm
from ducha.notices.delivery.models import DeliveryPreference, OrgChannel
from ducha.notices.delivery.planning import enabled_channels

# Rows one page of the delivery log shows (newest first); a status filter narrows it.
LOG_ROWS = 100


def _posted(request: HttpRequest) -> Any:
    # An empty POST (every box unticked) is still a submission.
    return request.POST if request.method == "POST" else None


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    pref = DeliveryPreference.objects.filter(user=user).first() or DeliveryPreference()
    initial = {
        name: getattr(pref, name)
        for name in ("email", "sms", "robots", "quiet_start", "quiet_end", "digest", "digest_hour")
    }
    form = PreferencesForm(_posted(request), initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            outcome = run_action(
                request, form, do_save_preferences, acting_user=user, **form.cleaned_data
            )
            if outcome.ok:
                messages.success(request, _("Your delivery preferences are saved."))
                return redirect("delivery:preferences")
        status = 422
    channels = [Channel(c).label for c in enabled_channels()]
    context = {"form": form, "channels": channels, "user_email": user.email}
    return render(request, "delivery/preferences.html", context, status=status)


def _administrator(request: HttpRequest) -> Any:
    return require_administrator(request.user)


def _save(request: HttpRequest, form: OrgChannelForm, channel: OrgChannel | None) -> Any:
    data = form.cleaned_data
    secret = data["secret"] or (None if channel is not None else "")
    return run_action(
        request,
        form,
        do_save_org_channel,
        channel,
        acting_user=request.user,
        org=data["org"],
        kind=data["kind"],
        label=data["label"],
        webhook_url=data["webhook_url"],
        secret=secret,
        include_subtree=data["include_subtree"],
        enabled=data["enabled"],
    )


@login_required
def channels(request: HttpRequest) -> HttpResponse:
    """The administered orgs' group robots, and the form that adds one."""
    user = _administrator(request)
    form = OrgChannelForm(_posted(request), orgs=administered_orgs(user))
    status = 200
    if request.method == "POST":
        if form.is_valid() and _save(request, form, None).ok:
            messages.success(request, _("The group robot is saved."))
            return redirect("delivery:channels")
        status = 422
    context = {"form": form, "channels": channels_of(user), "enabled": enabled_channels()}
    return render(request, "delivery/channels.html", context, status=status)


@login_required
def channel(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    robot = access_channel(user, pk)
    initial = {
        "org": robot.org,
        "kind": robot.channel,
        "label": robot.label,
        "include_subtree": robot.include_subtree,
        "enabled": robot.enabled,
    }
    form = OrgChannelForm(
        _posted(request), initial=initial, orgs=administered_orgs(user), editing=True
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and _save(request, form, robot).ok:
            messages.success(request, _("The group robot is saved."))
            return redirect("delivery:channels")
        status = 422
    return render(request, "delivery/channel.html", {"form": form, "robot": robot}, status=status)


@login_required
@require_POST
def channel_delete(request: HttpRequest, pk: int) -> HttpResponse:
    robot = access_channel(request.user, pk)
    do_delete_org_channel(robot, acting_user=request.user)
    messages.success(request, _("The group robot is removed."))
    return redirect("delivery:channels")


@login_required
def log(request: HttpRequest) -> HttpResponse:
    """Sent, failed, waiting: what left for the administered orgs, and why not."""
    user = _administrator(request)
    rows = log_of(user)
    chosen = request.GET.get("status", "")
    if chosen not in DeliveryStatus.values:
        chosen = ""
    if chosen:
        rows = rows.filter(status=chosen)
    rows = rows.select_related("notification__recipient", "robot").order_by("-created_at", "-pk")
    context = {
        "rows": rows[:LOG_ROWS],
        "statuses": DeliveryStatus.choices,
        "chosen": chosen,
        "listed": LOG_ROWS,
    }
    return render(request, "delivery/log.html", context)
