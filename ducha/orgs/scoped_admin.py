"""Admin scoping shared by every ModelAdmin: nobody but a superuser sees past their jurisdiction.

Jurisdiction is a part of the org tree, so this sits with the orgs; the admin pieces that
need no tree are in ducha.core.admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from ducha.core.admin import AuditedAdmin
from ducha.orgs.models import Org, Site, Team


def visible_users(user: Any) -> QuerySet:
    """People who hold a role at a visible org or sit on a visible team, and oneself."""
    return (
        get_user_model()
        .objects.filter(
            Q(memberships__org__in=Org.objects.visible_to(user))
            | Q(teams__in=Team.objects.visible_to(user))
            | Q(pk=user.pk)
        )
        .distinct()
    )


def visible_queryset(model: Any, user: Any) -> QuerySet | None:
    """The visible rows of a related model, or None when the model is not scoped."""
    if model in (Org, Site, Team):
        return model.objects.visible_to(user)
    if model is get_user_model():
        return visible_users(user)
    return None


class ScopedAdmin(AuditedAdmin):
    """Rows and the choices of related fields limited to the staff user's jurisdiction."""

    def scope(self, queryset: QuerySet, user: Any) -> QuerySet:
        model = queryset.model
        visible = visible_queryset(model, user)
        if visible is None:
            raise NotImplementedError(f"{type(self).__name__} must scope {model.__name__}")
        return queryset.filter(pk__in=visible.values("pk"))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.scope(queryset, request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            visible = visible_queryset(db_field.related_model, request.user)
            if visible is not None:
                kwargs["queryset"] = visible
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            visible = visible_queryset(db_field.related_model, request.user)
            if visible is not None:
                kwargs["queryset"] = visible
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ReadOnlyAdmin(ScopedAdmin):
    """For records that only actions may write: viewable, never added, changed or deleted."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
