from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityKeysConfig(AppConfig):
    name = "ducha.accounts.keys"
    label = "security_keys"
    verbose_name = _("Security keys")
