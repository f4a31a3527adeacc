from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit administrator's pages: the security audit trail and the record's hash chains."""

    name = "ducha.audit"
    label = "audit"

    def ready(self) -> None:
        from django.core import checks

        from ducha.audit.checks import check_retention

        checks.register(check_retention, "ducha")
