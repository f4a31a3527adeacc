from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "ducha.matters"
    label = "matters"
