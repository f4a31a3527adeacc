from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import LOOP_ROLES, OFFICE_ROLES, SUPERVISOR_ROLES, Role


class Method(models.TextChoices):
    OPEN = "open", _("Open inspection")  # 明查
    UNANNOUNCED = "unannounced", _("Unannounced visit")  # 暗访 / 四不两直
    REVISIT = "revisit", _("Revisit")  # 回头看 / 杀回马枪
    STATIONED = "stationed", _("Stationed supervision")  # 驻点督查


class TaskState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class AnswerResult(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NOT_APPLICABLE = "na", _("Not applicable")


class RevisitState(models.TextChoices):
    DUE = "due", _("Due")
    PASSED = "passed", _("Passed: still fixed")
    FAILED = "failed", _("Failed: the problem is back")
    CANCELLED = "cancelled", _("Cancelled")


class EvidenceKind(models.TextChoices):
    IMAGE = "image", _("Photo")
    DOCUMENT = "document", _("Document")


class CaptureClock(models.TextChoices):
    """What the server made of the time a phone gave for a photo (never trusted blindly)."""

    AHEAD = "ahead", _("Ahead of the server's clock")
    OLD = "old", _("Long before it was received")


class FieldAction(models.TextChoices):
    VIEW = "view", _("View")
    EDIT_CHECKLIST = "edit_checklist", _("Edit checklists")
    RECORD_MEETING = "record_meeting", _("Record meetings")
    PLAN_TASK = "plan_task", _("Plan tasks")
    CANCEL_TASK = "cancel_task", _("Cancel tasks")
    JOIN_TASK = "join_task", _("Join a visit")
    RECORD_INSPECTION = "record_inspection", _("Record inspections")
    DRAW_SAMPLE = "draw_sample", _("Draw a revisit sample")
    RECORD_REVISIT = "record_revisit", _("Record revisits")


# Who may take each field-work action (within their jurisdiction; the querysets say where).
FIELD_ACTION_ROLES: dict[str, frozenset[str]] = {
    FieldAction.VIEW: LOOP_ROLES,
    FieldAction.EDIT_CHECKLIST: OFFICE_ROLES,
    FieldAction.RECORD_MEETING: OFFICE_ROLES,
    FieldAction.PLAN_TASK: OFFICE_ROLES,
    FieldAction.CANCEL_TASK: OFFICE_ROLES,
    FieldAction.JOIN_TASK: OFFICE_ROLES | {Role.UNIT_HANDLER},
    FieldAction.RECORD_INSPECTION: SUPERVISOR_ROLES,
    FieldAction.DRAW_SAMPLE: OFFICE_ROLES,
    FieldAction.RECORD_REVISIT: SUPERVISOR_ROLES,
}
