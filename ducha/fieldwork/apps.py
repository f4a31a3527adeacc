from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "ducha.fieldwork"
    label = "fieldwork"
    verbose_name = _("Field work")

    def ready(self) -> None:
        # The loop's actions take photos (改, 立行立改); evidence is kept here, a layer above.
        from ducha.fieldwork.evidence import store_action_photos
        from ducha.problems.photos import register_store

        register_store(store_action_photos)
