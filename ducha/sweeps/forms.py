"""Forms of the sweep pages. They parse and offer; the actions decide (decision 0015): an id
that is offered is not thereby accepted, so the page refuses what the API refuses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from ducha.core.text import LONG, TITLE, TextField
from ducha.orgs.choices import SiteKind
from ducha.sweeps.choices import CheckState
from ducha.sweeps.selection import Choice


class IdsField(forms.Field):
    """Ids ticked among those offered; which of them may be asked is the action's to say."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args: Any, choices: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.choices = list(choices)

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            return [int(item) for item in values]
        except (TypeError, ValueError):
            raise ValidationError(gettext_lazy("Enter a whole number.")) from None


class OptionalId(forms.IntegerField):
    widget = forms.Select

    def __init__(self, *args: Any, choices: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, required=False, **kwargs)
        self.widget.choices = [("", "—"), *choices]


class LaunchForm(forms.Form):
    title = TextField(label=gettext_lazy("Title"), required=False, max_length=TITLE)
    check_text = TextField(
        label=gettext_lazy("What to check"),
        required=False,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What each unit must check itself against, item by item."),
    )
    similar_units = forms.BooleanField(
        label=gettext_lazy("Units of the similar problems"), required=False
    )
    units = IdsField(label=gettext_lazy("Units"), required=False)
    region = OptionalId(
        label=gettext_lazy("Every region under"),
        help_text=gettext_lazy("For example every community of a street."),
    )
    site_kind = forms.ChoiceField(
        label=gettext_lazy("Sites of the kind"),
        required=False,
        choices=[("", "—"), *SiteKind.choices],
    )
    focus_area = OptionalId(label=gettext_lazy("Units that had problems of the focus area"))

    def __init__(self, *args: Any, units: Any, regions: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].widget.choices = [(u.pk, u.name) for u in units]
        self.fields["region"].widget.choices = [("", "—"), *((r.pk, r.name) for r in regions)]
        self.fields["focus_area"].widget.choices = [("", "—"), *((a.pk, a.name) for a in areas)]

    def choice(self) -> Choice:
        data = self.cleaned_data
        return Choice(
            unit_ids=data["units"],
            similar_units=data["similar_units"],
            region_id=data["region"],
            site_kind=data["site_kind"],
            focus_area_id=data["focus_area"],
        )


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[
            (CheckState.NONE_FOUND, CheckState.NONE_FOUND.label),
            (CheckState.FOUND, CheckState.FOUND.label),
        ],
        widget=forms.RadioSelect,
    )
    note = TextField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What was checked; required when nothing was found."),
    )
    problems = TextField(
        label=gettext_lazy("Problems found"),
        required=False,
        max_length=LONG * 5,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One problem per line: its title."),
    )

    def found_titles(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["problems"].splitlines() if line.strip()]
