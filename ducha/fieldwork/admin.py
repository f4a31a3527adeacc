"""Field work in the admin: read-only and scoped. Rows change only through the actions,
which keep versions, events and the links between tasks, visits and problems."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from ducha.fieldwork.models import (
    Answer,
    ChecklistItem,
    Evidence,
    FieldEvent,
    Inspection,
    Meeting,
    Revisit,
    Task,
)
from ducha.orgs.scoped_admin import ReadOnlyAdmin


class VisibleAdmin(ReadOnlyAdmin):
    def scope(self, queryset: QuerySet, user: Any) -> QuerySet:
        return queryset.filter(pk__in=self.model.objects.visible_to(user).values("pk"))


@admin.register(ChecklistItem)
class ChecklistItemAdmin(VisibleAdmin):
    list_display = ["text", "focus_area", "office", "position", "active", "replaces"]
    list_filter = ["active", "focus_area"]
    search_fields = ["text"]
    list_select_related = ["focus_area", "office", "replaces"]


@admin.register(Meeting)
class MeetingAdmin(VisibleAdmin):
    list_display = ["held_on", "title", "office", "created_by"]
    search_fields = ["title", "decisions"]
    list_select_related = ["office", "created_by"]
    date_hierarchy = "held_on"


@admin.register(Task)
class TaskAdmin(VisibleAdmin):
    list_display = ["day", "team", "method", "state", "office", "meeting"]
    list_filter = ["state", "method"]
    search_fields = ["team__name", "notes"]
    list_select_related = ["team", "office", "meeting"]
    date_hierarchy = "day"


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ("item", "result", "note", "problem")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Inspection)
class InspectionAdmin(VisibleAdmin):
    list_display = ["visited_at", "team", "method", "region", "recorded_by"]
    list_filter = ["method"]
    search_fields = ["team__name", "notes"]
    list_select_related = ["team", "region", "recorded_by"]
    date_hierarchy = "visited_at"
    inlines = [AnswerInline]


@admin.register(Evidence)
class EvidenceAdmin(VisibleAdmin):
    # No file links here: files are served only by the evidence views, with their headers.
    list_display = ["original_name", "kind", "size", "inspection", "problem", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["inspection", "problem"]
    exclude = ["file", "thumbnail"]


@admin.register(Revisit)
class RevisitAdmin(VisibleAdmin):
    list_display = ["problem", "due_on", "sampled", "state"]
    list_filter = ["state", "sampled"]
    search_fields = ["problem__title", "note"]
    list_select_related = ["problem"]
    date_hierarchy = "due_on"
    # Who drew a sample decides who sees it before it happens; the draw sets it, nobody else.
    readonly_fields = ["office"]


@admin.register(FieldEvent)
class FieldEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "task", "inspection", "revisit"]
    list_filter = ["action"]
    list_select_related = ["actor", "task", "inspection", "revisit"]

    def scope(self, queryset: QuerySet, user: Any) -> QuerySet:
        # An event is shown when one of the objects it concerns is.
        return queryset.filter(
            Q(task__in=Task.objects.visible_to(user).values("pk"))
            | Q(meeting__in=Meeting.objects.visible_to(user).values("pk"))
            | Q(inspection__in=Inspection.objects.visible_to(user).values("pk"))
            | Q(revisit__in=Revisit.objects.visible_to(user).values("pk"))
            | Q(checklist_item__in=ChecklistItem.objects.visible_to(user).values("pk"))
        )
