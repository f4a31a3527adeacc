from django.apps import AppConfig


class SweepsConfig(AppConfig):
    name = "ducha.sweeps"
    label = "sweeps"

    def ready(self) -> None:
        from ducha.problems import hooks
        from ducha.sweeps.panels import sweep_group

        hooks.add(hooks.PROBLEM_PANELS, sweep_group)
