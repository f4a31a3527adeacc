from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "ducha.notices.delivery"
    label = "notice_delivery"
    verbose_name = _("Notification delivery")

    def ready(self) -> None:
        # Imported here: the planner uses models, which exist only once apps are ready
        # (docs/decisions/0013-layers.md, "Imports inside functions").
        from ducha.notices import hooks
        from ducha.notices.delivery.planning import after_notified

        if after_notified not in hooks.AFTER_NOTIFIED:
            hooks.AFTER_NOTIFIED.append(after_notified)
