"""The upload form; what the file holds is checked by the actions, not here."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.ledger.xlsx import XLSX_CONTENT_TYPE


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Ledger file (.xlsx)"),
        # An empty file is refused by the check, in the same words as over the API.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )
