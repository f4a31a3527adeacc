from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "ducha.policies"
    label = "policies"
