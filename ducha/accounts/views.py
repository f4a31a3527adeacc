"""The user's own API tokens: issue (the raw key is shown once) and revoke."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ducha.accounts.actions import do_issue_token, do_revoke_token, own_token
from ducha.accounts.models import ApiToken, User
from ducha.core.forms import run_action
from ducha.core.text import NAME, TextField


class TokenForm(forms.Form):
    name = TextField(
        label=gettext_lazy("Name"),
        max_length=NAME,
        help_text=gettext_lazy("What the token is for, e.g. “daily export script”."),
    )


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
    }
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    do_revoke_token(own_token(user, pk), acting_user=user)
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("tokens")
