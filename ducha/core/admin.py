"""Admin pieces shared by the apps that need no jurisdiction: catalogues every office
shares, and rows only a superuser may see. Scoped admins are ducha.orgs.scoped_admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from ducha.core.audit_hooks import admin_changed


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and delete in the admin site goes to the security audit trail too.

    Django writes its own LogEntry through these three methods; the audit trail gets the same
    facts in its append-only table. Every Ducha admin derives from this class (checked by
    tests/audit/test_admin_changes.py over the whole admin site).
    """

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        admin_changed(request, "add", [obj], message)
        return entry

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        admin_changed(request, "change", [obj], message)
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        # Called before the rows go: their ids are still there to record.
        objects = list(queryset)
        entries = super().log_deletions(request, queryset)
        admin_changed(request, "delete", objects)
        return entries


class SharedCatalogueAdmin(AuditedAdmin):
    """Rows every jurisdiction shares (focus areas: their names, deadlines, revisit delays).

    A change here moves every province's problems, so only a superuser writes; staff with the
    view permission may read them, since every problem names one.
    """

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


class SuperuserOnlyAdmin(AuditedAdmin):
    """Rows that grant rights across jurisdictions: not even shown to anyone else."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
