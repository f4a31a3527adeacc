"""The inbox pages: the list, opening one notification, marking read (POST with CSRF)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ducha.notices.actions import do_mark_read
from ducha.notices.inbox import forget_count, inbox, own_notification


def _unread_only(request: HttpRequest) -> bool:
    return request.GET.get("unread") == "1"


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = _unread_only(request)
    rows = inbox(request.user, unread_only=unread_only).select_related("actor")
    page = Paginator(rows, settings.DUCHA_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {"page": page, "unread_only": unread_only})


def _back(request: HttpRequest) -> str:
    """Where a mark-read form returns: the list it was sent from (a path of ours only)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notices:list")


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    """Mark one read and go to what it is about (its link is a path inside Ducha)."""
    notification = own_notification(request.user, pk)
    do_mark_read(request.user, [notification.pk])
    return redirect(notification.url or reverse("notices:list"))


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = own_notification(request.user, pk)
    do_mark_read(request.user, [notification.pk])
    if request.headers.get("HX-Request"):
        notification.refresh_from_db()
        forget_count(request.user)
        return render(request, "notices/_item.html", {"n": notification, "next": _back(request)})
    return redirect(_back(request))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponseRedirect:
    do_mark_read(request.user, None)
    return redirect(_back(request))
