from django.apps import AppConfig


class DailyConfig(AppConfig):
    name = "ducha.daily"
    label = "daily"
