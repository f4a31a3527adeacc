"""Forms of the policy pages. They parse and offer; the actions decide (decision 0015)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from ducha.core.dates import in_range
from ducha.core.search import SearchField
from ducha.core.text import LINE, LONG, TITLE, TextField
from ducha.orgs.models import Org
from ducha.orgs.widgets import Picker, sole
from ducha.policies import choosers
from ducha.policies.choices import ISSUING_KINDS, MAX_PROBLEMS
from ducha.policies.files import DOCX_TYPE, PDF_TYPE


def document_field() -> forms.FileField:
    # Any file, even an empty one: the action judges it by its content, in the API's words.
    return forms.FileField(
        label=gettext_lazy("Issued document (PDF or Word .docx)"),
        required=False,
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": f".pdf,.docx,{PDF_TYPE},{DOCX_TYPE}"}),
    )


class IdsField(forms.Field):
    """The ids of the ticked problems. Which of them may be answered is the action's to say
    (in the API's words), so the field only reads numbers, and no more than the action takes
    plus one (so that the action can say how many is too many)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        ids = []
        for item in values[: MAX_PROBLEMS + 1]:
            try:
                ids.append(int(item))
            except (TypeError, ValueError):
                raise forms.ValidationError(
                    gettext_lazy("Choose problems from the list.")
                ) from None
        return ids


class ChosenProblemsForm(forms.Form):
    # Required by the action, not here: the page and the API refuse it in the same words.
    problems = IdsField(label=gettext_lazy("Problems"), required=False)

    def expected_versions(self, data: Any) -> dict[int, int]:
        """The version of each ticked problem the page showed (`version_<id>`)."""
        versions = {}
        for pk in self.cleaned_data.get("problems", []):
            raw = str(data.get(f"version_{pk}", ""))
            if raw.isdigit() and len(raw) < 10:
                versions[pk] = int(raw)
        return versions


class AdoptForm(ChosenProblemsForm):
    title = TextField(label=gettext_lazy("Title"), max_length=TITLE, required=False)
    text = TextField(
        label=gettext_lazy("Text of the measure"),
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # Regions and offices too, of a command HQ's whole jurisdiction: thousands in a province.
    issuing_body = forms.ModelChoiceField(
        label=gettext_lazy("Issuing body"),
        queryset=Org.objects.none(),
        empty_label=None,
        widget=Picker("units", params={"kind": list(ISSUING_KINDS)}),
    )
    issued_on = forms.DateField(
        label=gettext_lazy("Date issued"),
        required=False,
        validators=[in_range],
        widget=forms.DateInput({"type": "date"}),
    )
    reference = TextField(
        label=gettext_lazy("Document reference"),
        max_length=LINE,
        required=False,
        help_text=gettext_lazy("As printed on the issued document, if it has one."),
    )
    document = document_field()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choosers.ISSUING_BODY.offer(self.fields["issuing_body"], user)
        # The picker draws the chosen body only: start from the user's own HQ.
        self.fields["issuing_body"].initial = choosers.own_command(user)
        under = sole(choosers.command_regions(user))
        self.fields["issuing_body"].widget.narrow(under=under)


class LinkForm(ChosenProblemsForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class AttachForm(forms.Form):
    document = document_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class KindFilterForm(forms.Form):
    q = SearchField()
