from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ducha.core.admin import ScopedAdmin
from ducha.orgs.models import Org, Site, Team


class OrgAdminForm(forms.ModelForm):
    class Meta:
        model = Org
        fields = ["kind", "name", "parent", "code", "level"]

    # Set by OrgAdmin.get_form: whether this user may leave the parent empty.
    may_create_roots = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        instance = self.instance
        if instance.pk and "parent" in self.changed_data and instance.children.exists():
            # Descendants, sites and problems carry this org's path and levels.
            self.add_error("parent", _("An org with children cannot be moved."))
        if data.get("parent") is None and not self.may_create_roots:
            self.add_error("parent", _("Only a superuser may add a root region."))
        return data


@admin.register(Org)
class OrgAdmin(ScopedAdmin):
    form = OrgAdminForm
    list_display = ["name", "kind", "level", "code", "parent"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    readonly_fields = ["path", "depth"]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form: Any = super().get_form(request, obj, change, **kwargs)
        form.may_create_roots = request.user.is_superuser or (
            obj is not None and obj.parent_id is None
        )
        return form


@admin.register(Site)
class SiteAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region", "address"]
    list_filter = ["kind"]
    search_fields = ["name", "address"]
    list_select_related = ["region"]


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    list_display = ["name", "kind", "dispatched_by", "leader", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    list_select_related = ["dispatched_by", "leader"]
    filter_horizontal = ["members", "regions"]
