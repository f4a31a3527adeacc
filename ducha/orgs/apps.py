from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "ducha.orgs"
    label = "orgs"
