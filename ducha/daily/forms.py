"""Forms of the daily cycle's pages; the actions check the meaning of the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.core.text import LONG, TextField
from ducha.daily.access import readable_offices
from ducha.daily.lifecycle import MAX_TEXT
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org
from ducha.orgs.widgets import Picker


def _text(label: Any, rows: int = 5, help_text: Any = "") -> forms.CharField:
    return TextField(
        label=label,
        required=False,
        max_length=MAX_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(forms.Form):
    work = _text(_("Work done"), 6, _("Drafted from the day's visits; correct and complete it."))
    cases = _text(_("Notable cases"), 5)
    difficulties = _text(_("Difficulties and suggestions"), 3)


class SummaryForm(forms.Form):
    overview = _text(_("General situation"), 4)
    cases = _text(_("Notable cases"), 6)
    decisions = _text(_("Items for decision"), 6)


class AgendaTickForm(forms.Form):
    office = forms.IntegerField(min_value=1, max_value=2_147_483_647)
    problem = forms.IntegerField(min_value=1, max_value=2_147_483_647)
    day = forms.DateField()
    # "1" ticks, "0" unticks.
    ticked = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class ReturnForm(forms.Form):
    # Required by the action, which says what a missing reason is in its own words.
    reason = TextField(
        label=_("What must the team correct?"),
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OfficePick(forms.Form):
    """Which office's agenda or team reports to read. A province office reads every office of
    the province, so the office is picked by name; the view checks the id it is sent."""

    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Org.objects.none(),
        empty_label=None,
        widget=Picker("units", params={"kind": [OrgKind.OFFICE]}),
    )

    def __init__(self, *, user: Any, office: Org) -> None:
        super().__init__(initial={"office": office.pk}, auto_id="pick-%s")
        readable = readable_offices(user)
        self.fields["office"].queryset = readable  # type: ignore[attr-defined]
        # Two rows tell whether there is a choice at all, without reading them all.
        self.many = readable[:2].count() > 1
