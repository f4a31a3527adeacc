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
