"""Forms of the cadre pages. They parse and offer; the actions decide (decision 0015)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from ducha.cadres import choosers
from ducha.cadres.choices import MAX_LINKS, CandidateList, Verdict
from ducha.cadres.models import CadreObservation
from ducha.core.dates import MAX_ID, in_range
from ducha.core.scoping import NOT_IN_SCOPE
from ducha.core.text import LONG, NAME, TITLE, TextField
from ducha.fieldwork.models import Inspection
from ducha.orgs.models import Org, Team
from ducha.orgs.widgets import EVERY_KIND, Picker, sole
from ducha.problems.models import Problem


def _area(label: Any, rows: int = 4, required: bool = False) -> TextField:
    return TextField(
        label=label, required=required, max_length=LONG, widget=forms.Textarea(attrs={"rows": rows})
    )


def _offer(field: forms.Field, rows: Any) -> None:
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = rows


def _any_org() -> Picker:
    # Every org of a jurisdiction, of any kind: a province's thousands.
    return Picker("units", params={"kind": EVERY_KIND})


def _narrow(field: forms.Field, regions: list[int | None]) -> None:
    assert isinstance(field.widget, Picker)
    field.widget.narrow(under=sole(regions))


def _out_of_reach(field: forms.Field) -> None:
    field.error_messages = {
        **field.error_messages,
        "invalid_choice": NOT_IN_SCOPE,
        "invalid_pk_value": NOT_IN_SCOPE,
    }


class IdsField(forms.Field):
    """Record numbers typed or pasted, separated by commas or spaces."""

    def to_python(self, value: Any) -> list[int]:
        text = str(value or "").replace("，", ",").replace(",", " ")
        try:
            ids = [int(part) for part in text.split()]
            if any(not 0 < pk <= MAX_ID for pk in ids):
                raise ValueError
        except ValueError:
            raise forms.ValidationError(
                gettext_lazy("Enter record numbers separated by commas.")
            ) from None
        if len(ids) > MAX_LINKS:
            raise forms.ValidationError(
                gettext_lazy("Link at most %(count)s records.") % {"count": MAX_LINKS}
            )
        return ids

    def validate(self, value: Any) -> None:
        pass


class ObservationForm(forms.Form):
    person_name = TextField(label=gettext_lazy("Name"), max_length=NAME)
    person_post = TextField(label=gettext_lazy("Post"), max_length=TITLE)
    org = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Org.objects.none(), widget=_any_org()
    )
    verdict = forms.ChoiceField(
        label=gettext_lazy("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    facts = _area(gettext_lazy("Facts"), 5, required=True)
    evidence = _area(gettext_lazy("Evidence"), 3)
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"), queryset=Team.objects.none(), required=False
    )
    observed_on = forms.DateField(
        label=gettext_lazy("Observed on"),
        validators=[in_range],
        widget=forms.DateInput({"type": "date"}),
    )
    problems = IdsField(
        label=gettext_lazy("Problems (numbers)"),
        required=False,
        help_text=gettext_lazy("The numbers of problems you can see, separated by commas."),
    )
    inspections = IdsField(
        label=gettext_lazy("Inspections (numbers)"),
        required=False,
        help_text=gettext_lazy("The numbers of inspections you can see, separated by commas."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self.fields["org"], choosers.reachable_orgs(user))
        _narrow(self.fields["org"], choosers.reach_regions(user))
        teams = choosers.own_teams(user)
        _offer(self.fields["team"], teams)
        first = teams.first()
        if first is not None:
            self.fields["team"].initial = first.pk
        _out_of_reach(self.fields["org"])
        _out_of_reach(self.fields["team"])

    def linked(self, name: str) -> list[Any]:
        model = Problem if name == "problems" else Inspection
        return choosers.pick_rows(model, self.cleaned_data[name], name)


class CandidateForm(forms.Form):
    list_kind = forms.ChoiceField(label=gettext_lazy("List"), choices=CandidateList.choices)
    person_name = TextField(label=gettext_lazy("Name"), max_length=NAME)
    person_post = TextField(label=gettext_lazy("Post"), max_length=TITLE)
    org = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Org.objects.none(), widget=_any_org()
    )
    observations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Observations"),
        queryset=CadreObservation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = _area(gettext_lazy("Reasons"), 4, required=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self.fields["org"], choosers.reachable_orgs(user, lists=True))
        _narrow(self.fields["org"], choosers.reach_regions(user, lists=True))
        observations = choosers.observations_of(user)
        _offer(self.fields["observations"], observations)
        self.fields["observations"].label_from_instance = _observation_label  # type: ignore[attr-defined]
        _out_of_reach(self.fields["org"])
        _out_of_reach(self.fields["observations"])


def _observation_label(observation: CadreObservation) -> str:
    return (
        f"{observation.person_name} · {observation.org.name} · "
        f"{observation.get_verdict_display()} · {observation.observed_on:%Y-%m-%d}"
    )


class CandidateStepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class RemoveForm(CandidateStepForm):
    reason = _area(gettext_lazy("Reason"), 3, required=True)


class MarkUsedForm(CandidateStepForm):
    comment = _area(gettext_lazy("Comment"), 3)
