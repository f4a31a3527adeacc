from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "ducha.policies"
    label = "policies"

    def ready(self) -> None:
        from ducha.policies.panels import policy_panel
        from ducha.problems import hooks

        hooks.add(hooks.PROBLEM_PANELS, policy_panel)
