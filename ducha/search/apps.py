from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "ducha.search"
    label = "search"
