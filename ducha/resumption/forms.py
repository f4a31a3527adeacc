"""Forms of the ledger's pages. They parse and offer; the actions decide (decision 0015)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ducha.core.dates import in_range
from ducha.core.phones import PHONE_MAX_LENGTH
from ducha.core.text import LINE, LONG, NAME, SEARCH, TITLE, TextField
from ducha.orgs.models import Org
from ducha.orgs.widgets import Picker
from ducha.resumption import choosers
from ducha.resumption.choices import (
    MAX_STAFF,
    MAX_SUPPLIES,
    Category,
    EnterpriseKind,
    NeedKind,
    Status,
)

# One supply a line: "口罩，5000，只，7" (name, quantity, unit, days of stock).
SUPPLY_SEPARATORS = (",", "，", "\t")


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        validators=[in_range],
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def _count(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=MAX_STAFF, **kwargs)


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", gettext_lazy("All")), *choices]


class Filters(forms.Form):
    q = TextField(label=gettext_lazy("Name or credit code"), max_length=SEARCH, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=_all(EnterpriseKind.choices)
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"), required=False, choices=_all(Category.choices)
    )
    area = TextField(label=gettext_lazy("Area"), max_length=NAME, required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=_all(Status.choices)
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"), required=False, queryset=Org.objects.none()
    )
    supervised = forms.ChoiceField(
        label=gettext_lazy("Supervised here"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            ("yes", gettext_lazy("Supervised here")),
            ("no", gettext_lazy("Outside the supervision")),
        ],
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = regions


class EnterpriseForm(forms.Form):
    """Registering an enterprise, or (with `editing`) correcting it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=EnterpriseKind.choices)
    name = TextField(label=gettext_lazy("Name"), max_length=TITLE)
    credit_code = TextField(
        label=gettext_lazy("Unified social credit code"),
        max_length=18,
        required=False,
        help_text=gettext_lazy("18 digits and capital letters, when known."),
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"), queryset=Org.objects.none(), widget=Picker("regions")
    )
    area = TextField(
        label=gettext_lazy("Area"),
        max_length=NAME,
        required=False,
        help_text=gettext_lazy("The zone, park or part of the territory the office counts apart."),
    )
    supervisor = forms.ModelChoiceField(
        label=gettext_lazy("Supervising body"),
        queryset=Org.objects.none(),
        required=False,
        widget=Picker("units", params={"kind": list(choosers.SUPERVISOR_KINDS)}),
    )
    address = TextField(label=gettext_lazy("Address"), max_length=LINE, required=False)
    registered_on = _date(gettext_lazy("Registered on"))
    supervised = forms.BooleanField(
        label=gettext_lazy("Supervised by this jurisdiction"), required=False, initial=True
    )
    excluded_reason = TextField(
        label=gettext_lazy("Why not supervised here"),
        max_length=LINE,
        required=False,
        help_text=gettext_lazy("Needed for a project outside the supervision (an airport …)."),
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choosers.REGION.offer(self.fields["region"], user)
        choosers.SUPERVISOR.offer(self.fields["supervisor"], user)
        jurisdictions = choosers.office_regions(user)
        if len(jurisdictions) == 1:
            # One jurisdiction: the pickers offer nothing outside it.
            for name in ("region", "supervisor"):
                self.fields[name].widget.narrow(under=jurisdictions[0])
        if editing:
            # Taking it out of supervision is its own action, with its own event.
            del self.fields["supervised"]
            del self.fields["excluded_reason"]
        else:
            self.fields["registered_on"].initial = timezone.localdate


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    # Sent by the button pressed: file, resume or stop.
    action = forms.ChoiceField(
        choices=[("file", "file"), ("resume", "resume"), ("stop", "stop")],
        widget=forms.HiddenInput,
    )
    # Today when left empty, as over the API.
    on = _date(
        gettext_lazy("On"),
        required=False,
        initial=timezone.localdate,
        help_text=gettext_lazy("The day it happened: today unless you record it later."),
    )


def parse_supplies(text: str) -> list[dict[str, Any]]:
    """The supply lines typed one a line, "name, quantity, unit, days"; the action checks
    what they hold. A line that cannot be read is refused with its number."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_SUPPLIES:
        raise forms.ValidationError(
            gettext_lazy("List at most %(count)s supplies.") % {"count": MAX_SUPPLIES}
        )
    parsed = []
    for row, line in enumerate(lines, start=1):
        for separator in SUPPLY_SEPARATORS[1:]:
            line = line.replace(separator, SUPPLY_SEPARATORS[0])
        parts = [part.strip() for part in line.split(SUPPLY_SEPARATORS[0])]
        if not 2 <= len(parts) <= 4:
            raise forms.ValidationError(
                gettext_lazy("Line %(row)s: write name, quantity, unit, days.") % {"row": row}
            )
        parts += [""] * (4 - len(parts))
        try:
            quantity = Decimal(parts[1])
            days = int(parts[3] or 0)
        except (InvalidOperation, ValueError):
            raise forms.ValidationError(
                gettext_lazy("Line %(row)s: the quantity and the days are numbers.") % {"row": row}
            ) from None
        parsed.append({"name": parts[0], "quantity": quantity, "unit": parts[2], "days": days})
    return parsed


class LedgerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    staff_total = _count(gettext_lazy("Staff"))
    staff_screened = _count(gettext_lazy("Staff screened"))
    staff_isolated = _count(gettext_lazy("Staff under observation"), initial=0, required=False)
    supplies = TextField(
        label=gettext_lazy("Supplies"),
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One supply a line: name, quantity, unit, days of stock — for example "
            "“口罩，5000，只，7”. At most 30 lines."
        ),
    )
    plan = TextField(
        label=gettext_lazy("Prevention plan"),
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    responsible_person = TextField(label=gettext_lazy("Person responsible"), max_length=NAME)
    responsible_phone = TextField(
        label=gettext_lazy("Phone"), max_length=PHONE_MAX_LENGTH, required=False
    )

    def clean_supplies(self) -> list[dict[str, Any]]:
        return parse_supplies(self.cleaned_data["supplies"])


class NeedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of need"), choices=NeedKind.choices, widget=forms.RadioSelect
    )
    text = TextField(
        label=gettext_lazy("What is needed"),
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For example: short of melt-blown fabric for 7 days' production."),
    )


class ExcludeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    reason = TextField(
        label=gettext_lazy("Why this jurisdiction does not supervise it"), max_length=LINE
    )


class IncludeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


# The three ways a jurisdiction treats a resumption without a filing, as the two switches of
# the rule: (filing first, problem when unfiled).
RULE_MODES = {
    "refuse": (True, False),
    "record": (False, False),
    "problem": (False, True),
}


def mode_of(rule: Any) -> str:
    switches = (rule.filing_first, rule.problem_when_unfiled)
    return next((name for name, mode in RULE_MODES.items() if mode == switches), "refuse")


class RuleForm(forms.Form):
    region = forms.ModelChoiceField(label=gettext_lazy("Jurisdiction"), queryset=Org.objects.none())
    mode = forms.ChoiceField(
        label=gettext_lazy("A resumption without a filed plan"),
        widget=forms.RadioSelect,
        choices=[
            ("refuse", gettext_lazy("Refuse it: filing comes first (先备案后复工)")),
            ("record", gettext_lazy("Record it")),
            ("problem", gettext_lazy("Record it and make it a problem (未备案先行复工)")),
        ],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choosers.RULE_REGION.offer(self.fields["region"], user)
