from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ducha.accounts import audit
from ducha.accounts.actions import do_revoke_token
from ducha.accounts.choices import ADMIN_ROLES, SecurityEventKind
from ducha.accounts.membership_admin import MembershipInline, save_memberships
from ducha.accounts.models import ApiToken, Membership, TokenEvent, User
from ducha.core.admin import SuperuserOnlyAdmin
from ducha.orgs.models import Org
from ducha.orgs.scoped_admin import ReadOnlyAdmin, ScopedAdmin, visible_users

# Only a superuser may hand out these; anyone else could otherwise raise their own rights.
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


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

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Roles change only through the role actions (三员分立's constraint, audit rows).
        if formset.model is Membership:
            save_memberships(request, form.instance, formset)
        else:
            super().save_formset(request, form, formset, change)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """Django's page, and an audit row when it did set the password."""
        before = self.get_object(request, unquote(id))
        response: HttpResponse = super().user_change_password(request, id, form_url)
        after = User.objects.filter(pk=before.pk).first() if before is not None else None
        if after is not None and before is not None and after.password != before.password:
            if after.pk == request.user.pk:
                audit.record(SecurityEventKind.PASSWORD_CHANGED, request=request)
            else:
                audit.record(SecurityEventKind.PASSWORD_RESET, request=request, subject=after)
        return response


def _wholly_inside(admin_user: Any, user: Any) -> bool:
    """A person who also holds a role elsewhere (or is a superuser) is shared with that other
    jurisdiction: changing their password or name would reach into it, so it is read-only."""
    if user is None or admin_user.is_superuser:
        return True
    if user.is_superuser:
        return False
    # An administrator's account (三员) is a superuser's to manage: a system administrator who
    # could set the audit administrator's password could audit himself.
    if user.memberships.filter(role__in=ADMIN_ROLES).exists():
        return False
    visible = Org.objects.visible_to(admin_user)
    return not user.memberships.exclude(org__in=visible).exists()


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """A list to look roles up; they are granted and withdrawn on the user's page, through the
    role actions."""

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
