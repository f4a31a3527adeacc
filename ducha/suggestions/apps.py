from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "ducha.suggestions"
    label = "suggestions"
