"""Forms of the matters pages. They parse and offer; the actions decide (decision 0015)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ducha.core.dates import in_range
from ducha.core.text import LONG, REPORT, TITLE, TextField
from ducha.matters import choosers
from ducha.matters.actions import MatterInput
from ducha.matters.choices import MAX_MATTERS, SourceKind
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org
from ducha.orgs.widgets import Picker, PickerMultiple, sole
from ducha.problems.choosers import FOCUS_AREA


def _area(label: Any, rows: int = 4, required: bool = False, **kwargs: Any) -> TextField:
    return TextField(
        label=label,
        required=required,
        max_length=kwargs.pop("max_length", LONG),
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def parse_matters(text: str) -> list[MatterInput]:
    """One matter a line: its deadline, a space, its title, and optionally " | " and a
    description ("2026-12-31 落实村居卡口值守 | 每日检查登记"). Blank lines are skipped."""
    matters = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        head, _bar, description = line.partition("|")
        day, _space, title = head.strip().partition(" ")
        try:
            deadline = date.fromisoformat(day)
        except ValueError:
            raise forms.ValidationError(
                _("Line %(number)s: start with the deadline, as 2026-12-31.") % {"number": number}
            ) from None
        matters.append(
            MatterInput(title=title.strip(), deadline=deadline, description=description.strip())
        )
    if len(matters) > MAX_MATTERS:
        raise forms.ValidationError(
            _("A batch holds at most %(count)s matters.") % {"count": MAX_MATTERS}
        )
    return matters


def _region_id(org: Org) -> int | None:
    found = org.region_id_and_level
    return found[0] if found else None


class HandDownForm(forms.Form):
    issuing_office = forms.ModelChoiceField(
        label=pgettext_lazy("matter", "Issuing office"),
        queryset=Org.objects.none(),
        empty_label=None,
    )
    title = TextField(label=gettext_lazy("Title"), max_length=TITLE)
    source_kind = forms.ChoiceField(label=gettext_lazy("Source"), choices=SourceKind.choices)
    source_text = _area(gettext_lazy("Source in detail"), 2)
    issued_on = forms.DateField(
        label=gettext_lazy("Date"), validators=[in_range], widget=forms.DateInput({"type": "date"})
    )
    # Every lower office, to the villages': a province's thousands.
    offices = forms.ModelMultipleChoiceField(
        label=gettext_lazy("To the offices"),
        queryset=Org.objects.none(),
        widget=PickerMultiple("units", params={"kind": [OrgKind.OFFICE]}),
    )
    matters = _area(
        gettext_lazy("Matters"),
        8,
        required=True,
        max_length=REPORT,
        help_text=gettext_lazy(
            "One matter a line: its deadline, a space and its title, then optionally "
            "“|” and a description. For example: 2026-12-31 落实村居卡口值守 | 每日检查登记"
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = choosers.issuing_offices(user)
        choosers.ISSUING_OFFICE.offer(self.fields["issuing_office"], user)
        first = offices.first()
        if first is not None:
            self.fields["issuing_office"].initial = first.pk
        # Lower offices of every office the user may issue from; the action checks the pair.
        lower = Org.objects.none()
        for office in offices:
            lower |= choosers.lower_offices(office)
        field = self.fields["offices"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = lower.order_by("tree_order")
        assert isinstance(field.widget, Picker)
        field.widget.narrow(under=sole(_region_id(office) for office in offices))
        field.error_messages = {
            **field.error_messages,
            "invalid_choice": choosers.OFFICES.message,
            "invalid_pk_value": choosers.OFFICES.message,
        }

    def clean_matters(self) -> list[MatterInput]:
        return parse_matters(self.cleaned_data["matters"])


class HandoverForm(forms.Form):
    # The version of the handover the page showed: the action refuses a changed one.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class SignForm(HandoverForm):
    pass


class BreakDownForm(HandoverForm):
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units"), queryset=Org.objects.none(), widget=PickerMultiple("units")
    )
    focus_area = forms.ModelChoiceField(
        label=gettext_lazy("Focus area"), queryset=Org.objects.none()
    )
    comment = _area(gettext_lazy("Comment"), 2)

    def __init__(self, *args: Any, user: Any, office: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choosers.UNITS.offer(self.fields["units"], user, office)
        # The units the office may hand a problem of its region to, as the action does.
        self.fields["units"].widget.narrow(near=_region_id(office))
        self.fields["units"].error_messages["invalid_pk_value"] = choosers.UNITS.message
        FOCUS_AREA.offer(self.fields["focus_area"])


class ReportForm(HandoverForm):
    text = _area(gettext_lazy("Completion report"), 5)
    reason = _area(
        gettext_lazy("Why report while problems are open"),
        2,
        help_text=gettext_lazy("Needed only while problems made of this matter are still open."),
    )


class UrgeForm(HandoverForm):
    comment = _area(gettext_lazy("Comment"), 2)


class AcceptForm(HandoverForm):
    comment = _area(gettext_lazy("Comment"), 2)
