from django.apps import AppConfig


class RollupsConfig(AppConfig):
    """The rollup tables and the path that writes them, part of the problems layer: every
    problem action keeps them in its own transaction (docs/decisions/0007-rollups-and-
    dashboards.md, 0013-layers.md).

    The label is the one the tables were created under when they lived in ducha.reports, so
    their names and migration history stay as they are.
    """

    name = "ducha.problems.rollups"
    label = "reports"
