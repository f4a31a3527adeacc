from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ducha.problems import hooks


class FieldworkConfig(AppConfig):
    name = "ducha.fieldwork"
    label = "fieldwork"
    verbose_name = _("Field work")

    def ready(self) -> None:
        # Imported here: these modules load models, which Django builds after this module
        # (docs/decisions/0013-layers.md).
        from ducha.fieldwork import access, actions, evidence

        # Field work sits above problems: the loop reaches it only through these points.
        hooks.add(hooks.ON_CLOSE, actions.revisit_after_close)
        hooks.add(hooks.EVENT_READERS, access.without_hidden_revisits)
        hooks.add(hooks.PHOTO_STORES, evidence.do_attach_evidence)
