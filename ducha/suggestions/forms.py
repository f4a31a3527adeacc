"""Forms of the suggestions pages. They parse and offer; the actions decide (decision 0015)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from ducha.core.text import LONG, TITLE, TextField
from ducha.orgs.models import Org
from ducha.orgs.widgets import Picker, sole
from ducha.suggestions import choosers
from ducha.suggestions.actions import too_many_problems
from ducha.suggestions.choices import (
    MAX_PROBLEMS,
    RECEIVER_KINDS,
    RESPONSES,
    SuggestionState,
)


def _area(label: Any, rows: int = 4, required: bool = False, **kwargs: Any) -> TextField:
    return TextField(
        label=label,
        required=required,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def sender_choices(user: Any) -> list[tuple[str, str]]:
    """The offices and teams the user may suggest in the name of, as "office-12"/"team-3"."""
    offices = [(f"office-{o.pk}", o.name) for o in choosers.sending_offices(user)]
    teams = [(f"team-{t.pk}", t.name) for t in choosers.sending_teams(user)]
    return offices + teams


def receiver_choices(user: Any) -> Any:
    """Every receiver some sender of the user may address; the action checks the pair."""
    rows = Org.objects.none()
    for office in choosers.sending_offices(user):
        rows |= choosers.receivers(office)
    for team in choosers.sending_teams(user):
        rows |= choosers.receivers(None, team)
    return rows.order_by("tree_order")


def sender_regions(user: Any) -> list[int]:
    """The regions the user's senders address, for the receiver's picker to narrow to."""
    offices = choosers.sending_offices(user)
    regions = [region for office in offices for region in choosers.regions_of(office, None)]
    for team in choosers.sending_teams(user):
        regions += choosers.regions_of(None, team)
    return [region.pk for region in regions]


class SuggestForm(forms.Form):
    sender = forms.ChoiceField(label=gettext_lazy("From"))
    # The units and offices of a jurisdiction: a province's thousands.
    receiver = forms.ModelChoiceField(
        label=gettext_lazy("To"),
        queryset=Org.objects.none(),
        widget=Picker("units", params={"kind": list(RECEIVER_KINDS)}),
    )
    title = TextField(label=gettext_lazy("Title"), max_length=TITLE)
    text = _area(gettext_lazy("Suggestion"), 6, required=True)
    problems = forms.CharField(
        label=gettext_lazy("Problems behind it"),
        required=False,
        max_length=400,
        help_text=gettext_lazy("The numbers of the problems, separated by spaces or commas."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sender"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = sender_choices(user)
        receiver = self.fields["receiver"]
        assert isinstance(receiver, forms.ModelChoiceField)
        receiver.queryset = receiver_choices(user)
        assert isinstance(receiver.widget, Picker)
        receiver.widget.narrow(under=sole(sender_regions(user)))
        receiver.error_messages = {
            **receiver.error_messages,
            "invalid_choice": choosers.RECEIVER.message,
        }

    def clean_problems(self) -> list[int]:
        raw = self.cleaned_data["problems"].replace(",", " ").replace("，", " ").split()
        try:
            ids = list(dict.fromkeys(int(item.lstrip("#")) for item in raw))
        except ValueError:
            raise forms.ValidationError(
                gettext_lazy("Give the problems by their numbers.")
            ) from None
        if len(ids) > MAX_PROBLEMS:
            raise forms.ValidationError(too_many_problems().message)
        return ids


class RespondForm(forms.Form):
    # The version of the suggestion the page showed: the action refuses a changed one.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    state = forms.ChoiceField(
        label=gettext_lazy("Response"),
        choices=[(state.value, state.label) for state in map(SuggestionState, RESPONSES)],
        widget=forms.RadioSelect,
    )
    response = _area(
        gettext_lazy("What is taken up and why"),
        4,
        help_text=gettext_lazy("Needed when the suggestion is adopted only in part or declined."),
    )


class CiteForm(forms.Form):
    suggestion = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    problem = forms.IntegerField(
        label=gettext_lazy("Common problem whose lasting rule it became"),
        min_value=1,
        help_text=gettext_lazy("The problem's number."),
    )
