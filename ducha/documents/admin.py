"""Admin for documents: letterheads are edited here; documents are read, never written here
(drafting, editing and issuing go through the actions, and issued ones are records)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from ducha.documents.models import Document, DocumentEvent, Letterhead
from ducha.orgs.models import Org
from ducha.orgs.scoped_admin import ReadOnlyAdmin, ScopedAdmin


@admin.register(Letterhead)
class LetterheadAdmin(ScopedAdmin):
    list_display = ("org", "masthead", "reference_prefix")
    search_fields = ("org__name", "masthead", "reference_prefix")

    def scope(self, queryset: QuerySet, user: Any) -> QuerySet:
        return queryset.filter(org__in=Org.objects.visible_to(user))


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "state", "reference", "issuer", "issued_at")
    list_filter = ("kind", "state", "year")
    search_fields = ("title", "reference")

    def scope(self, queryset: QuerySet, user: Any) -> QuerySet:
        return queryset.filter(pk__in=Document.objects.visible_to(user).values("pk"))


@admin.register(DocumentEvent)
class DocumentEventAdmin(ReadOnlyAdmin):
    list_display = ("document", "action", "actor", "created_at")
    list_filter = ("action",)

    def scope(self, queryset: QuerySet, user: Any) -> QuerySet:
        return queryset.filter(document__in=Document.objects.visible_to(user))
