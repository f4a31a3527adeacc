from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ducha.core.scope import grants_for
from ducha.orgs.models import Org, Site, Team
from ducha.orgs.scoped_admin import ScopedAdmin


class OrgAdminForm(forms.ModelForm):
    class Meta:
        model = Org
        fields = ["kind", "name", "parent", "code", "level", "two_factor_required", "urge_notices"]

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

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        # A login policy is the security side's, not the system administrator's (三员分立):
        # only a superuser changes it here.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, "two_factor_required"]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form: Any = super().get_form(request, obj, change, **kwargs)
        form.may_create_roots = request.user.is_superuser or (
            obj is not None and obj.parent_id is None
        )
        return form

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and _below_root(request.user, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and _below_root(request.user, obj)


def _below_root(user: Any, org: Org | None) -> bool:
    """The region a jurisdiction hangs from is shared with the offices above it (its name,
    code and level place it among its siblings): only what lies below it is the user's."""
    if org is None or user.is_superuser:
        return True
    for grant in grants_for(user):
        root = grant.region_path or grant.org_path
        if org.path.startswith(root) and org.path != root:
            return True
    return False


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
