"""Import batches: one uploaded ledger file, its check report, and the problems it created."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.events import ImmutableEvent
from ducha.ledger.choices import BatchAction, BatchKind, BatchState
from ducha.ledger.querysets import ImportBatchQuerySet


def batch_path(batch: ImportBatch, filename: str) -> str:
    # Stored under the content's hash, never under the uploader's file name.
    return timezone.now().strftime("ledger/imports/%Y/%m/") + f"{batch.sha256}.xlsx"


class ImportBatch(models.Model):
    """导入批次: who uploaded which ledger file, what the check found, and what came of it."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    # The jurisdiction the uploader recorded problems in; its offices may read the batch.
    region = models.ForeignKey(
        "orgs.Org",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jurisdiction"),
    )
    # Problems (the default) or enterprises of the 复工复产 ledger: which columns the file
    # has, how its rows are checked, and what they become.
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=BatchKind.choices,
        default=BatchKind.PROBLEMS,
        editable=False,
    )
    file = models.FileField(_("file"), upload_to=batch_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True, default="")
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=BatchState.choices,
        default=BatchState.UPLOADED,
        editable=False,
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_valid = models.PositiveIntegerField(_("valid rows"), default=0)
    rows_invalid = models.PositiveIntegerField(_("rows with errors"), default=0)
    # {"errors": [{"row", "column", "code", "params"}], "valid_rows": [...], "failure": {...}}
    report = models.JSONField(default=dict, blank=True)
    # Rows read so far while checking (of an estimated total; 0 when unknown); while
    # importing, rows imported by the committed chunks.
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # The import's lease: renewed by every committed chunk; an import without progress for
    # DUCHA_LEDGER_IMPORT_LEASE seconds has lost its run and may be resumed or cancelled.
    progress_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_total=F("rows_valid") + F("rows_invalid")),
                name="import_batch_rows_add_up",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[BatchState.IMPORTING, BatchState.IMPORTED])
                | Q(confirmed_at__isnull=False, confirmed_by__isnull=False),
                name="import_batch_imported_after_confirm",
            ),
            models.CheckConstraint(
                condition=~Q(state=BatchState.IMPORTED) | Q(finished_at__isnull=False),
                name="import_batch_imported_has_finished_at",
            ),
        ]
        indexes = [models.Index(fields=["uploaded_by", "-uploaded_at"], name="batch_uploader")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def errors(self) -> list[dict]:
        return list(self.report.get("errors", []))

    @property
    def valid_rows(self) -> list[int]:
        return [int(n) for n in self.report.get("valid_rows", [])]

    @property
    def failure(self) -> dict | None:
        return self.report.get("failure") or None

    @property
    def is_working(self) -> bool:
        """A background job is (or should be) busy with it: the page keeps polling."""
        return self.state in (BatchState.UPLOADED, BatchState.IMPORTING)


class ImportedProblem(models.Model):
    """One problem created by a batch, and the row of the file it came from."""

    batch = models.ForeignKey(ImportBatch, models.PROTECT, related_name="imported")
    row = models.PositiveIntegerField(_("row"))
    problem = models.OneToOneField(
        "problems.Problem", models.PROTECT, related_name="import_row", verbose_name=_("problem")
    )

    class Meta:
        verbose_name = _("imported problem")
        verbose_name_plural = _("imported problems")
        ordering = ["batch", "row"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row"], name="imported_problem_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row}"


class ImportedEnterprise(models.Model):
    """One row of an enterprise ledger imported: the enterprise it created or updated.

    What an import that stopped half way resumes after, as `ImportedProblem` is for problems.
    """

    batch = models.ForeignKey(ImportBatch, models.PROTECT, related_name="imported_enterprises")
    row = models.PositiveIntegerField(_("row"))
    enterprise = models.ForeignKey(
        "resumption.Enterprise",
        models.PROTECT,
        related_name="import_rows",
        verbose_name=_("enterprise"),
    )
    created = models.BooleanField(_("new"), default=True)

    class Meta:
        verbose_name = _("imported enterprise")
        verbose_name_plural = _("imported enterprises")
        ordering = ["batch", "row"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row"], name="imported_enterprise_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row}"


class ImportEvent(ImmutableEvent):
    """One immutable row per change of a batch."""

    batch = models.ForeignKey(ImportBatch, models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=12, choices=BatchAction.choices)
    from_state = models.CharField(max_length=10, choices=BatchState.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=BatchState.choices)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("import event")
        verbose_name_plural = _("import events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.batch_id}"
