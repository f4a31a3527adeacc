"""The delivery tables in the admin site: read only, scoped like the pages (access.py).
Webhook addresses and secrets are never shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ducha.core.admin import AuditedAdmin
from ducha.notices.delivery.access import channels_of, log_of
from ducha.notices.delivery.models import Delivery, OrgChannel


class _ReadOnly(AuditedAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(_ReadOnly):
    list_display = ["created_at", "channel", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "channel"]
    # The notification's kind, not its text: the system administrator does not read the loop.
    fields = [
        "kind",
        "channel",
        "robot",
        "status",
        "digest",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
    ]
    readonly_fields = ["kind"]

    @admin.display(description=_("kind"))
    def kind(self, row: Delivery) -> str:
        return row.notification.get_kind_display()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return log_of(request.user).select_related("robot", "notification")


@admin.register(OrgChannel)
class OrgChannelAdmin(_ReadOnly):
    list_display = ["label", "org", "channel", "host", "include_subtree", "enabled"]
    list_filter = ["channel", "enabled"]
    fields = ["label", "org", "channel", "host", "include_subtree", "enabled", "updated_at"]
    readonly_fields = ["host"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return channels_of(request.user)
