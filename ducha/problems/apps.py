from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "ducha.problems"
    label = "problems"
