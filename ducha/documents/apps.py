from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ducha.documents"
    label = "documents"
