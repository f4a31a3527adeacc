from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its command, `load_demo`; it has no models."""

    name = "ducha.demo"
    label = "demo"
