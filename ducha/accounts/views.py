"""The user's own API tokens: issue (the raw key is shown once) and revoke."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ducha.accounts.models import ApiToken, User


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “daily export script”."),
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    form = TokenForm(request.POST or None)
    raw_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, raw_key = ApiToken.issue(user, form.cleaned_data["name"])
            form = TokenForm()
        else:
            status = 422
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
    revoked = ApiToken.objects.filter(pk=pk, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not revoked:
        raise Http404
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("tokens")
