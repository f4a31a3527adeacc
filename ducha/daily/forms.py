"""Forms of the daily cycle's pages; the actions check the meaning of the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.core.text import LONG, TextField
from ducha.daily.lifecycle import MAX_TEXT


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
