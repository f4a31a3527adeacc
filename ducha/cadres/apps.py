from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "ducha.cadres"
    label = "cadres"
