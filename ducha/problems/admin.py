from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ducha.core.admin import SharedCatalogueAdmin
from ducha.orgs.scoped_admin import ReadOnlyAdmin
from ducha.problems.models import FocusArea, Problem, ProblemEvent


@admin.register(FocusArea)
class FocusAreaAdmin(SharedCatalogueAdmin):
    # The same catalogue for every jurisdiction: a superuser's (decision 0009).
    list_display = ["name", "code", "deadline_hours", "urgent_deadline_hours", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active"]
    search_fields = ["name", "code"]


class EventInline(admin.TabularInline):
    model = ProblemEvent
    fields = ("created_at", "actor", "action", "from_state", "to_state", "comment", "payload")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    """Read-only: the state moves only through the actions, never by editing a row."""

    list_display = ["title", "state", "region", "responsible_org", "deadline", "found_at"]
    list_filter = ["state", "nature", "urgency", "focus_area"]
    search_fields = ["title", "description"]
    list_select_related = ["region", "responsible_org"]
    date_hierarchy = "found_at"
    inlines = [EventInline]

    def scope(self, queryset: QuerySet, user: Any) -> QuerySet:
        return queryset.filter(pk__in=Problem.objects.visible_to(user).values("pk"))


@admin.register(ProblemEvent)
class ProblemEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "problem", "action", "from_state", "to_state", "actor"]
    list_filter = ["action"]
    search_fields = ["problem__title", "comment"]
    list_select_related = ["problem", "actor"]

    def scope(self, queryset: QuerySet, user: Any) -> QuerySet:
        return queryset.filter(problem__in=Problem.objects.visible_to(user).values("pk"))
