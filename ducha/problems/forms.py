"""Forms of the problem pages: the list filters, recording a problem, and one per action.

Forms only validate shape and scope (choices come from what the user may see); the meaning
of an action's input is checked by its `do_*` function, whose InvalidInput names the field.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ducha.core.dates import in_range
from ducha.core.forms import PhotosField
from ducha.core.scope import grants_for
from ducha.core.search import SearchField
from ducha.core.text import LONG, TITLE, TextField
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org, Site, Team
from ducha.orgs.tree import UNIT_KINDS
from ducha.orgs.widgets import Picker
from ducha.problems import choosers
from ducha.problems.choices import (
    ACTION_ROLES,
    Action,
    DisputeDecision,
    ExtensionDecision,
    Nature,
    State,
    TrafficLight,
    Urgency,
)
from ducha.problems.filters import ProblemFilter
from ducha.problems.models import FocusArea, Problem

ANY = [("", _("Any"))]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RegionChoiceField(forms.ModelChoiceField):
    """A region, picked by typing part of its name (a province holds thousands)."""

    widget = Picker("regions")

    def limit_to(self, queryset: Any, user: Any) -> None:
        self.queryset = queryset.order_by("tree_order")


class ScopedProblemFilters(forms.Form):
    """The filters of problems by where and by whom (region, focus area, team, unit), every
    choice limited to what the user can see: the list's, and the revisits' by their problem."""

    region = RegionChoiceField(
        label=_("Region"), queryset=Org.objects.none(), required=False, empty_label=_("Any")
    )
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"),
        queryset=FocusArea.objects.all(),
        required=False,
        empty_label=_("Any"),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Any"),
        widget=Picker("teams"),
    )
    responsible_org = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=Org.objects.none(),
        required=False,
        empty_label=_("Any"),
        widget=Picker("units"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible_orgs = Org.objects.visible_to(user)
        region_field: RegionChoiceField = self.fields["region"]  # type: ignore[assignment]
        region_field.limit_to(visible_orgs.regions(), user)
        self.fields["team"].queryset = Team.objects.visible_to(user)  # type: ignore[attr-defined]
        # Every kind a problem can be handed to, as the units' lookup offers them.
        self.fields["responsible_org"].queryset = visible_orgs.filter(  # type: ignore[attr-defined]
            kind__in=UNIT_KINDS
        )

    def scope_filter(self) -> ProblemFilter:
        data = self.cleaned_data
        return ProblemFilter(
            region=data.get("region"),
            focus_area_id=data["focus_area"].pk if data.get("focus_area") else None,
            team_id=data["team"].pk if data.get("team") else None,
            responsible_org_id=data["responsible_org"].pk if data.get("responsible_org") else None,
        )

    @property
    def active_count(self) -> int:
        if not self.is_bound or not self.is_valid():
            return 0
        # An unticked box filters nothing; "not overdue" (False from a choice) does.
        return sum(
            1
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
            and not (value is False and isinstance(self.fields[name], forms.BooleanField))
        )


class ProblemFilterForm(ScopedProblemFilters):
    """GET filters of the list; every choice is limited to what the user can see."""

    field_order = [
        "q",
        "region",
        "state",
        "light",
        "overdue",
        "focus_area",
        "team",
        "responsible_org",
        "nature",
        "urgency",
        "closed_late",
        "max_hours_to_close",
    ]

    q = SearchField()
    state = forms.ChoiceField(label=_("State"), choices=ANY + State.choices, required=False)
    light = forms.ChoiceField(
        label=_("Traffic light"), choices=ANY + TrafficLight.choices, required=False
    )
    overdue = forms.TypedChoiceField(
        label=_("Overdue"),
        choices=[*ANY, ("1", _("Overdue only")), ("0", _("Not overdue"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
    )
    nature = forms.ChoiceField(label=_("Nature"), choices=ANY + Nature.choices, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=ANY + Urgency.choices, required=False)
    closed_late = forms.TypedChoiceField(
        label=_("Closed"),
        choices=[*ANY, ("1", _("After the deadline")), ("0", _("By the deadline"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
    )
    max_hours_to_close = forms.IntegerField(
        label=_("Closed within (hours)"), min_value=1, max_value=100_000, required=False
    )

    def problem_filter(self) -> ProblemFilter:
        data = self.cleaned_data
        return replace(
            self.scope_filter(),
            state=data.get("state") or None,
            light=data.get("light") or None,
            overdue=data.get("overdue"),
            nature=data.get("nature") or None,
            urgency=data.get("urgency") or None,
            text=data.get("q") or "",
            closed_late=data.get("closed_late"),
            max_hours_to_close=data.get("max_hours_to_close"),
        )


class ProblemCreateForm(forms.Form):
    title = TextField(label=_("Title"), max_length=TITLE)
    description = TextField(
        label=_("Description"),
        required=False,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    region = RegionChoiceField(
        label=_("Region"), queryset=Org.objects.none(), empty_label=_("Choose…")
    )
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("None"),
        widget=Picker("sites"),
    )
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"),
        queryset=FocusArea.objects.filter(active=True),
        empty_label=_("Choose…"),
    )
    team = forms.ModelChoiceField(
        label=_("Found by team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("None"),
        widget=Picker("teams", params={"active": True}),
    )
    found_at = forms.DateTimeField(
        label=_("Found at"), widget=DateTimeInput(), validators=[in_range]
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    nature = forms.ChoiceField(
        label=_("Nature"),
        choices=Nature.choices,
        help_text=_("Common problems also go to the command HQ and need a lasting rule."),
    )
    # Drawn once with the empty form and sent back with every submission of it, so that a
    # double-submitted form records one problem (an old page without it still works).
    client_key = forms.UUIDField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "found_at": timezone.localtime().replace(second=0, microsecond=0),
                "urgency": Urgency.NORMAL,
                "nature": Nature.INDIVIDUAL,
            },
        )
        kwargs["initial"].setdefault("client_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        region_field: RegionChoiceField = self.fields["region"]  # type: ignore[assignment]
        choosers.REGION.offer(region_field, user)
        region_field.limit_to(region_field.queryset, user)
        choosers.SITE.offer(self.fields["site"], user)
        choosers.TEAM.offer(self.fields["team"], user)
        choosers.FOCUS_AREA.offer(self.fields["focus_area"])
        # Start from the user's own jurisdiction and team: most findings are recorded there.
        creating = [g for g in grants_for(user) if g.role in ACTION_ROLES[Action.CREATE]]
        regions = [g.region_id for g in creating if g.region_id]
        if regions and "region" not in self.initial:
            self.initial["region"] = regions[0]
        if len(set(regions)) == 1 and len(regions) == len(creating):
            # One jurisdiction to record in: the lookup offers nothing outside it.
            region_field.widget.narrow(under=regions[0])
        own_teams = [g.team_id for g in creating if g.team_id]
        if own_teams and "team" not in self.initial:
            self.initial["team"] = own_teams[0]


# --- One form per action -------------------------------------------------------------


class ActionForm(forms.Form):
    """Base of the action forms; subclasses know their action and how to call it."""

    action: str = ""
    submit_label: Any = _("Submit")
    button_class = "btn-primary"
    # The version of the problem the page showed: the action is refused if it moved on since.
    # Optional, so that a page drawn before versions existed still submits.
    version = forms.IntegerField(
        widget=forms.HiddenInput(), required=False, min_value=1, max_value=2_147_483_647
    )

    def __init__(self, *args: Any, user: Any, problem: Problem, **kwargs: Any) -> None:
        # Field names are the action's own (as in the API body); ids stay unique on a page
        # that shows several action forms at once.
        kwargs.setdefault("auto_id", f"id_{self.action}_%s")
        kwargs.setdefault("initial", {}).setdefault("version", problem.version)
        super().__init__(*args, **kwargs)
        self.user = user
        self.problem = problem

    @property
    def title(self) -> str:
        return str(Action(self.action).label)

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments for the action function, from the cleaned data (photos too,
        on the forms that take them: the action keeps them with its own change)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return {**data, "expected_version": self.cleaned_data.get("version")}


def _text(label: Any, required: bool = True, rows: int = 3) -> forms.CharField:
    return TextField(
        label=label,
        required=required,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _deadline_field(help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=DateTimeInput(),
        help_text=help_text,
        validators=[in_range],
    )


class AssignForm(ActionForm):
    action = Action.ASSIGN
    submit_label = _("Assign")
    responsible_org = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Org.objects.none(), widget=Picker("units")
    )
    deadline = _deadline_field(_("Leave empty to keep the current deadline."))
    comment = _text(_("Comment"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_units(self.fields["responsible_org"], self.user, self.problem)


def offer_units(field: Any, user: Any, problem: Problem) -> None:
    choosers.RESPONSIBLE_UNIT.offer(field, user, problem)
    # A field's widget is a copy per form: narrowing it touches this form only.
    field.widget.narrow(near=problem.region_id)


class ReportTargetField(forms.ModelChoiceField):
    """A region among the bodies to report to stands for its leadership."""

    def label_from_instance(self, obj: Org) -> str:
        if obj.kind == OrgKind.REGION:
            return gettext("%(region)s (leadership)") % {"region": obj.name}
        return obj.name


class ReportUpForm(ActionForm):
    action = Action.REPORT_UP
    submit_label = _("Report up")
    to_org = ReportTargetField(label=_("Report to"), queryset=Org.objects.none())
    comment = _text(_("Report"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choosers.REPORT_TARGET.offer(self.fields["to_org"], self.problem)


class InstructForm(ActionForm):
    action = Action.INSTRUCT
    submit_label = _("Instruct")
    text = _text(_("Instruction"))


class UrgeForm(ActionForm):
    action = Action.URGE
    submit_label = _("Urge")
    button_class = "btn-warning"
    comment = _text(_("Comment"), required=False, rows=2)


class SubmitRectificationForm(ActionForm):
    action = Action.SUBMIT_RECTIFICATION
    submit_label = _("Submit rectification")
    text = _text(_("What was done, with the evidence"), rows=4)
    # The verifier compares the two, so each photo is labelled when it is chosen.
    photos_before = PhotosField(label=_("Photos before rectification"), required=False)
    photos = PhotosField(label=_("Photos after rectification"), required=False)


class VerifyAcceptForm(ActionForm):
    action = Action.VERIFY_ACCEPT
    submit_label = _("Accept and close")
    button_class = "btn-success"
    comment = _text(_("Comment"), required=False, rows=2)

    def arguments(self) -> dict[str, Any]:
        return {"accept": True, **super().arguments()}


class VerifyRejectForm(ActionForm):
    action = Action.VERIFY_REJECT
    submit_label = _("Reject and send back")
    button_class = "btn-outline-danger"
    comment = _text(_("Reasons"))

    def arguments(self) -> dict[str, Any]:
        return {"accept": False, **super().arguments()}


class InstitutionalizeForm(ActionForm):
    action = Action.INSTITUTIONALIZE
    submit_label = _("Record the rule")
    rule = _text(_("Lasting rule or mechanism"), rows=4)


class CloseOnSpotForm(ActionForm):
    action = Action.CLOSE_ON_SPOT
    submit_label = _("Close as rectified on the spot")
    button_class = "btn-success"
    evidence = _text(_("Evidence"))
    photos = PhotosField(label=_("Photos"), required=False)


class DisputeForm(ActionForm):
    action = Action.DISPUTE
    submit_label = _("Dispute")
    button_class = "btn-outline-danger"
    reason = _text(_("Reason"))


class DecideDisputeForm(ActionForm):
    action = Action.DECIDE_DISPUTE
    submit_label = _("Decide")
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=DisputeDecision.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    responsible_org = forms.ModelChoiceField(
        label=_("New responsible unit"),
        queryset=Org.objects.none(),
        required=False,
        help_text=_("Only when reassigning."),
        widget=Picker("units"),
    )
    deadline = _deadline_field(_("Leave empty to keep the current deadline."))
    comment = _text(_("Comment"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_units(self.fields["responsible_org"], self.user, self.problem)


class ReopenForm(ActionForm):
    action = Action.REOPEN
    submit_label = _("Reopen")
    button_class = "btn-outline-danger"
    reason = _text(_("Reason"))
    deadline = _deadline_field(_("Leave empty for the focus area's usual time."))


class SignForm(ActionForm):
    action = Action.SIGN
    submit_label = _("Sign for receipt")
    button_class = "btn-success"


class RequestExtensionForm(ActionForm):
    action = Action.REQUEST_EXTENSION
    submit_label = _("Request the extension")
    deadline = _deadline_field(_("The new deadline you ask for, after the current one."))
    reason = _text(_("Reason"))


class DecideExtensionForm(ActionForm):
    action = Action.DECIDE_EXTENSION
    submit_label = _("Decide")
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=ExtensionDecision.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    deadline = _deadline_field(_("Only when approving: leave empty to grant the date asked for."))
    comment = _text(_("Comment"), required=False)

    def arguments(self) -> dict[str, Any]:
        data = super().arguments()
        approve = data.pop("decision") == ExtensionDecision.APPROVE
        return {**data, "approve": approve}


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (
        AssignForm,
        ReportUpForm,
        InstructForm,
        UrgeForm,
        SubmitRectificationForm,
        VerifyAcceptForm,
        VerifyRejectForm,
        InstitutionalizeForm,
        CloseOnSpotForm,
        DisputeForm,
        DecideDisputeForm,
        ReopenForm,
        SignForm,
        RequestExtensionForm,
        DecideExtensionForm,
    )
}
