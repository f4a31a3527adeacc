"""Official documents written from the data, their numbers, files and history.

A document is a draft until it is issued; from then on it is a record: its number, text,
figures, linked problems (each with a snapshot as it stood then) and files never change.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.events import ImmutableEvent
from ducha.documents.choices import DocState, EventAction, FileFormat, Kind
from ducha.documents.querysets import DocumentLocked, DocumentQuerySet
from ducha.orgs.choices import OrgKind


class Letterhead(models.Model):
    """How an office heads its documents: its masthead and its reference prefix (机关代字)."""

    org = models.OneToOneField(
        "orgs.Org",
        models.CASCADE,
        related_name="letterhead",
        verbose_name=_("office"),
        limit_choices_to={"kind": OrgKind.OFFICE},
    )
    masthead = models.CharField(
        _("masthead"),
        max_length=60,
        blank=True,
        default="",
        help_text=_("The issuing body's name in red at the top; the office's name when empty."),
    )
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=12,
        blank=True,
        default="",
        help_text=_(
            "Short name in document references, such as 高新督办 in 高新督办函〔2026〕12号."
        ),
    )

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self) -> str:
        return self.masthead or str(self.org)


class Document(models.Model):
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=8, choices=DocState.choices, default=DocState.DRAFT, editable=False
    )
    issuer = models.ForeignKey(
        "orgs.Org",
        models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("issuing office"),
    )
    recipient = models.ForeignKey(
        "orgs.Org",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="received_documents",
        verbose_name=_("addressed to"),
    )
    title = models.CharField(_("title"), max_length=200)
    # 主送: the line naming who the document is for.
    addressee = models.CharField(_("main recipients"), max_length=300, blank=True, default="")
    # 抄送: who else receives it, printed in the 版记 at the foot of the last page.
    copy_to = models.CharField(_("copy to"), max_length=300, blank=True, default="")
    # The day the figures are stated for; set at issue for kinds that state today's figures.
    as_of = models.DateField(_("as of"))
    # The choices the document was drafted from (ids and filters), so it can be redrafted.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # Text the office writes, by section key.
    texts = models.JSONField(_("texts"), default=dict, blank=True)
    # Figures and tables drafted from the data: refreshed at issue, then kept as issued.
    data = models.JSONField(_("data"), default=dict, blank=True, editable=False)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    reference = models.CharField(
        _("document reference"), max_length=64, blank=True, default="", editable=False
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
        editable=False,
    )
    # The words of its title, reference and written sections, as ducha.core.search cuts them;
    # the full-text index reads this column (docs/search.md).
    search_text = models.TextField(blank=True, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("drafted at"), editable=False)
    updated_at = models.DateTimeField(_("updated at"), editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["issuer", "-created_at"], name="document_issuer_created"),
            models.Index(fields=["recipient", "state"], name="document_recipient_state"),
        ]
        constraints = [
            # The backstop of numbering: never two documents with one number in a series.
            models.UniqueConstraint(
                fields=["issuer", "kind", "year", "number"],
                condition=models.Q(number__isnull=False),
                name="document_number_unique",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        state=DocState.DRAFT,
                        number__isnull=True,
                        year__isnull=True,
                        issued_at__isnull=True,
                        issued_by__isnull=True,
                    )
                    | models.Q(
                        state=DocState.ISSUED,
                        number__gt=0,
                        year__isnull=False,
                        issued_at__isnull=False,
                        issued_by__isnull=False,
                    )
                ),
                name="document_numbered_iff_issued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if (
            self.pk is not None
            and type(self)._base_manager.filter(pk=self.pk, state=DocState.ISSUED).exists()
        ):
            raise DocumentLocked
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if type(self)._base_manager.filter(pk=self.pk, state=DocState.ISSUED).exists():
            raise DocumentLocked
        return super().delete(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.state == DocState.ISSUED


class DocumentProblem(ImmutableEvent):
    """A problem named in an issued document, as it stood at the moment of issue.

    Written once at issue, like an event; `responsible_org` is the unit at that moment.
    """

    document = models.ForeignKey(Document, models.PROTECT, related_name="listed")
    problem = models.ForeignKey("problems.Problem", models.PROTECT, related_name="document_entries")
    position = models.PositiveIntegerField()
    responsible_org = models.ForeignKey(
        "orgs.Org", models.PROTECT, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("problem in a document")
        verbose_name_plural = _("problems in documents")
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "problem"], name="document_problem_once"),
            models.UniqueConstraint(fields=["document", "position"], name="document_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.position}"


def document_file_path(instance: DocumentFile, filename: str) -> str:
    # Stored under the content's hash: the name says nothing the record does not.
    return f"documents/{instance.created_at:%Y/%m}/{instance.sha256}.{instance.format}"


class DocumentFile(ImmutableEvent):
    """A file generated at issue (.docx always, .xlsx for lists), kept with its SHA-256."""

    document = models.ForeignKey(Document, models.PROTECT, related_name="files")
    format = models.CharField(max_length=8, choices=FileFormat.choices)
    file = models.FileField(upload_to=document_file_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document", "format"]
        constraints = [
            models.UniqueConstraint(fields=["document", "format"], name="document_file_once"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}.{self.format}"


class DocumentCounter(models.Model):
    """The last number given in one series: issuing office × kind × calendar year.

    Locked by the issuing transaction, so concurrent issues take 1, 2, 3 … in turn.
    """

    issuer = models.ForeignKey("orgs.Org", models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "kind", "year"], name="document_counter_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer_id} {self.kind} {self.year}: {self.last_number}"


class DocumentEvent(ImmutableEvent):
    """One immutable row per action on a document: drafted, edited, issued."""

    document = models.ForeignKey(Document, models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=EventAction.choices)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("document event")
        verbose_name_plural = _("document events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.document_id}"
