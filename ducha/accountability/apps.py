from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "ducha.accountability"
    label = "accountability"
