"""Roles on a user's admin page: the membership inline, checked and saved through the role
actions (ducha.accounts.roles) so that the admin refuses what they refuse, in their words.

The whole inline is checked before anything is saved (the refusal shows on the row's role
field, and the user's own fields are not saved either); then each row goes through
`do_withdraw_role` / `do_grant_role`, each writing its audit row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from ducha.accounts.models import Membership
from ducha.accounts.roles import (
    do_grant_role,
    do_withdraw_role,
    grant_refusal,
    record_refusal,
    withdrawal_refusal,
)
from ducha.orgs.models import Org


class MembershipFormSet(BaseInlineFormSet):
    request: HttpRequest  # set by MembershipInline.get_formset

    def _touched(self) -> tuple[list[Any], list[Any]]:
        """Existing rows withdrawn (deleted or changed), and rows granted (new or changed)."""
        withdrawn, granted = [], []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.has_changed():
                continue
            deleting = bool(form.cleaned_data.get("DELETE"))
            if form.instance.pk is not None:
                withdrawn.append(form)
            if not deleting and form.cleaned_data.get("org") and form.cleaned_data.get("role"):
                granted.append(form)
        return withdrawn, granted

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        acting_user, user = self.request.user, self.instance
        withdrawn, granted = self._touched()
        originals = Membership.objects.select_related("user", "org").in_bulk(
            [form.instance.pk for form in withdrawn]
        )
        kept = []
        if user.pk is not None:
            kept = list(
                Membership.objects.filter(user=user)
                .exclude(pk__in=originals)
                .values_list("role", flat=True)
            )
        for form in withdrawn:
            original = originals.get(form.instance.pk)
            if original is None:
                continue
            refusal = withdrawal_refusal(acting_user, original)
            if refusal:
                self._refuse(form, original.org, original.role, refusal)
        for form in granted:
            org, role = form.cleaned_data["org"], form.cleaned_data["role"]
            others = [other.cleaned_data["role"] for other in granted if other is not form]
            refusal = grant_refusal(
                user, acting_user=acting_user, org=org, role=role, held=[*kept, *others]
            )
            if refusal:
                self._refuse(form, org, role, refusal)

    def _refuse(self, form: Any, org: Any, role: str, reason: str) -> None:
        form.add_error("role", reason)
        record_refusal(
            self.instance,
            acting_user=self.request.user,
            org=org,
            role=role,
            reason=reason,
            request=self.request,
        )


def save_memberships(request: HttpRequest, user: Any, formset: MembershipFormSet) -> None:
    """The checked inline's rows, through the actions: withdrawals first, then grants."""
    formset.save(commit=False)
    for membership in formset.deleted_objects:
        do_withdraw_role(membership, acting_user=request.user, request=request)
    for membership, _fields in formset.changed_objects:
        do_withdraw_role(membership, acting_user=request.user, request=request)
    granted = [*formset.new_objects, *(membership for membership, _ in formset.changed_objects)]
    for membership in granted:
        do_grant_role(
            user,
            acting_user=request.user,
            org=membership.org,
            role=membership.role,
            request=request,
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset: Any = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"request": request})

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request).select_related("org")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(org__in=Org.objects.visible_to(request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "org" and not request.user.is_superuser:
            kwargs["queryset"] = Org.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
