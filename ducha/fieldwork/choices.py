from django.db import models
from django.utils.translation import gettext_lazy as _


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
