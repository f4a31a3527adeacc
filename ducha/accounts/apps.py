from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ducha.accounts"
    label = "accounts"
