"""Forms of the field-work pages.

Choices come from what the user may see; the meaning of the input (overlaps, items that do
not apply, visits in the future) is checked by the `do_*` actions, whose InvalidInput names
the field at fault.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import Role
from ducha.core.choosers import NOT_IN_SCOPE
from ducha.core.dates import in_range
from ducha.core.forms import PhotosField
from ducha.core.scope import grants_for
from ducha.core.text import LINE, LONG, TITLE, TextField
from ducha.fieldwork.choices import FIELD_ACTION_ROLES, AnswerResult, FieldAction, Method
from ducha.fieldwork.models import ChecklistItem, Task
from ducha.orgs.models import Org, Site, Team
from ducha.orgs.querysets import NOTHING
from ducha.orgs.widgets import Picker, PickerMultiple, sole
from ducha.problems.choices import Urgency
from ducha.problems.filters import ProblemFilter
from ducha.problems.forms import DateTimeInput, ScopedProblemFilters
from ducha.problems.models import FocusArea


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes that the field template draws as large tap targets."""

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(attrs={"class": "form-check-input", **(attrs or {})}, **kwargs)


def active_focus_areas() -> Any:
    return FocusArea.objects.filter(active=True)


def _text(label: Any, required: bool = True, rows: int = 3) -> forms.CharField:
    return TextField(
        label=label,
        required=required,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


# A choice the form does not offer is refused in the API's words (`pick`, the choosers):
# missing and out of scope read alike.
SCOPED: dict[str, Any] = {"invalid_choice": NOT_IN_SCOPE}


class OrgChoiceField(forms.ModelChoiceField):
    default_error_messages = SCOPED

    def label_from_instance(self, obj: Org) -> str:
        return obj.name


class ScopedChoiceField(forms.ModelChoiceField):
    default_error_messages = SCOPED


class ScopedMultipleChoiceField(forms.ModelMultipleChoiceField):
    default_error_messages = SCOPED


class SiteChoiceField(ScopedMultipleChoiceField):
    def label_from_instance(self, obj: Site) -> str:
        return gettext("%(site)s (%(region)s)") % {"site": obj.name, "region": obj.region.name}


# A visit's sites are ticked in a list up to this many, picked by name beyond.
LISTED_SITES = 30
# Visits are recorded on the spot or soon after; older dates are typing mistakes.
OLDEST_VISIT = timedelta(days=366)
# Far enough from the end of the calendar that the overlap window around a day still fits.
LAST_PLANNABLE_DAY = date.max - timedelta(days=366)


class MeetingForm(forms.Form):
    office = OrgChoiceField(label=_("Office"), queryset=Org.objects.none(), empty_label=None)
    held_on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[in_range])
    title = TextField(label=_("Title"), max_length=TITLE)
    attendees = _text(_("Attendees"), required=False, rows=2)
    decisions = _text(_("Decisions"), required=False, rows=6)

    def __init__(self, *args: Any, user: Any, offices: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]


