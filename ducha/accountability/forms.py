"""Forms of the accountability pages. They parse and offer; the actions decide (decision
0015)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.accountability import choosers
from ducha.accountability.choices import MAX_LINKS, CommendationKind, RecordState, SubjectKind
from ducha.accountability.models import AccountabilityKind
from ducha.core.dates import in_range
from ducha.core.text import LINE, LONG, NAME, TITLE, TextField
from ducha.orgs.models import Org
from ducha.orgs.widgets import EVERY_KIND, Picker, sole

_SEPARATORS = re.compile(r"[\s,，、;；]+")


class IdsField(TextField):
    """Numbers of linked rows, as the user reads them on their pages ("12, 15")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", gettext_lazy("Their numbers, separated by commas or spaces.")
        )
        super().__init__(max_length=LINE, **kwargs)

    def clean(self, value: Any) -> list[int]:
        text = super().clean(value) or ""
        ids = []
        for part in _SEPARATORS.split(text.strip()):
            if not part:
                continue
            if not part.isdigit() or len(part) > 18:
                raise forms.ValidationError(_("Write numbers only, such as 12, 15."))
            ids.append(int(part))
        if len(ids) > MAX_LINKS:
            raise forms.ValidationError(_("Link at most %(count)s rows.") % {"count": MAX_LINKS})
        return ids


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        validators=[in_range],
        widget=forms.DateInput({"type": "date"}),
    )


class ProposeForm(forms.Form):
    subject_kind = forms.ChoiceField(
        label=gettext_lazy("About"),
        choices=SubjectKind.choices,
        widget=forms.RadioSelect,
        initial=SubjectKind.PERSON,
    )
    person_name = TextField(label=gettext_lazy("Name"), max_length=NAME, required=False)
    person_post = TextField(label=gettext_lazy("Post"), max_length=TITLE, required=False)
    org = forms.ModelChoiceField(
        label=gettext_lazy("Organisation (or the unit)"),
        queryset=Org.objects.none(),
        widget=Picker("units", params={"kind": EVERY_KIND}),
    )
    reason = TextField(
        label=gettext_lazy("Facts and reasons"),
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    problems = IdsField(label=gettext_lazy("Problems"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choosers.ORG.offer(self.fields["org"], user)
        under = sole(grant.region_id for grant in choosers.proposing_grants(user))
        self.fields["org"].widget.narrow(under=under)


class ProposeAccountabilityForm(ProposeForm):
    kind = forms.ModelChoiceField(
        label=gettext_lazy("Kind"), queryset=AccountabilityKind.objects.none()
    )
    referrals = IdsField(label=gettext_lazy("Referrals"))
    field_order = ["kind", "subject_kind", "person_name", "person_post", "org", "reason"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        choosers.KIND.offer(self.fields["kind"], user)


class ProposeCommendationForm(ProposeForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CommendationKind.choices)
    inspections = IdsField(label=gettext_lazy("Inspections"))
    field_order = ["kind", "subject_kind", "person_name", "person_post", "org", "reason"]


class RecordForm(forms.Form):
    # The version of the record the page showed: the action refuses a changed one.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def _comment(label: Any, required: bool = False) -> TextField:
    return TextField(
        label=label,
        required=required,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecideForm(RecordForm):
    decided_on = _date(gettext_lazy("Decided on"))
    comment = _comment(gettext_lazy("Comment"))


class CarryOutForm(RecordForm):
    carried_out_on = _date(gettext_lazy("Carried out on"))
    comment = _comment(gettext_lazy("Comment"))


class CommendationCarryOutForm(RecordForm):
    comment = _comment(gettext_lazy("Comment"))


class WithdrawForm(RecordForm):
    reason = _comment(gettext_lazy("Why it is withdrawn"), required=True)


class KindForm(forms.Form):
    office = forms.ModelChoiceField(
        label=gettext_lazy("Office"), queryset=Org.objects.none(), empty_label=None
    )
    name = TextField(label=gettext_lazy("Name"), max_length=NAME)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choosers.OFFICE.offer(self.fields["office"], user)


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("Any")), *RecordState.choices],
    )
    since = _date(gettext_lazy("From"), required=False)
    until = _date(gettext_lazy("To"), required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Any")), *kinds]
