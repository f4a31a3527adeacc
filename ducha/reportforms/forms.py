"""Forms of the register's pages. They parse and offer; the actions decide (decision 0015).

A form's items are written one per line in a small syntax the page explains:

    返岗人数 | integer | unit=人 | min=0
    是否开展消杀 | yes_no
    防控等级 | choice | choices=低/中/高
    辖区问题数 | integer | shared=problems_found | optional

the label first, then the kind (integer when left out), then any of unit=, min=, max=,
key=, maxlen=, choices= (separated by / or 、), shared= and the word optional.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from ducha.core.text import LINE, REPORT, TITLE, TextField
from ducha.orgs.choices import RegionLevel
from ducha.orgs.models import Org
from ducha.reportforms import choosers
from ducha.reportforms.actions import FILLED_BY, FILLERS, MAX_NUMBER
from ducha.reportforms.choices import MAX_ITEMS, MAX_MINUTES, Decision, Frequency, ItemKind

_BARS = re.compile(r"[|｜]")
_CHOICE_SEPARATORS = re.compile(r"[/／、]")
OPTIONS = {
    "unit": "unit",
    "min": "min_value",
    "max": "max_value",
    "key": "key",
    "maxlen": "max_length",
    "choices": "choices",
    "shared": "shared_figure",
}
OPTIONAL = "optional"
# Shown under the items on the page, in the reader's language.
EXAMPLE = gettext_lazy(
    "Staff back at work | integer | unit=people | min=0\n"
    "Disinfection done | yes_no\n"
    "Risk level | choice | choices=low/medium/high\n"
    "Problems found | integer | shared=problems_found | optional"
)


def _kinds() -> dict[str, str]:
    words = {kind.value: kind.value for kind in ItemKind}
    words.update({str(kind.label): kind.value for kind in ItemKind})
    return words


def _line_error(number: int, message: Any) -> forms.ValidationError:
    return forms.ValidationError(
        gettext_lazy("Line %(line)s: %(message)s") % {"line": number, "message": message}
    )


def parse_line(text: str, number: int) -> dict[str, Any]:
    label, *rest = [part.strip() for part in _BARS.split(text)]
    item: dict[str, Any] = {"label": label}
    if rest and "=" not in rest[0] and rest[0] != OPTIONAL:
        kind = _kinds().get(rest[0])
        if kind is None:
            raise _line_error(
                number,
                gettext_lazy("unknown kind “%(kind)s”; write one of %(kinds)s.")
                % {"kind": rest[0], "kinds": ", ".join(ItemKind.values)},
            )
        item["kind"] = kind
        rest = rest[1:]
    for part in rest:
        if part == OPTIONAL:
            item["required"] = False
            continue
        name, equals, value = part.partition("=")
        field = OPTIONS.get(name.strip())
        if not equals or field is None:
            raise _line_error(
                number,
                gettext_lazy("“%(part)s” is not understood; write one of %(options)s.")
                % {"part": part, "options": ", ".join([*(f"{o}=" for o in OPTIONS), OPTIONAL])},
            )
        value = value.strip()
        if field == "choices":
            item[field] = [c.strip() for c in _CHOICE_SEPARATORS.split(value) if c.strip()]
        elif field == "max_length":
            if not value.isdigit() or len(value) > 5:
                raise _line_error(number, gettext_lazy("maxlen is a whole number."))
            item[field] = int(value)
        else:
            item[field] = value
    return item


def parse_items(text: str) -> tuple[list[dict[str, Any]], list[int]]:
    """The items written one per line, and the line each came from (blank lines skipped)."""
    items: list[dict[str, Any]] = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if len(line) > LINE:
            raise _line_error(
                number, gettext_lazy("a line holds at most %(count)s characters.") % {"count": LINE}
            )
        if len(items) == MAX_ITEMS:
            raise forms.ValidationError(
                gettext_lazy("A form has at most %(count)s items.") % {"count": MAX_ITEMS}
            )
        items.append(parse_line(line, number))
        lines.append(number)
    if not items:
        raise forms.ValidationError(gettext_lazy("Give the form at least one item."))
    return items, lines


def filled_by_choices() -> list[tuple[int, Any]]:
    return [(level.value, level.label) for level in map(RegionLevel, FILLERS)]


class RegisterForm(forms.Form):
    region = forms.ModelChoiceField(label=gettext_lazy("Jurisdiction"), queryset=Org.objects.none())
    # Numbers are bounded by the action, which says so in the API's words too.
    number = forms.IntegerField(label=gettext_lazy("Number"))
    name = TextField(label=gettext_lazy("Name"), max_length=TITLE)
    department = forms.ModelChoiceField(
        label=gettext_lazy("Requesting department"), queryset=Org.objects.none()
    )
    frequency = forms.ChoiceField(label=gettext_lazy("Frequency"), choices=Frequency.choices)
    filled_by = forms.TypedChoiceField(
        label=gettext_lazy("Filled by"),
        coerce=int,
        choices=filled_by_choices,
        initial=RegionLevel.VILLAGE,
        error_messages={"invalid_choice": FILLED_BY},
    )
    minutes = forms.IntegerField(label=gettext_lazy("Minutes to fill it once"))
    items = TextField(
        label=gettext_lazy("Items, one per line"),
        max_length=REPORT,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, limit in (("number", MAX_NUMBER), ("minutes", MAX_MINUTES)):
            self.fields[name].help_text = gettext("1 to %(count)s") % {"count": limit}
        regions = choosers.registering_regions(user)
        choosers.REGION.offer(self.fields["region"], user)
        rows = Org.objects.none()
        for region in regions:
            rows |= choosers.departments(region)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = rows.order_by("tree_order")
        department.error_messages = {
            **department.error_messages,
            "invalid_choice": choosers.DEPARTMENT.message,
        }
        if len(regions) == 1:
            self.fields["region"].initial = regions[0]
        self.lines: list[int] = []

    def clean_items(self) -> list[dict[str, Any]]:
        items, self.lines = parse_items(self.cleaned_data["items"])
        return items


class FormChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} · {obj.name}"


class DecideForm(forms.Form):
    # The version of the form the page showed: the action refuses a changed one.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    merged_into = FormChoiceField(
        label=gettext_lazy("Merge into"),
        queryset=Org.objects.none(),
        required=False,
        help_text=gettext_lazy("Only when merging: the kept form it is filled with."),
    )
    reason = TextField(label=gettext_lazy("Reason"), max_length=LINE, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["merged_into"]
        assert isinstance(field, forms.ModelChoiceField)
        # Every form the user sees: the action says why a target is refused.
        choosers.MERGE_TARGET.offer(field, user)


class Filters(forms.Form):
    region = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    department = forms.ModelChoiceField(
        label=gettext_lazy("Requesting department"), queryset=Org.objects.none(), required=False
    )
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        required=False,
        choices=[("", gettext_lazy("All")), *Decision.choices],
    )
    frequency = forms.ChoiceField(
        label=gettext_lazy("Frequency"),
        required=False,
        choices=[("", gettext_lazy("All")), *Frequency.choices],
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments


class AnalysisFilters(forms.Form):
    region = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    share = forms.DecimalField(
        label=gettext_lazy("Overlap of at least (share of the smaller form's items)"),
        required=False,
        min_value=0.1,
        max_value=1,
        decimal_places=2,
        max_digits=3,
    )
