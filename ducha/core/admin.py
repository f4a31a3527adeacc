"""Admin pieces shared by the apps that need no jurisdiction: catalogues every office
shares, and rows only a superuser may see. Scoped admins are ducha.orgs.scoped_admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class SharedCatalogueAdmin(admin.ModelAdmin):
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


class SuperuserOnlyAdmin(admin.ModelAdmin):
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
