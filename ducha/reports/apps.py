from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Dashboards: the read side of the rollups (their tables are ducha.problems.rollups).

    The label "reports" stays with the tables' app, which keeps their names and migration
    history; this app has no models, so its own label names nothing stored.
    """

    name = "ducha.reports"
    label = "dashboards"
