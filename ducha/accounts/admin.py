from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ducha.accounts.actions import do_revoke_token
from ducha.accounts.models import ApiToken, Membership, TokenEvent, User
from ducha.core.admin import SuperuserOnlyAdmin
from ducha.orgs.models import Org
from ducha.orgs.scoped_admin import ReadOnlyAdmin, ScopedAdmin, visible_users

# Only a superuser may hand out these; anyone else could otherwise raise their own rights.
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request).select_related("org")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(org__in=Org.objects.visible_to(request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "org" and not request.user.is_superuser:
            kwargs["queryset"] = Org.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name", "email", "phone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ["username", "name", "email", "is_active", "is_staff"]
    search_fields = ["username", "name", "email"]
    inlines = [MembershipInline]

    def scope(self, queryset: QuerySet, user: Any) -> QuerySet:
        return queryset.filter(pk__in=visible_users(user).values("pk"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return readonly + PRIVILEGE_FIELDS

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and _wholly_inside(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and _wholly_inside(request.user, obj)


def _wholly_inside(admin_user: Any, user: Any) -> bool:
    """A person who also holds a role elsewhere (or is a superuser) is shared with that other
    jurisdiction: changing their password or name would reach into it, so it is read-only."""
    if user is None or admin_user.is_superuser:
        return True
    if user.is_superuser:
        return False
    visible = Org.objects.visible_to(admin_user)
    return not user.memberships.exclude(org__in=visible).exists()


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["user", "role", "org"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__name", "org__name"]
    list_select_related = ["user", "org"]

    def scope(self, queryset: QuerySet, user: Any) -> QuerySet:
        return queryset.filter(org__in=Org.objects.visible_to(user))


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    """Read-mostly: tokens are issued by their owner; an admin may only revoke one, through
    the same action as the owner (so the revocation is recorded)."""

    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "user__name", "hint"]
    list_select_related = ["user"]
    fields = ["user", "name", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "hint", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def scope(self, queryset: QuerySet, user: Any) -> QuerySet:
        return queryset.filter(user__in=visible_users(user))

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        for token in queryset:
            do_revoke_token(token, acting_user=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TokenEvent)
class TokenEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "token", "actor"]
    list_filter = ["action"]
    list_select_related = ["token", "actor"]

    def scope(self, queryset: QuerySet, user: Any) -> QuerySet:
        return queryset.filter(token__user__in=visible_users(user))


# Groups carry model permissions for every jurisdiction at once: a superuser's alone.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SuperuserOnlyAdmin, DjangoGroupAdmin):
    pass


@admin.register(AccessAttempt)
class AccessAttemptAdmin(SuperuserOnlyAdmin, AxesAccessAttemptAdmin):
    """Failed logins per account and address; deleting the rows of a locked account or address
    unlocks it. A superuser's until the security administrator role exists."""
