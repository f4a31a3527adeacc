"""Field work: checklists, meetings and the tasks they decide, inspections, evidence, revisits."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.events import ImmutableEvent
from ducha.fieldwork.choices import (
    AnswerResult,
    CaptureClock,
    EvidenceKind,
    Method,
    RevisitState,
    TaskState,
)
from ducha.fieldwork.querysets import (
    ChecklistItemQuerySet,
    EvidenceQuerySet,
    InspectionQuerySet,
    MeetingQuerySet,
    RevisitQuerySet,
    TaskQuerySet,
)
from ducha.orgs.models import Org, RegionLevels
from ducha.problems.choices import PhotoStage


class ChecklistItem(models.Model):
    """检查清单: one question under a focus area. Edits make a new version; old rows stay.

    `office` null means the item is shared by every jurisdiction; otherwise it belongs to that
    office and applies in its jurisdiction.
    """

    focus_area = models.ForeignKey(
        "problems.FocusArea",
        models.PROTECT,
        related_name="checklist_items",
        verbose_name=_("focus area"),
    )
    office = models.ForeignKey(
        Org,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="checklist_items",
        verbose_name=_("office"),
    )
    text = models.CharField(_("question"), max_length=300)
    # What a failed answer proposes as the problem's title; empty: one built from the question.
    proposed_title = models.CharField(
        _("proposed problem title"), max_length=200, blank=True, default=""
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    # The version this row replaced; inspections keep pointing at the version they asked.
    replaces = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["focus_area", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    def problem_title(self) -> str:
        """The title a failed answer proposes for its problem; the member may change it."""
        return self.proposed_title or title_from_question(self.text)


# Words a question asks with ("is it done?"), and what says it is not done.
_ASKING = (("是否", "未"), ("有没有", "没有"), ("能否", "不能"))
_CLAUSE_END = re.compile(r"[，,；;。？?！!]")


def title_from_question(text: str) -> str:
    """A short negated form of a checklist question: "卡口是否逐车登记，…？" → "卡口未逐车登记".

    Only its first clause, and only the first asking word turned; other questions keep
    their words without the question mark."""
    first = _CLAUSE_END.split(text.strip(), maxsplit=1)[0].strip() or text.strip()
    for asking, negated in _ASKING:
        if asking in first:
            first = first.replace(asking, negated, 1)
            break
    return first[:200]


class Meeting(models.Model):
    """会商会 / 日例会: the office's meeting whose decisions become tomorrow's tasks."""

    office = models.ForeignKey(
        Org, models.PROTECT, related_name="meetings", verbose_name=_("office")
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    attendees = models.TextField(_("attendees"), blank=True, default="")
    decisions = models.TextField(_("decisions"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class AgendaTick(models.Model):
    """An item of an office's meeting agenda (会商议程) marked as discussed on that day.

    The agenda itself is computed each time (ducha/daily/agenda.py); only the ticks are kept,
    so that they survive a reload and another person's screen shows them too. Unticking
    removes the row; the field-work events keep every tick and untick.
    """

    office = models.ForeignKey(Org, models.PROTECT, related_name="+")
    day = models.DateField()
    problem = models.ForeignKey("problems.Problem", models.PROTECT, related_name="+")
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    ticked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agenda tick")
        verbose_name_plural = _("agenda ticks")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "problem"], name="agenda_tick_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} · {self.day} · {self.problem_id}"


class Task(models.Model):
    """责任清单: what one team checks on one day, where, how, against which focus areas."""

    office = models.ForeignKey(
        Org, models.PROTECT, related_name="planned_tasks", verbose_name=_("planned by")
    )
    meeting = models.ForeignKey(
        Meeting,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("meeting"),
    )
    team = models.ForeignKey(
        "orgs.Team", models.PROTECT, related_name="tasks", verbose_name=_("team")
    )
    day = models.DateField(_("day"), db_index=True)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    sites = models.ManyToManyField(
        "orgs.Site", blank=True, related_name="tasks", verbose_name=_("sites")
    )
    regions = models.ManyToManyField(Org, blank=True, related_name="+", verbose_name=_("regions"))
    focus_areas = models.ManyToManyField(
        "problems.FocusArea", related_name="tasks", verbose_name=_("focus areas")
    )
    # 1+N: other offices or departments that joined this visit instead of making their own.
    participants = models.ManyToManyField(
        Org, blank=True, related_name="joined_tasks", verbose_name=_("joined by")
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=TaskState.choices,
        default=TaskState.PLANNED,
        editable=False,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["day", "team", "pk"]

    def __str__(self) -> str:
        return f"{self.day} · {self.team}"

    @property
    def is_secret(self) -> bool:
        """A planned unannounced visit is hidden from those it inspects until it happens."""
        return self.method == Method.UNANNOUNCED and self.state == TaskState.PLANNED


class Inspection(RegionLevels):
    """督查: one visit of a team to one or more sites, with its checklist answers."""

    team = models.ForeignKey(
        "orgs.Team", models.PROTECT, related_name="inspections", verbose_name=_("team")
    )
    task = models.ForeignKey(
        Task,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("task"),
    )
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    visited_at = models.DateTimeField(_("visited at"), db_index=True)
    region = models.ForeignKey(
        Org,
        models.PROTECT,
        related_name="inspections",
        verbose_name=_("region"),
        limit_choices_to={"kind": "region"},
    )
    sites = models.ManyToManyField("orgs.Site", related_name="inspections", verbose_name=_("sites"))
    members_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("members present")
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    # The words of its notes and its answers' notes, as ducha.core.search cuts them; the
    # full-text index reads this column (docs/search.md).
    search_text = models.TextField(blank=True, default="", editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    # A retried submission carries the same key and gets the first result back.
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-visited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.team} · {self.visited_at:%Y-%m-%d}"


class Answer(models.Model):
    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, models.PROTECT, related_name="answers")
    result = models.CharField(_("result"), max_length=4, choices=AnswerResult.choices)
    note = models.TextField(_("note"), blank=True, default="")
    problem = models.OneToOneField(
        "problems.Problem", models.PROTECT, null=True, blank=True, related_name="answer"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["item__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="answer_once_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_result_display()}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # Stored under its hash with our own extension: the user's file name never reaches the disk.
    now = timezone.now()
    return f"evidence/{now:%Y/%m}/{instance.sha256}{instance.extension}"


class Evidence(models.Model):
    """佐证材料: a photo or file attached to an inspection, a problem or a rectification."""

    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    thumbnail = models.FileField(
        upload_to="evidence/thumbs/%Y/%m/", null=True, blank=True, max_length=200
    )
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    original_name = models.CharField(_("file name"), max_length=200)
    inspection = models.ForeignKey(
        Inspection, models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    problem = models.ForeignKey(
        "problems.Problem", models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    # Set when the file documents one step of the loop (a rectification report).
    problem_event = models.ForeignKey(
        "problems.ProblemEvent", models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    # A rectification report's photo shows the state before the fix or after it.
    stage = models.CharField(
        _("before or after"), max_length=8, choices=PhotoStage.choices, blank=True, default=""
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # What the phone said when the photo was taken in the field app (docs/field-app.md): its
    # clock and, if the member allowed it, its position. Kept beside `uploaded_at`, the
    # server's own time, never instead of it.
    captured_at = models.DateTimeField(_("taken at (phone's clock)"), null=True, blank=True)
    capture_clock = models.CharField(
        _("phone's clock"), max_length=8, choices=CaptureClock.choices, blank=True, default=""
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # Metres, as the phone estimated them.
    position_accuracy = models.PositiveIntegerField(null=True, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(inspection__isnull=False, problem__isnull=True)
                | models.Q(inspection__isnull=True, problem__isnull=False),
                name="evidence_belongs_to_one_object",
            ),
            models.CheckConstraint(
                condition=models.Q(stage="") | models.Q(problem_event__isnull=False),
                name="evidence_stage_only_on_a_report",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class Revisit(models.Model):
    """回头看: a return visit scheduled when a problem closes, or drawn at random (杀回马枪)."""

    problem = models.ForeignKey(
        "problems.Problem", models.PROTECT, related_name="revisits", verbose_name=_("problem")
    )
    due_on = models.DateField(_("due on"), db_index=True)
    sampled = models.BooleanField(_("drawn at random"), default=False)
    # The office that drew a sample: until the revisit happens only it and its teams see it.
    office = models.ForeignKey(
        Org,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=RevisitState.choices,
        default=RevisitState.DUE,
        editable=False,
    )
    inspection = models.ForeignKey(
        Inspection, models.PROTECT, null=True, blank=True, related_name="revisits"
    )
    note = models.TextField(_("note"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RevisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("revisit")
        verbose_name_plural = _("revisits")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.problem} · {self.due_on}"


class FieldEvent(ImmutableEvent):
    """One immutable row per field-work action (planning, joining, recording, revisiting)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=32)
    meeting = models.ForeignKey(
        Meeting, models.PROTECT, null=True, blank=True, related_name="events"
    )
    task = models.ForeignKey(Task, models.PROTECT, null=True, blank=True, related_name="events")
    inspection = models.ForeignKey(
        Inspection, models.PROTECT, null=True, blank=True, related_name="events"
    )
    revisit = models.ForeignKey(
        Revisit, models.PROTECT, null=True, blank=True, related_name="events"
    )
    checklist_item = models.ForeignKey(
        ChecklistItem, models.PROTECT, null=True, blank=True, related_name="events"
    )
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("field-work event")
        verbose_name_plural = _("field-work events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.action