class TaskForm(forms.Form):
    """责任清单: one team, one day, where and against which focus areas."""

    office = OrgChoiceField(label=_("Planned by"), queryset=Org.objects.none(), empty_label=None)
    team = ScopedChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        empty_label=_("Choose…"),
        widget=Picker("teams", params={"active": True}),
    )
    day = forms.DateField(label=_("Day"), widget=DateInput(), validators=[in_range])
    method = forms.ChoiceField(
        label=_("Method"),
        choices=Method.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    focus_areas = ScopedMultipleChoiceField(
        label=_("Focus areas"), queryset=FocusArea.objects.none(), widget=CheckboxList()
    )
    # Every site and region the office sees: a province's thousands, hence pickers.
    sites = SiteChoiceField(
        label=_("Sites"),
        queryset=Site.objects.none(),
        required=False,
        widget=PickerMultiple("sites"),
    )
    regions = ScopedMultipleChoiceField(
        label=_("Regions"),
        queryset=Org.objects.none(),
        required=False,
        widget=PickerMultiple("regions"),
        help_text=_("For visits to a whole town or village rather than named sites."),
    )
    notes = _text(_("Notes"), required=False, rows=3)
    meeting = forms.IntegerField(widget=forms.HiddenInput(), required=False)
    confirm_overlap = forms.BooleanField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args: Any, user: Any, offices: Any, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("day", timezone.localdate() + timedelta(days=1))
        initial.setdefault("method", Method.OPEN)
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["team"].queryset = (  # type: ignore[attr-defined]
            Team.objects.visible_to(user).filter(active=True).order_by("sort_key")
        )
        self.fields["focus_areas"].queryset = active_focus_areas()  # type: ignore[attr-defined]
        self.fields["sites"].queryset = (  # type: ignore[attr-defined]
            Site.objects.visible_to(user)
            .select_related("region")
            .order_by("region__tree_order", "name")
        )
        self.fields["regions"].queryset = (  # type: ignore[attr-defined]
            Org.objects.visible_to(user).regions().order_by("tree_order")
        )

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        if day > LAST_PLANNABLE_DAY:
            raise forms.ValidationError(_("Choose a day within the calendar."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("sites") and not data.get("regions") and not self.errors:
            raise forms.ValidationError(_("Choose at least one site or region."))
        return data


class JoinForm(forms.Form):
    """1+N: another office or department adds its checklist to this visit."""

    org = OrgChoiceField(label=_("Joining as"), queryset=Org.objects.none(), empty_label=None)
    focus_areas = ScopedMultipleChoiceField(
        label=_("Focus areas to check"),
        queryset=FocusArea.objects.none(),
        widget=CheckboxList(),
    )

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_join_%s")
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["focus_areas"].queryset = active_focus_areas()  # type: ignore[attr-defined]


class CancelTaskForm(forms.Form):
    reason = _text(_("Reason"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_cancel_%s")
        super().__init__(*args, **kwargs)


# --- Inspection ------------------------------------------------------------------------


RESULT_CHOICES = AnswerResult.choices


class ItemFields:
    """The bound fields of one checklist question, for the template."""

    def __init__(self, form: InspectionForm, item: ChecklistItem) -> None:
        self.item = item
        self.result = form[f"item_{item.pk}_result"]
        self.note = form[f"item_{item.pk}_note"]
        self.fixed = form[f"item_{item.pk}_fixed"]
        self.evidence = form[f"item_{item.pk}_evidence"]
        self.urgent = form[f"item_{item.pk}_urgent"]
        self.photos = form[f"item_{item.pk}_photos"]
        self.title = form[f"item_{item.pk}_title"]

    @property
    def errors(self) -> list[str]:
        return [
            *self.result.errors,
            *self.title.errors,
            *self.note.errors,
            *self.fixed.errors,
            *self.evidence.errors,
            *self.photos.errors,
        ]


class InspectionForm(forms.Form):
    """The phone form: who, when, how, where, and one answer per checklist question."""

    team = ScopedChoiceField(label=_("Team"), queryset=Team.objects.none(), empty_label=None)
    members_present = ScopedMultipleChoiceField(
        label=_("Members present"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=CheckboxList(),
    )
    visited_at = forms.DateTimeField(
        label=_("Visited at"), widget=DateTimeInput(), validators=[in_range]
    )
    method = forms.ChoiceField(
        label=_("Method"),
        choices=Method.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    sites = SiteChoiceField(label=_("Sites"), queryset=Site.objects.none(), widget=CheckboxList())
    notes = _text(_("Notes"), required=False, rows=2)
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        help_text=_("Take or choose photos of what you found; they are attached to the visit."),
    )
    client_key = forms.UUIDField(widget=forms.HiddenInput())

    def __init__(
        self,
        *args: Any,
        user: Any,
        team: Team,
        sites: Any,
        items: Iterable[ChecklistItem],
        task: Task | None = None,
        **kwargs: Any,
    ) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("team", team.pk)
        initial.setdefault("members_present", [user.pk])
        initial.setdefault("visited_at", timezone.localtime().replace(second=0, microsecond=0))
        initial.setdefault("method", task.method if task else Method.OPEN)
        if task is not None:
            initial.setdefault("sites", [site.pk for site in task.sites.all()])
        # Generated when the form is first drawn and carried along on every resubmission, so
        # a retry after a lost answer is recognised as the same visit.
        initial.setdefault("client_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.task = task
        self.items = list(items)
        self.fields["team"].queryset = Team.objects.filter(pk=team.pk)  # type: ignore[attr-defined]
        self.fields["members_present"].queryset = (  # type: ignore[attr-defined]
            team.members.order_by("name", "pk")
        )
        if sites.count() > LISTED_SITES:
            # A team covering a city sees its thousands of sites: picked by name instead,
            # inside the one region the visit covers when there is one.
            picker = PickerMultiple("sites")
            picker.is_required = self.fields["sites"].required
            picker.narrow(under=sole(region.pk for region in (task or team).regions.all()))
            self.fields["sites"].widget = picker
        self.fields["sites"].queryset = sites  # type: ignore[attr-defined]
        for item in self.items:
            self.fields[f"item_{item.pk}_result"] = forms.ChoiceField(
                label=item.text,
                choices=RESULT_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            # What the problem will be called; proposed by the question, the member may edit.
            self.fields[f"item_{item.pk}_title"] = TextField(
                label=_("Problem title"),
                required=False,
                max_length=TITLE,
                initial=item.problem_title(),
            )
            self.fields[f"item_{item.pk}_note"] = TextField(
                label=_("Note"),
                required=False,
                max_length=LONG,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"item_{item.pk}_fixed"] = forms.BooleanField(
                label=_("Fixed on the spot"), required=False
            )
            self.fields[f"item_{item.pk}_evidence"] = TextField(
                label=_("How it was fixed"),
                required=False,
                max_length=LONG,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"item_{item.pk}_urgent"] = forms.BooleanField(
                label=_("Urgent"), required=False
            )
            self.fields[f"item_{item.pk}_photos"] = PhotosField(
                label=_("Photos of the problem"), required=False
            )

    def clean_visited_at(self) -> datetime:
        visited_at: datetime = self.cleaned_data["visited_at"]
        if visited_at < timezone.now() - OLDEST_VISIT:
            raise forms.ValidationError(_("A visit is recorded within a year of taking place."))
        return visited_at

    @property
    def questions(self) -> list[ItemFields]:
        return [ItemFields(self, item) for item in self.items]

    @property
    def main_fields(self) -> list[Any]:
        return [self[name] for name in ("team", "visited_at", "method", "sites", "members_present")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for item in self.items:
            result = data.get(f"item_{item.pk}_result")
            if result == AnswerResult.FAIL and not data.get(f"item_{item.pk}_note", "").strip():
                self.add_error(f"item_{item.pk}_note", _("Say what is wrong."))
            if data.get(f"item_{item.pk}_fixed") and result != AnswerResult.FAIL:
                self.add_error(
                    f"item_{item.pk}_fixed", _("Only a failed item can be fixed on the spot.")
                )
        return data

    def answers(self) -> list[dict[str, Any]]:
        """The answers as keyword arguments for AnswerInput."""
        data = self.cleaned_data
        return [
            {
                "item": item,
                "result": data[f"item_{item.pk}_result"],
                "note": data.get(f"item_{item.pk}_note", ""),
                "fixed_on_spot": bool(data.get(f"item_{item.pk}_fixed")),
                "evidence_text": data.get(f"item_{item.pk}_evidence", ""),
                "urgency": Urgency.URGENT if data.get(f"item_{item.pk}_urgent") else Urgency.NORMAL,
                "title": data.get(f"item_{item.pk}_title", ""),
            }
            for item in self.items
        ]

    def item_photos(self) -> dict[int, list[Any]]:
        """Photos taken of each failed item; they go to the problem it creates."""
        data = self.cleaned_data
        return {
            item.pk: data.get(f"item_{item.pk}_photos") or []
            for item in self.items
            if data.get(f"item_{item.pk}_result") == AnswerResult.FAIL
        }


def sites_under(user: Any, region_paths: Iterable[str]) -> Any:
    under = NOTHING
    for path in region_paths:
        under |= Q(region__path__startswith=path)
    return Site.objects.visible_to(user).select_related("region").filter(under).order_by("name")


def task_sites(user: Any, task: Task) -> Any:
    """The sites a visit under this task may record: its named sites, or those in its regions."""
    if task.sites.exists():
        sites = Site.objects.visible_to(user).select_related("region")
        return sites.filter(pk__in=task.sites.values("pk")).order_by("name")
    return sites_under(user, task.regions.values_list("path", flat=True))


def team_sites(user: Any, team: Team) -> Any:
    """The sites a team may visit without a task: those in the regions it covers."""
    return sites_under(user, team.regions.values_list("path", flat=True))


def recording_teams(user: Any) -> Any:
    """Teams the user may record a visit for: their own teams, or for an office the teams
    it and the offices below it dispatch."""
    condition = NOTHING
    for grant in grants_for(user):
        if grant.role not in FIELD_ACTION_ROLES[FieldAction.RECORD_INSPECTION]:
            continue
        if grant.role == Role.TEAM_MEMBER:
            condition |= Q(pk=grant.team_id) if grant.team_id else NOTHING
        elif grant.region_path:
            condition |= Q(dispatched_by__path__startswith=grant.region_path)
    return Team.objects.filter(active=True).filter(condition).order_by("sort_key")


class VisitStartForm(forms.Form):
    """A visit without a planned task: first which team and which focus areas to check."""

    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        empty_label=_("Choose…"),
        widget=Picker("teams", params={"active": True}),
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas"), queryset=FocusArea.objects.none(), widget=CheckboxList()
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_start_%s")
        super().__init__(*args, **kwargs)
        teams = recording_teams(user)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["focus_areas"].queryset = active_focus_areas()  # type: ignore[attr-defined]
        if teams.count() == 1:
            self.fields["team"].initial = teams.get().pk


# --- Checklists --------------------------------------------------------------------------


class ChecklistItemForm(forms.Form):
    focus_area = ScopedChoiceField(
        label=_("Focus area"), queryset=FocusArea.objects.none(), empty_label=_("Choose…")
    )
    office = OrgChoiceField(label=_("Office"), queryset=Org.objects.none(), empty_label=None)
    text = TextField(label=_("Question"), max_length=LINE)
    proposed_title = TextField(
        label=_("Problem title if it fails"),
        max_length=TITLE,
        required=False,
        help_text=_("Proposed to the team, who may change it. Empty: built from the question."),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_add_%s")
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["focus_area"].queryset = active_focus_areas()  # type: ignore[attr-defined]


class ReviseItemForm(forms.Form):
    text = TextField(label=_("Question"), max_length=LINE)
    proposed_title = TextField(
        label=_("Problem title if it fails"),
        max_length=TITLE,
        required=False,
        help_text=_("Proposed to the team, who may change it. Empty: built from the question."),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, required=False)

    def __init__(self, *args: Any, item: ChecklistItem, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_item{item.pk}_%s")
        kwargs.setdefault(
            "initial",
            {"text": item.text, "proposed_title": item.proposed_title, "position": item.position},
        )
        super().__init__(*args, **kwargs)
        self.item = item


# --- Revisits ----------------------------------------------------------------------------


class SampleForm(forms.Form):
    """杀回马枪: draw recently closed problems at random for a surprise return visit."""

    office = OrgChoiceField(label=_("Office"), queryset=Org.objects.none(), empty_label=None)
    size = forms.IntegerField(label=_("How many"), min_value=1, max_value=100, initial=5)
    closed_within_days = forms.IntegerField(
        label=_("Closed within (days)"), min_value=1, max_value=366, initial=30
    )

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_sample_%s")
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]


class RevisitResultForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Still fixed")), ("0", _("The problem is back"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = _text(_("What was found"), required=False, rows=2)

    def __init__(self, *args: Any, revisit_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_revisit{revisit_id}_%s")
        super().__init__(*args, **kwargs)


class RevisitFilterForm(ScopedProblemFilters):
    """GET filters of the revisits due, by their problem; every choice limited to what the
    user can see, as on the problem list."""

    late = forms.BooleanField(label=_("Late only"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_filter_%s")
        super().__init__(*args, user=user, **kwargs)

    def problem_filter(self) -> ProblemFilter:
        return self.scope_filter()
