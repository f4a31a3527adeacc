"""Forms of the sweep pages. They parse and offer; the actions decide (decision 0015): an id
that is offered is not thereby accepted, so the page refuses what the API refuses.

The units and the region are picked by name (a county holds hundreds of units, a province
thousands); their fields take the rows the action takes, and refuse others in its words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy

from ducha.core.scoping import NOT_IN_SCOPE
from ducha.core.text import LONG, TITLE, TextField
from ducha.orgs.choices import OrgKind, SiteKind
from ducha.orgs.models import Org
from ducha.orgs.widgets import Picker, PickerMultiple
from ducha.sweeps.choices import CheckState
from ducha.sweeps.selection import Choice, units_in_reach

# Missing and out of reach read alike, as the action says them.
OUT_OF_REACH = {"invalid_choice": NOT_IN_SCOPE, "invalid_pk_value": NOT_IN_SCOPE}


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
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units"),
        queryset=Org.objects.none(),
        required=False,
        error_messages=OUT_OF_REACH,
        widget=PickerMultiple("units"),
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Every region under"),
        queryset=Org.objects.none(),
        required=False,
        empty_label="—",
        error_messages=OUT_OF_REACH,
        help_text=gettext_lazy("For example every community of a street."),
        widget=Picker("regions"),
    )
    site_kind = forms.ChoiceField(
        label=gettext_lazy("Sites of the kind"),
        required=False,
        choices=[("", "—"), *SiteKind.choices],
    )
    focus_area = OptionalId(label=gettext_lazy("Units that had problems of the focus area"))

    def __init__(self, *args: Any, user: Any, office: Org, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        home = office.region
        assert home is not None
        reach = units_in_reach(user, office)
        units = self.fields["units"]
        region = self.fields["region"]
        assert isinstance(units, forms.ModelMultipleChoiceField)
        assert isinstance(region, forms.ModelChoiceField)
        units.queryset = reach.order_by("tree_order", "pk")
        region.queryset = Org.objects.filter(
            Q(pk=home.pk) | Q(pk__in=reach.filter(kind=OrgKind.REGION).values("pk"))
        ).order_by("tree_order")
        for field in (units, region):
            field.widget.narrow(under=home.pk)
        self.fields["focus_area"].widget.choices = [("", "—"), *((a.pk, a.name) for a in areas)]

    def choice(self) -> Choice:
        data = self.cleaned_data
        region = data["region"]
        return Choice(
            unit_ids=[unit.pk for unit in data["units"]],
            similar_units=data["similar_units"],
            region_id=region.pk if region is not None else None,
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
