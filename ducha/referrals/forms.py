"""Forms of the referral pages. They parse and offer; the actions decide (decision 0015)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from ducha.core.dates import in_range
from ducha.core.text import LONG, TextField
from ducha.fieldwork.models import Evidence
from ducha.orgs.models import Org
from ducha.orgs.widgets import Picker
from ducha.referrals import choosers
from ducha.referrals.choices import ReferralState


def _area(label: Any, rows: int = 4, required: bool = False, **kwargs: Any) -> TextField:
    return TextField(
        label=label,
        required=required,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class ReferForm(forms.Form):
    receiver = forms.ModelChoiceField(
        label=gettext_lazy("Refer to"), queryset=Org.objects.none(), empty_label=None
    )
    facts = _area(
        gettext_lazy("Facts"),
        6,
        required=True,
        help_text=gettext_lazy("What was found, where and when, and who is concerned."),
    )
    evidence = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Evidence handed over"),
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        user: Any,
        office: Org | None,
        problem: Any,
        inspection: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choosers.RECEIVER.offer(self.fields["receiver"], office)
        choosers.EVIDENCE.offer(self.fields["evidence"], user, problem, inspection)
        self.fields["evidence"].error_messages["invalid_pk_value"] = choosers.EVIDENCE.message


class ReferralForm(forms.Form):
    # The version of the referral the page showed: the action refuses a changed one.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class AcceptForm(ReferralForm):
    comment = _area(gettext_lazy("Comment"), 2)


class DeclineForm(ReferralForm):
    # Required by the action, not here: the page and the API refuse it in the same words.
    reasons = _area(gettext_lazy("Reasons"), 3)


class ConcludeForm(ReferralForm):
    outcome = _area(gettext_lazy("Outcome"), 4)
    outcome_on = forms.DateField(
        label=gettext_lazy("Outcome date"),
        validators=[in_range],
        widget=forms.DateInput({"type": "date"}),
    )


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("All")), *ReferralState.choices],
    )
    # The discipline bodies and police of a whole province, for its office.
    receiver = forms.ModelChoiceField(
        label=gettext_lazy("Referred to"),
        required=False,
        queryset=Org.objects.none(),
        empty_label=gettext_lazy("All"),
        widget=Picker("units", params={"kind": list(choosers.RECEIVER_KINDS)}),
    )

    def __init__(self, *args: Any, receivers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["receiver"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = receivers
