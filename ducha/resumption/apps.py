from django.apps import AppConfig


class ResumptionConfig(AppConfig):
    name = "ducha.resumption"
    label = "resumption"
