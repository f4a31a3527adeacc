from django.apps import AppConfig


class ReportFormsConfig(AppConfig):
    name = "ducha.reportforms"
    label = "reportforms"
