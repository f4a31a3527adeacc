"""The columns of a problem ledger: what the export writes and what an import reads.

One list serves both, so that an exported ledger can be edited and brought back: the import
reads the columns it knows by their heading in any of the site's languages, uses those that
describe a new problem, and leaves the export's read-only ones (state, light …) alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from ducha.ledger.sheets import DATA_SHEET
from ducha.ledger.xlsx import Column


@dataclass(frozen=True)
class LedgerColumn:
    key: str
    label: Promise | str
    width: float
    kind: str = "text"
    importable: bool = False
    required: bool = False

    def column(self) -> Column:
        return Column(str(self.label), self.width, self.kind)


NUMBER = "number"
COLUMNS = [
    LedgerColumn(NUMBER, pgettext_lazy("ledger column", "No."), 8, "number"),
    LedgerColumn(
        "title", pgettext_lazy("ledger column", "Problem"), 36, importable=True, required=True
    ),
    LedgerColumn(
        "description", pgettext_lazy("ledger column", "Description"), 48, "wrap", importable=True
    ),
    LedgerColumn(
        "region", pgettext_lazy("ledger column", "Region"), 30, importable=True, required=True
    ),
    LedgerColumn("site", pgettext_lazy("ledger column", "Site"), 22, importable=True),
    LedgerColumn(
        "focus_area",
        pgettext_lazy("ledger column", "Focus area"),
        16,
        importable=True,
        required=True,
    ),
    LedgerColumn("team", pgettext_lazy("ledger column", "Found by team"), 22, importable=True),
    LedgerColumn(
        "found_at",
        pgettext_lazy("ledger column", "Found at"),
        17,
        "datetime",
        importable=True,
        required=True,
    ),
    LedgerColumn("urgency", pgettext_lazy("ledger column", "Urgency"), 10, importable=True),
    LedgerColumn("nature", pgettext_lazy("ledger column", "Nature"), 10, importable=True),
    LedgerColumn("state", pgettext_lazy("ledger column", "State"), 10),
    LedgerColumn(
        "responsible_org", pgettext_lazy("ledger column", "Responsible unit"), 22, importable=True
    ),
    LedgerColumn(
        "deadline", pgettext_lazy("ledger column", "Deadline"), 17, "datetime", importable=True
    ),
    LedgerColumn("light", pgettext_lazy("ledger column", "Traffic light"), 10),
    LedgerColumn("closed_at", pgettext_lazy("ledger column", "Closed at"), 17, "datetime"),
    LedgerColumn("hours_to_close", pgettext_lazy("ledger column", "Hours to close"), 12, "decimal"),
    LedgerColumn("on_the_spot", pgettext_lazy("ledger column", "Rectified on the spot"), 12),
    LedgerColumn("recurring", pgettext_lazy("ledger column", "Recurring"), 8),
    LedgerColumn("rule", pgettext_lazy("ledger column", "Lasting rule"), 36),
    LedgerColumn("reported_to", pgettext_lazy("ledger column", "Reported to"), 20),
    LedgerColumn("found_by", pgettext_lazy("ledger column", "Recorded by"), 14),
    LedgerColumn("signed_at", pgettext_lazy("ledger column", "Signed for at"), 17, "datetime"),
    LedgerColumn(
        "extensions_granted", pgettext_lazy("ledger column", "Extensions granted"), 10, "number"
    ),
    LedgerColumn("days_granted", pgettext_lazy("ledger column", "Days granted"), 10, "decimal"),
]
BY_KEY = {column.key: column for column in COLUMNS}
IMPORT_COLUMNS = [column for column in COLUMNS if column.importable]
REQUIRED_KEYS = frozenset(column.key for column in COLUMNS if column.required)

_SPACES = re.compile(r"\s+")


def normalize(text: Any) -> str:
    """A heading or choice as people type it: full-width forms folded, spaces and marks gone."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    return _SPACES.sub("", folded).rstrip("*").lower()


def in_every_language(text: Promise | str) -> set[str]:
    """The normalised forms of a translatable text in each language the site offers."""
    forms = {normalize(text)}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            forms.add(normalize(str(text)))
    return forms


@dataclass(frozen=True, eq=False)
class ColumnSet:
    """The columns of one kind of ledger, its data sheet, and its row limit's setting."""

    name: str
    columns: tuple[LedgerColumn, ...]
    sheet: Promise | str
    max_rows_setting: str
    max_strings_setting: str
    # Added to the codes of file refusals that name the rows ("no problems", "no enterprises").
    codes: str = ""

    @property
    def by_key(self) -> dict[str, LedgerColumn]:
        return {column.key: column for column in self.columns}

    @property
    def required(self) -> list[LedgerColumn]:
        return [column for column in self.columns if column.required]

    @property
    def importable(self) -> list[LedgerColumn]:
        return [column for column in self.columns if column.importable]

    def key_for(self, heading: Any) -> str | None:
        """The key of the column a heading names, in any of the site's languages."""
        languages = tuple(code for code, _name in settings.LANGUAGES)
        return _headings(self, languages).get(normalize(heading))


@cache
def _headings(columns: ColumnSet, language_key: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for column in columns.columns:
        for form in in_every_language(column.label):
            found.setdefault(form, column.key)
    return found


PROBLEM_COLUMNS = ColumnSet(
    "problems",
    tuple(COLUMNS),
    DATA_SHEET,
    "DUCHA_LEDGER_MAX_ROWS",
    "DUCHA_LEDGER_MAX_SHARED_STRINGS",
)


def column_for_heading(heading: Any) -> str | None:
    """The key of the problem ledger's column a heading names, in any of the site's languages."""
    return PROBLEM_COLUMNS.key_for(heading)
