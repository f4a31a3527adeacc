"""Login, the user's own password, and their API tokens: issue (the raw key is shown once)
and revoke."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ducha.accounts.actions import (
    do_change_password,
    do_issue_token,
    do_revoke_token,
    own_token,
)
from ducha.accounts.choices import ADMIN_ROLES, OFFICE_ROLES, Role
from ducha.accounts.models import ApiToken, TokenScope, User
from ducha.core.dates import MAX_ID
from ducha.core.forms import run_action
from ducha.core.scope import roles_of
from ducha.core.text import NAME, TextField


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=gettext_lazy("Old password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=gettext_lazy("New password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


@login_required
def change_password(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    form = PasswordChangeForm(request.POST or None)
    form.fields["new_password1"].help_text = password_validators_help_text_html()
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            outcome = run_action(
                request, form, do_change_password, user, acting_user=user, **form.cleaned_data
            )
            if outcome.ok:
                # The other sessions of the user end; this one goes on.
                update_session_auth_hash(request, outcome.result)
                messages.success(
                    request,
                    _("Your password was changed. Your API tokens were revoked; issue new ones."),
                )
                return redirect("password_change")
            status = outcome.status
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


class TokenForm(forms.Form):
    name = TextField(
        label=gettext_lazy("Name"),
        max_length=NAME,
        help_text=gettext_lazy("What the token is for, e.g. “daily export script”."),
    )
    # The range is the action's to judge (do_issue_token), so that the page and the API
    # refuse a lifetime out of range in the same words; the browser is told it too.
    lifetime_days = forms.IntegerField(
        label=gettext_lazy("Lifetime (days)"),
        required=False,
        # Only what no column could hold is refused here, in the API's words (core.schemas).
        min_value=-MAX_ID,
        max_value=MAX_ID,
        error_messages={"invalid": gettext_lazy("Enter a whole number.")},
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"),
        choices=TokenScope.choices,
        initial=TokenScope.WRITE,
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Select a valid choice. That choice is not one of the available choices."
            )
        },
        help_text=gettext_lazy(
            "A read-only token may read everything you may, but change nothing."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        longest = settings.DUCHA_TOKEN_MAX_AGE_DAYS
        field = self.fields["lifetime_days"]
        field.initial = longest
        field.widget.attrs.update({"min": 1, "max": longest, "inputmode": "numeric"})
        field.help_text = _("1 to %(days)d days; the token stops working after that.") % {
            "days": longest
        }


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    form = TokenForm(request.POST or None)
    raw_key = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            outcome = run_action(
                request, form, do_issue_token, acting_user=user, **form.cleaned_data
            )
            if outcome.ok:
                _token, raw_key = outcome.result
                form, status = TokenForm(), 200
            else:
                status = outcome.status
    context = {
        "form": form,
        "raw_key": raw_key,
        "tokens": ApiToken.objects.filter(user=user),
        "now": timezone.now(),
    }
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    do_revoke_token(own_token(user, pk), acting_user=user)
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("tokens")


# Where an account whose only roles are administrators' starts: its own work, since the
# supervision loop is closed to it (三员分立). The first that applies wins.
ADMIN_HOMES = (
    (Role.SECURITY_ADMIN, "security_accounts"),
    (Role.AUDIT_ADMIN, "audit:list"),
)

# Roles whose work is at a desk: whoever also holds one of them starts on the queue.
DESK_ROLES = OFFICE_ROLES | {Role.LEADER, Role.UNIT_HANDLER, Role.COMMAND, Role.DISCIPLINE}


def home(request: HttpRequest) -> HttpResponse:
    """The start page after login: the queue, a team member's tasks of the day, or an
    administrator's console."""
    roles = roles_of(request.user)
    if roles and roles <= ADMIN_ROLES:
        for role, page in ADMIN_HOMES:
            if role in roles:
                return redirect(page)
        if request.user.is_staff:
            return redirect("admin:index")
    if Role.TEAM_MEMBER in roles and not roles & DESK_ROLES:
        # A team's day is its visits: it starts on today's tasks, the queue one tap away.
        return redirect("fieldwork:my_tasks")
    return redirect("problems:queue")
