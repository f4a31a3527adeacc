from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit administrator's pages: the security audit trail and the record's hash chains."""

    name = "ducha.audit"
    label = "audit"
