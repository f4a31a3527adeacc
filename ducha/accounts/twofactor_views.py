"""The login in two steps, and the pages of the second factor.

The password step (`PasswordStepView`, also the admin site's login) does not sign in an
account that has a second factor or that the policy requires to have one: it keeps the
account in the session as *pending* and sends it to the code page (or to enrolment, which
then completes the login). Only then is Django's `login()` called, so the session clocks,
django-axes and the audit trail see one real login. A wrong code counts as a failed login
in django-axes: the same limit locks the account for passwords and codes alike.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ducha.accounts import key_views, pending, twofactor
from ducha.accounts.administration import administered_users
from ducha.accounts.choices import Role
from ducha.accounts.keys.models import SecurityKey
from ducha.accounts.lockout import locked_out
from ducha.accounts.models import User
from ducha.core.forms import run_action


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=twofactor.CODE_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


# --- the login pages ----------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    """Django's login form with its user name bounded: Django sets the bound on the input
    only, so a longer name reached `authenticate()` and the failed-login records (django-axes
    keeps 255 characters: PostgreSQL refused the row and the page failed)."""

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        MaxLengthValidator(self.username_field.max_length or 150)(username)
        return username


class PasswordStepView(auth_views.LoginView):
    """Django's login page, but an account due a second factor is only made pending."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        enrolled = twofactor.has_second_factor(user)
        if not enrolled and not twofactor.two_factor_required(user):
            return super().form_valid(form)
        pending.start_pending(self.request, user, self.get_success_url())
        return redirect("login_code" if enrolled else "two_factor_setup")


@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    user = pending.pending_user(request)
    if user is None:
        messages.error(request, _("Log in with your password first."))
        return redirect("login")
    if not twofactor.has_second_factor(user):
        return redirect("two_factor_setup")
    if pending.locked(request, user):
        pending.end_pending(request)
        return locked_out(request)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            outcome = run_action(
                request,
                form,
                twofactor.do_pass_second_factor,
                user,
                form.cleaned_data["code"],
                request=request,
            )
            if outcome.ok:
                return redirect(pending.finish_login(request, user))
            pending.count_failure(request, user)
    context = {"form": form, "has_keys": SecurityKey.objects.filter(user=user).exists()}
    return render(request, "registration/login_code.html", context, status=status)


# --- the user's own second factor ---------------------------------------------------------


def _codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    response = render(
        request, "accounts/two_factor_codes.html", {"codes": codes, "next_url": next_url}
    )
    # Shown once: not kept by the browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: a new secret as a QR code and as text, confirmed by a first code. Open to a
    signed-in user without a second factor and to a pending login the policy sends here."""
    signed_in = request.user.is_authenticated
    user: Any = request.user if signed_in else pending.pending_user(request)
    if user is None:
        return redirect("login")
    if signed_in and twofactor.totp_device(user) is not None:
        return redirect("two_factor")
    if not signed_in and twofactor.has_second_factor(user):
        return redirect("login_code")
    key = request.session.get(pending.SETUP_KEY)
    if not isinstance(key, str) or len(key) != 2 * twofactor.KEY_BYTES:
        key = request.session[pending.SETUP_KEY] = twofactor.new_key()
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            outcome = run_action(
                request,
                form,
                twofactor.do_enrol_two_factor,
                user,
                key=key,
                code=form.cleaned_data["code"],
                acting_user=user,
                request=request,
            )
            if outcome.ok:
                request.session.pop(pending.SETUP_KEY, None)
                next_url = pending.finish_login(request, user) if not signed_in else ""
                return _codes_page(request, outcome.result, next_url)
            status = outcome.status
    context = {
        "form": form,
        "qr": twofactor.qr_svg(twofactor.provisioning_uri(user, key)),
        "secret": twofactor.key_as_text(key),
        "required": twofactor.two_factor_required(user),
        "pending": not signed_in,
    }
    return render(request, "accounts/two_factor_setup.html", context, status=status)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    context = {
        "enrolled": twofactor.has_second_factor(user),
        "required": twofactor.two_factor_required(user),
        "has_app": twofactor.totp_device(user) is not None,
        "codes_left": twofactor.recovery_codes_left(user),
        "keys": SecurityKey.objects.filter(user=user),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def renew_codes(request: HttpRequest) -> HttpResponse:
    outcome = run_action(
        request,
        None,
        twofactor.do_renew_recovery_codes,
        request.user,
        acting_user=request.user,
        request=request,
    )
    if not outcome.ok:
        return redirect("two_factor")
    return _codes_page(request, outcome.result, "")


@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    outcome = run_action(
        request,
        None,
        twofactor.do_disable_two_factor,
        request.user,
        acting_user=request.user,
        request=request,
    )
    if outcome.ok:
        messages.success(request, _("Two-factor login is turned off for your account."))
    return redirect("two_factor")


# --- reset by a security administrator ----------------------------------------------------


@login_required
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A security administrator removes the second factor of an account of their
    jurisdiction (404 for any other account)."""
    subject = get_object_or_404(administered_users(request.user, Role.SECURITY_ADMIN), pk=pk)
    if request.method == "POST":
        twofactor.do_reset_two_factor(subject, acting_user=request.user, request=request)
        messages.success(
            request,
            _("The two-factor login of %(name)s was reset.") % {"name": subject},
        )
        return redirect("security_reset_two_factor", pk=subject.pk)
    context = {
        "subject": subject,
        "enrolled": twofactor.has_second_factor(subject),
        "required": twofactor.two_factor_required(subject),
    }
    return render(request, "accounts/two_factor_reset.html", context)


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin site's login is the same two steps, so it is no way around the second
    factor. It shows the form to a signed-in user too (as Django's admin does): one without
    access to the admin would otherwise bounce between the two."""
    view = PasswordStepView.as_view(redirect_authenticated_user=False)
    return cast(HttpResponse, view(request))


def secure_admin_site(site: AdminSite) -> None:
    """Our login for the admin site, and none of django-otp's device pages there: the
    secrets and recovery codes are nobody else's to read, and a device is only made by the
    user's own enrolment (a reset goes through `do_reset_two_factor`, recorded)."""
    site.login = admin_login  # type: ignore[method-assign]
    for model in (TOTPDevice, StaticDevice):
        if site.is_registered(model):
            site.unregister(model)


urlpatterns = [
    path("login/", PasswordStepView.as_view(), name="login"),
    path("login/code/", login_code, name="login_code"),
    path("two-factor/", manage, name="two_factor"),
    path("two-factor/setup/", setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", renew_codes, name="two_factor_renew_codes"),
    path("two-factor/disable/", disable, name="two_factor_disable"),
    path("security/users/<int:pk>/two-factor/reset/", reset, name="security_reset_two_factor"),
    *key_views.urlpatterns,
]
