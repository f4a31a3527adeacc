"""States and actions of an import batch."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import Role


class BatchState(models.TextChoices):
    UPLOADED = "uploaded", _("Being checked")  # stored; its rows are being checked
    VALIDATED = "validated", _("Checked")  # the report is ready; the user chooses
    IMPORTING = "importing", _("Importing")  # the valid rows are going in, a chunk at a time
    IMPORTED = "imported", _("Imported")
    CANCELLED = "cancelled", _("Nothing imported")
    FAILED = "failed", _("Failed")


# A batch in these states can still change; the others are final.
OPEN_BATCH_STATES = (BatchState.UPLOADED, BatchState.VALIDATED, BatchState.IMPORTING)


class BatchAction(models.TextChoices):
    UPLOAD = "upload", _("Uploaded")
    VALIDATE = "validate", _("Checked")
    CONFIRM = "confirm", _("Import confirmed")
    IMPORT = "import", _("Imported")
    RESUME = "resume", _("Import resumed")
    CANCEL = "cancel", _("Import nothing")
    FAIL = "fail", _("Failed")


# Who, besides the uploader, sees a batch: the offices of the jurisdiction it was uploaded in.
BATCH_READER_ROLES = frozenset({Role.OFFICE_STAFF, Role.ADMIN})
