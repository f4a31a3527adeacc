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

        # A lockout revokes the account's API tokens and is recorded once (accounts/security.py).
        from axes.signals import user_locked_out

        from ducha.accounts.security import on_locked_out

        user_locked_out.connect(on_locked_out, dispatch_uid="ducha.accounts.security")
