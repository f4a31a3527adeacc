"""Problems and their immutable event log."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.events import ImmutableEvent, ImmutableEventError
from ducha.orgs.models import Org, RegionLevels, level_key
from ducha.problems.choices import (
    CLOCKED_STATES,
    OPEN_STATES,
    Action,
    ChaseStepKind,
    Nature,
    State,
    TrafficLight,
    Urgency,
)
from ducha.problems.querysets import ProblemQuerySet


class FocusArea(models.Model):
    """督查重点: what supervision concentrates on; may override the loop's deadlines."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True, default="")
    deadline_hours = models.PositiveIntegerField(
        _("deadline (hours)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the default of 72 hours."),
    )
    urgent_deadline_hours = models.PositiveIntegerField(
        _("urgent deadline (hours)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the default of 24 hours."),
    )
    revisit_after_days = models.PositiveIntegerField(
        _("revisit after (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the default of 14 days."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline_hours__isnull=True) | models.Q(deadline_hours__gt=0),
                name="focus_area_deadline_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(urgent_deadline_hours__isnull=True)
                | models.Q(urgent_deadline_hours__gt=0),
                name="focus_area_urgent_deadline_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def allowed_hours(self, urgency: str) -> int:
        if urgency == Urgency.URGENT:
            return self.urgent_deadline_hours or settings.DUCHA_URGENT_DEADLINE_HOURS
        return self.deadline_hours or settings.DUCHA_DEFAULT_DEADLINE_HOURS


MOMENT_BREAKDOWN = [
    "province",
    "city",
    "county",
    "town",
    "village",
    "focus_area",
    "team",
    "responsible_org",
]


def light_of(
    state: str, deadline: datetime, yellow_at: datetime, now: datetime | None = None
) -> str | None:
    """A problem's light from its columns (`Problem.light_at`), for lists read as values."""
    if state not in CLOCKED_STATES:
        return None
    now = now or timezone.now()
    if now >= deadline:
        return TrafficLight.RED
    if now >= yellow_at:
        return TrafficLight.YELLOW
    return TrafficLight.GREEN


class Problem(RegionLevels):
    """问题: one finding, and where it stands in the loop."""

    # Each leads a composite index below (problem_<level>_found and the state indexes), which
    # serves every lookup by the level alone; an index of its own would only cost inserts.
    province = level_key(db_index=False)
    city = level_key(db_index=False)
    county = level_key(db_index=False)
    town = level_key(db_index=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    region = models.ForeignKey(
        Org,
        models.PROTECT,
        related_name="problems",
        verbose_name=_("region"),
        limit_choices_to={"kind": "region"},
    )
    site = models.ForeignKey(
        "orgs.Site",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("site"),
    )
    focus_area = models.ForeignKey(
        FocusArea, models.PROTECT, related_name="problems", verbose_name=_("focus area")
    )
    team = models.ForeignKey(
        "orgs.Team",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("found by team"),
    )
    inspection = models.ForeignKey(
        "fieldwork.Inspection",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("found during inspection"),
    )
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="found_problems",
        verbose_name=_("recorded by"),
    )
    found_at = models.DateTimeField(_("found at"), db_index=True)
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    nature = models.CharField(
        _("nature"), max_length=12, choices=Nature.choices, default=Nature.INDIVIDUAL
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.NEW, editable=False
    )
    responsible_org = models.ForeignKey(
        Org,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_problems",
        verbose_name=_("responsible unit"),
        editable=False,
    )
    deadline = models.DateTimeField(_("deadline"), editable=False)
    # When the light turns yellow; stored so the light is a plain indexed comparison.
    yellow_at = models.DateTimeField(editable=False)
    # 签收: when the responsible unit acknowledged the assignment; cleared when the problem
    # goes to another unit or back to one (reassigned, reopened).
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True, editable=False)
    # When the problem last went to a unit (交, reassigned, reopened): what signing is
    # measured from, and the start of the clock that DUCHA_CLOCK_STARTS="signing" moves.
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True, editable=False)
    reported_to = models.ForeignKey(
        Org,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_problems",
        verbose_name=_("reported to"),
        editable=False,
    )
    rule = models.TextField(_("lasting rule"), blank=True, default="", editable=False)
    # The words of its title, description, reports, verification comments and rules, as
    # ducha.core.search cuts them; the full-text index reads this column (docs/search.md).
    search_text = models.TextField(blank=True, default="", editable=False)
    on_the_spot = models.BooleanField(_("rectified on the spot"), default=False, editable=False)
    recurring = models.BooleanField(_("recurring"), default=False, editable=False)
    # 屡查屡犯: the latest earlier problem of the same focus area at the same site that was
    # already closed when this one was found.
    repeat_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("repeat of"),
        editable=False,
    )
    # 升级: when the ladder last escalated the problem, and to whom (the unit's superior org
    # and the office above). It counts while it is later than the deadline: a new deadline
    # (extension, reopening) takes the problem off the escalated queues until escalated again.
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True, editable=False)
    escalated_to = models.ForeignKey(
        Org,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to"),
        editable=False,
        db_index=False,
    )
    escalated_office = models.ForeignKey(
        Org,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to the office"),
        editable=False,
        db_index=False,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    time_to_close = models.DurationField(_("time to close"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Moves on with every action, in the action's own UPDATE: the ETag of the problem, and
    # what a form or an If-Match holds an action to (docs/decisions/0012). The database
    # default lets bulk loaders that name their columns leave it out.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    # A retried recording carries the same key and gets the first problem back.
    client_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-found_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="problem_state_deadline"),
            # Dashboards count the problems whose clock runs and whose deadline or yellow
            # moment came in the current hour from these alone (index-only): the moment first,
            # then every column the count is broken down by. The condition is the query's
            # own: SQLite proves no subset of an IN list, so only then may it use them.
            models.Index(
                fields=["deadline", *MOMENT_BREAKDOWN],
                name="problem_clocked_deadline",
                condition=models.Q(state__in=CLOCKED_STATES),
            ),
            models.Index(
                fields=["yellow_at", *MOMENT_BREAKDOWN],
                name="problem_clocked_yellow",
                condition=models.Q(state__in=CLOCKED_STATES),
            ),
            models.Index(fields=["province", "-found_at"], name="problem_province_found"),
            models.Index(fields=["city", "-found_at"], name="problem_city_found"),
            models.Index(fields=["county", "-found_at"], name="problem_county_found"),
            models.Index(fields=["town", "-found_at"], name="problem_town_found"),
            # The stats line and the per-child-region counts of a large scope read only these
            # columns, so they are answered from the index alone (see docs/performance.md).
            models.Index(fields=["province", "city", "state"], name="problem_province_city_state"),
            models.Index(fields=["city", "county", "state"], name="problem_city_county_state"),
            models.Index(fields=["county", "town", "state"], name="problem_county_town_state"),
            # The escalated queues: few rows of the table are escalated, so only they are
            # indexed (the foreign keys carry no full index of their own).
            models.Index(
                fields=["escalated_to", "deadline"],
                name="problem_escalated_to",
                condition=models.Q(escalated_at__isnull=False),
            ),
            models.Index(
                fields=["escalated_office", "deadline"],
                name="problem_escalated_office",
                condition=models.Q(escalated_at__isnull=False),
            ),
            # 屡查屡犯: the latest closed problem of a kind at a site, read by every recording
            # at a site; closed rows only, so recording a new problem does not write it.
            models.Index(
                fields=["site", "focus_area", "-closed_at"],
                name="problem_site_area_closed",
                condition=models.Q(state=State.CLOSED),
            ),
            # 签收: what waits to be signed for is few rows at any time, read oldest first by
            # the queues, the units page and the reminder ladder.
            models.Index(
                fields=["assigned_at"],
                name="problem_unsigned",
                condition=models.Q(state=State.ASSIGNED, signed_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state=State.CLOSED, closed_at__isnull=False)
                | (~models.Q(state=State.CLOSED) & models.Q(closed_at__isnull=True)),
                name="problem_closed_at_iff_closed",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=[State.NEW])
                | models.Q(responsible_org__isnull=False)
                | models.Q(on_the_spot=True),
                name="problem_unit_once_assigned",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("found_at")),
                name="problem_deadline_after_found",
            ),
            # Per user: a key only ever replays its own author's problem.
            models.UniqueConstraint(
                fields=["found_by", "client_key"],
                name="problem_client_key_per_user",
                condition=models.Q(client_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_clocked(self) -> bool:
        """Open and its clock running: not closed, and no dispute awaiting the office."""
        return self.state in CLOCKED_STATES

    @property
    def clock_paused(self) -> bool:
        return self.state == State.DISPUTED

    def light_at(self, now: datetime | None = None) -> str | None:
        """Green / yellow / red while the clock runs; None once closed or while disputed."""
        return light_of(self.state, self.deadline, self.yellow_at, now)

    @property
    def light(self) -> str | None:
        return self.light_at()

    @property
    def is_overdue(self) -> bool:
        return self.light == TrafficLight.RED

    @property
    def is_repeat(self) -> bool:
        """反复: found again after closing (reopened), or again at the same site (屡查屡犯)."""
        return self.recurring or self.repeat_of_id is not None

    @property
    def closed_late(self) -> bool:
        return bool(self.closed_at and self.closed_at > self.deadline)

    def set_deadline(self, deadline: datetime, start: datetime | None = None) -> None:
        """Set the deadline; the light is measured over the window from `start` to it."""
        self.deadline = deadline
        allowed: timedelta = deadline - (start or self.found_at)
        self.yellow_at = deadline - allowed * settings.DUCHA_YELLOW_SHARE


class ProblemEvent(ImmutableEvent):
    """One immutable row per action: who did what, when, and from which state to which."""

    # event_problem_time leads with the problem: no index of its own (every action writes one).
    problem = models.ForeignKey(Problem, models.PROTECT, related_name="events", db_index=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=24, choices=Action.choices)
    from_state = models.CharField(max_length=12, choices=State.choices, blank=True, default="")
    to_state = models.CharField(max_length=12, choices=State.choices)
    comment = models.TextField(blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["problem", "created_at"], name="event_problem_time")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.problem_id}"


class ChaseStep(models.Model):
    """A step of the escalation ladder taken on a problem for one deadline.

    Written in the transaction of the step's event; the unique constraint is what makes a
    step happen once per problem and deadline, however often and by however many workers the
    ladder runs. A new deadline is a new key, so its steps are due again.
    """

    problem = models.ForeignKey(Problem, models.CASCADE, related_name="chase_steps")
    step = models.CharField(max_length=12, choices=ChaseStepKind.choices)
    deadline = models.DateTimeField()
    taken_at = models.DateTimeField()
    event = models.ForeignKey(ProblemEvent, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ladder step")
        verbose_name_plural = _("ladder steps")
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "step", "deadline"], name="chase_step_once_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} · {self.step} · {self.deadline:%Y-%m-%d %H:%M}"


class ExtensionState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Extension(models.Model):
    """延期申请: a unit asks for a later deadline; an office of the problem's scope decides.

    Rows change only through `problems.extensions`; each request and decision also writes
    its event, so the log holds the story and this table the figures."""

    problem = models.ForeignKey(Problem, models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"))
    current_deadline = models.DateTimeField(_("deadline when requested"))
    requested_deadline = models.DateTimeField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ExtensionState.choices,
        default=ExtensionState.REQUESTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True, default="")
    granted_deadline = models.DateTimeField(_("granted deadline"), null=True, blank=True)
    # Days the granted deadline lies after the one it replaced (kept: that deadline may have
    # moved since the request, and the figures sum this).
    days_granted = models.DecimalField(
        _("days granted"), max_digits=7, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["requested_at", "pk"]
        constraints = [
            # At most one request waits for a decision per problem, even under a race.
            models.UniqueConstraint(
                fields=["problem"],
                condition=models.Q(state="requested"),
                name="extension_one_pending_per_problem",
            ),
            models.CheckConstraint(
                condition=models.Q(requested_deadline__gt=models.F("current_deadline")),
                name="extension_requested_after_current",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="approved") | models.Q(granted_deadline__isnull=False),
                name="extension_approved_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} · {self.get_state_display()}"


__all__ = [
    "ChaseStep",
    "Extension",
    "ExtensionState",
    "FocusArea",
    "ImmutableEventError",
    "Problem",
    "ProblemEvent",
]
