from django.apps import AppConfig


class SweepsConfig(AppConfig):
    name = "ducha.sweeps"
    label = "sweeps"
