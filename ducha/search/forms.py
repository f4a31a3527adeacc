"""The search page's GET form: the same refusals as the API's (`SearchField`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.core.schemas import MAX_PAGE
from ducha.core.search import SearchField
from ducha.search.finding import Kind

ANY = [("", _("Everything"))]
EMPTY = _("Type the words to search for: at least one word of two characters.")


class SearchForm(forms.Form):
    q = SearchField(
        required=True,
        label=_("Search"),
        error_messages={"required": EMPTY},
    )
    kind = forms.ChoiceField(label=_("In"), choices=ANY + Kind.choices, required=False)
    page = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_PAGE
    )
