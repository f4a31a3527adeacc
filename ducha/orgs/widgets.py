"""The picker: a select that holds only the chosen option, and a box to type a name in.

A province sees thousands of villages and sites; a select listing them all is megabytes of
HTML and unusable on a phone. The picker draws the chosen option only (so the form submits
an id without any script) and picker.js looks the typed words up in /api/v1/lookup/<kind>,
which answers from the same `visible_to` as the field's queryset. The form still checks the
submitted id against that queryset: the widget changes what is drawn, never what is taken.

`PickerMultiple` is the same for a field of several rows: the select (multiple) holds the
chosen rows, all selected, and the script draws them as chips one removes with a tap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from ducha.orgs.choices import OrgKind

LOOKUPS = ("regions", "sites", "units", "teams")
# For the units lookup's `kind`: an organisation of any kind (the one a record is about).
EVERY_KIND = [kind.value for kind in OrgKind]
# The most chosen rows a multiple picker draws back, so that a page never grows unbounded.
MAX_SHOWN = 500


class Picker(forms.Select):
    template_name = "orgs/widgets/picker.html"

    def __init__(
        self,
        lookup: str,
        attrs: dict[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        assert lookup in LOOKUPS, lookup
        super().__init__(attrs)
        self.lookup = lookup
        self.params = dict(params or {})

    def __deepcopy__(self, memo: dict[int, Any]) -> Picker:
        # Each form narrows its own copy (Widget.__deepcopy__ copies attrs only).
        copy = super().__deepcopy__(memo)
        copy.params = dict(self.params)
        return copy

    def narrow(self, **params: Any) -> None:
        """Narrow what the lookup offers (`under`, `near`, `active`, `kind`: a list) to what
        the field takes; None leaves a parameter out."""
        self.params.update(params)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["lookup_url"] = reverse(f"api:lookup_{self.lookup}")
        context["widget"]["lookup_params"] = urlencode(
            {key: _param(value) for key, value in self.params.items() if value is not None},
            doseq=True,
        )
        return context

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> Any:
        # Only the empty choice and the chosen row, and that only when the field's own
        # (scoped) queryset holds it: a forged id sent back is not named on the page.
        choices: Any = self.choices
        queryset = getattr(choices, "queryset", None)
        field = getattr(choices, "field", None)
        shown: list[tuple[Any, Any]] = []
        if field is not None and field.empty_label is not None:
            shown.append(("", field.empty_label))
        ids = [int(v) for v in value if str(v).isdigit() and len(str(v)) < 19]
        if queryset is not None and ids:
            many = MAX_SHOWN if self.allow_multiple_selected else 1
            rows = queryset.filter(pk__in=ids[:many])[:many]
            shown.extend(choices.choice(row) for row in rows)
        groups = []
        for index, (option_value, label) in enumerate(shown):
            selected = str(option_value) in value
            groups.append(
                (
                    None,
                    [self.create_option(name, option_value, label, selected, index, attrs=attrs)],
                    index,
                )
            )
        return groups


class PickerMultiple(Picker):
    """A picker for several rows: what is chosen is drawn as chips, each removed by a tap."""

    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)  # type: ignore[arg-type]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        # An unticked multiple select sends nothing: that is a choice of none.
        return False


def sole(ids: Iterable[int | None]) -> int | None:
    """The one region all these jurisdictions are, to narrow a picker `under`; None when
    there are several (the lookup then offers all the user sees, the field still decides)."""
    found = {pk for pk in ids if pk is not None}
    return found.pop() if len(found) == 1 else None


def _param(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return value
