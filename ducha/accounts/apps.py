from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ducha.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Core keeps the grants but cannot compute them (memberships and teams live above
        # it): it is handed the function here, once the models are loaded.
        from ducha.accounts.grants import compute_grants
        from ducha.core.scope import use_grant_source

        use_grant_source(compute_grants)

        # Every way of signing in (the login page, the admin's, the test client) starts the
        # session's clocks with the login itself, in the session Django saves for it.
        from django.contrib.auth.signals import user_logged_in

        from ducha.accounts.sessions import start_on_login

        user_logged_in.connect(start_on_login, dispatch_uid="ducha.accounts.sessions")

        # The security audit trail (安全审计). Django's auth signals are the one point every
        # way of signing in and out passes (the login page, the admin's, a two-step login
        # that calls `login()` after the second factor), so the trail listens there. This is
        # a record of what happened, not workflow: nothing reacts to it, and no answer
        # changes with it. Core's access helper and admin base classes report refusals and
        # admin changes through core's registration points.
        from django.contrib.auth.signals import user_logged_out, user_login_failed

        from ducha.accounts import trail
        from ducha.core.audit_hooks import on_admin_change, on_operation, on_refusal

        user_logged_in.connect(trail.on_logged_in, dispatch_uid="ducha.accounts.trail.login")
        user_login_failed.connect(trail.on_login_failed, dispatch_uid="ducha.accounts.trail.fail")
        user_logged_out.connect(trail.on_logged_out, dispatch_uid="ducha.accounts.trail.logout")
        on_refusal(trail.on_refusal)
        on_admin_change(trail.on_admin_change)
        on_operation(trail.on_operation)
        # A lockout revokes the account's API tokens and is recorded once (accounts/security.py).
        from axes.signals import user_locked_out

        from ducha.accounts.security import on_locked_out

        user_locked_out.connect(on_locked_out, dispatch_uid="ducha.accounts.security")
