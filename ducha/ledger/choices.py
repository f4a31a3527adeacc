"""States and actions of an import batch."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import OFFICE_ROLES
from ducha.core.scoping import OWNER, VIEW


class BatchKind(models.TextChoices):
    """What the rows of a ledger file become."""

    PROBLEMS = "problems", _("Problems")
    ENTERPRISES = "enterprises", _("Enterprises and projects")


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


# Who may do what with a batch (`ImportBatchQuerySet` says where). The uploader (`OWNER`)
# sees it and alone decides on it, acting with the rights its check report was made for; the
# offices of the jurisdiction it was uploaded in read it.
BATCH_ACTION_ROLES: dict[str, frozenset[str]] = {
    VIEW: OFFICE_ROLES | {OWNER},
    BatchAction.CONFIRM: frozenset({OWNER}),
    BatchAction.CANCEL: frozenset({OWNER}),
}
