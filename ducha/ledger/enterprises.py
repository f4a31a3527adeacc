"""Enterprise ledgers (复工复产台账): their columns, and checking their rows.

One row per enterprise or project. The cells are checked here (text, choices, dates, the
region and the supervising body, resolved for the uploader as problem ledgers resolve
them); what depends on the enterprise's record — its statuses in date order under the
jurisdiction's rule, the match of an existing enterprise by its credit code — is asked of
`ducha.resumption.bulk`, the code that imports the rows, so the check and the import refuse
the same rows for the same reasons.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ducha.core.text import LINE, NAME, TITLE, illegal_character
from ducha.ledger.columns import ColumnSet, LedgerColumn, in_every_language, normalize
from ducha.ledger.lookups import Reference, choice_map, region_text
from ducha.ledger.messages import REFUSED, list_separator
from ducha.ledger.validation import CheckOutcome, RowError, SheetRows, parse_time, text
from ducha.resumption import bulk
from ducha.resumption.choices import ACTION_ROLES, Category, EnterpriseAction, EnterpriseKind

CREDIT_CODE_LENGTH = 18
# 统一社会信用代码 (GB 32100): digits and capitals, without I, O, S, V and Z.
CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")
YES = _("Yes")
NO = _("No")


ENTERPRISE_COLUMNS = ColumnSet(
    "enterprises",
    (
        LedgerColumn(
            "name",
            pgettext_lazy("enterprise ledger column", "Name"),
            30,
            importable=True,
            required=True,
        ),
        LedgerColumn(
            "credit_code",
            pgettext_lazy("enterprise ledger column", "Unified social credit code"),
            22,
            importable=True,
        ),
        LedgerColumn(
            "kind",
            pgettext_lazy("enterprise ledger column", "Type"),
            10,
            importable=True,
            required=True,
        ),
        LedgerColumn(
            "category",
            pgettext_lazy("enterprise ledger column", "Category"),
            20,
            importable=True,
            required=True,
        ),
        LedgerColumn(
            "region",
            pgettext_lazy("enterprise ledger column", "Street or region"),
            30,
            importable=True,
            required=True,
        ),
        LedgerColumn(
            "area",
            pgettext_lazy("enterprise ledger column", "Zone or park"),
            14,
            importable=True,
        ),
        LedgerColumn(
            "supervisor",
            pgettext_lazy("enterprise ledger column", "Supervising body"),
            22,
            importable=True,
        ),
        LedgerColumn(
            "supervised",
            pgettext_lazy("enterprise ledger column", "Supervised here"),
            10,
            importable=True,
        ),
        LedgerColumn(
            "excluded_reason",
            pgettext_lazy("enterprise ledger column", "Why not supervised"),
            24,
            importable=True,
        ),
        LedgerColumn(
            "registered_on",
            pgettext_lazy("enterprise ledger column", "Registered on"),
            12,
            "datetime",
            importable=True,
        ),
        LedgerColumn(
            "filed_on",
            pgettext_lazy("enterprise ledger column", "Filed on"),
            12,
            "datetime",
            importable=True,
        ),
        LedgerColumn(
            "resumed_on",
            pgettext_lazy("enterprise ledger column", "Resumed on"),
            12,
            "datetime",
            importable=True,
        ),
        LedgerColumn(
            "stopped_on",
            pgettext_lazy("enterprise ledger column", "Stopped on"),
            12,
            "datetime",
            importable=True,
        ),
    ),
    pgettext_lazy("ledger sheet", "Enterprises"),
    "DUCHA_LEDGER_ENTERPRISE_MAX_ROWS",
    "DUCHA_LEDGER_ENTERPRISE_MAX_SHARED_STRINGS",
    codes="_enterprises",
)
TEXT_MAX = {
    "name": TITLE,
    "credit_code": CREDIT_CODE_LENGTH,
    "area": NAME,
    "excluded_reason": LINE,
    "supervisor": TITLE,
    "region": LINE,
}
DATE_COLUMNS = ("registered_on", "filed_on", "resumed_on", "stopped_on")
COLUMN_ORDER = {column.key: index for index, column in enumerate(ENTERPRISE_COLUMNS.columns)}


def _yes_no() -> dict[str, bool]:
    answers = {"1": True, "0": False, "true": True, "false": False, "y": True, "n": False}
    answers |= dict.fromkeys(in_every_language(YES), True)
    answers |= dict.fromkeys(in_every_language(NO), False)
    return answers


def parse_day(value: Any) -> date | None:
    """A day from what Excel or a person wrote; None when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    moment = parse_time(value)
    return timezone.localtime(moment).date() if moment is not None else None


class EnterpriseChecker:
    """The cells of each row checked for one uploader; the errors collected on the way."""

    def __init__(self, reference: Reference) -> None:
        self.ref = reference
        self.kinds = choice_map(EnterpriseKind)
        self.categories = choice_map(Category)
        self.answers = _yes_no()
        self.errors: list[RowError] = []
        self._row = 0

    def _error(self, column: str, code: str, /, **params: Any) -> None:
        self.errors.append(RowError(self._row, column, code, params))

    def check(self, values: dict[str, Any], number: int) -> bulk.EnterpriseRow | None:
        self._row = number
        before = len(self.errors)
        name = text(values.get("name"))
        if not name:
            self._error("name", "required")
        code = text(values.get("credit_code")).upper()
        if code and not CREDIT_CODE.fullmatch(code):
            self._error("credit_code", "not_a_credit_code")
        kind = self._choice("kind", values, self.kinds, EnterpriseKind)
        category = self._choice("category", values, self.categories, Category)
        region = self._region(region_text(values.get("region")))
        supervisor = None
        supervisor_name = text(values.get("supervisor"))
        if supervisor_name and region is not None:
            found = self.ref.unit(supervisor_name, region)
            if found.pk is None:
                self._error("supervisor", found.code, **found.params)
            supervisor = found.pk
        supervised = self._supervised(values.get("supervised"))
        reason = text(values.get("excluded_reason"))
        if supervised is False and not reason:
            self._error("excluded_reason", "required")
        days = {key: self._day(key, values.get(key)) for key in DATE_COLUMNS}
        if len(self.errors) > before:
            return None
        assert kind is not None and category is not None and region is not None
        return bulk.EnterpriseRow(
            number=number,
            kind=kind,
            name=name,
            category=category,
            region_id=region,
            credit_code=code,
            area=text(values.get("area")),
            supervisor_id=supervisor,
            supervised=supervised is not False,
            excluded_reason=reason if supervised is False else "",
            **days,
        )

    def _choice(
        self, column: str, values: dict[str, Any], mapping: dict[str, str], kind: Any
    ) -> str | None:
        written = normalize(text(values.get(column)))
        if not written:
            self._error(column, "required")
            return None
        chosen = mapping.get(written)
        if chosen is None:
            labels = list_separator().join(str(label) for label in kind.labels)
            self._error(column, "not_a_choice", choices=labels)
        return chosen

    def _region(self, written: str) -> int | None:
        if not written:
            self._error("region", "required")
            return None
        found = self.ref.region(written)
        if found.pk is None:
            code = (
                "region_not_yours_enterprises" if found.code == "region_not_yours" else found.code
            )
            self._error("region", code, **found.params)
        return found.pk

    def _supervised(self, value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        written = normalize(text(value))
        if not written:
            return None
        if written not in self.answers:
            self._error("supervised", "not_a_choice", choices=f"{YES}{list_separator()}{NO}")
            return None
        return self.answers[written]

    def _day(self, column: str, value: Any) -> date | None:
        if value is None or text(value) == "":
            return None
        day = parse_day(value)
        if day is None:
            self._error(column, "not_a_date")
        return day


def _cell_errors(number: int, values: dict[str, Any]) -> list[RowError]:
    """Cells that cannot be stored or are too long, before anything is looked up."""
    errors = []
    for column, value in values.items():
        if not isinstance(value, str):
            continue
        illegal = illegal_character(value, multiline=False)
        if illegal is not None:
            position, char = illegal
            code = "one_line" if char in "\t\n\r" else "bad_character"
            params = {"char": f"U+{ord(char):04X}", "position": position}
            errors.append(RowError(number, column, code, params))
        elif column in TEXT_MAX and len(value.strip()) > TEXT_MAX[column]:
            params = {"limit": TEXT_MAX[column], "length": len(value.strip())}
            errors.append(RowError(number, column, "too_long", params))
    return errors


def check_enterprise_rows(user: Any, read: SheetRows) -> CheckOutcome:
    """Every row of an enterprise ledger checked for `user`, against the data as it is now."""
    bad_cells = [error for raw in read.rows for error in _cell_errors(raw.number, raw.values)]
    refused = {error.row for error in bad_cells}
    raw_rows = [raw for raw in read.rows if raw.number not in refused]
    reference = Reference(user, ACTION_ROLES[EnterpriseAction.REGISTER])
    reference.load(
        regions={region_text(r.values.get("region")) for r in raw_rows} - {""},
        units={text(r.values.get("supervisor")) for r in raw_rows} - {""},
    )
    checker = EnterpriseChecker(reference)
    checker.errors.extend(bad_cells)
    parsed: list[bulk.EnterpriseRow] = []
    seen: dict[Any, int] = {}
    for raw in raw_rows:
        row = checker.check(raw.values, raw.number)
        if row is None:
            continue
        # One enterprise, one row: its statuses would otherwise depend on the rows' order.
        key = row.credit_code or (normalize(row.name), row.region_id)
        if key in seen:
            column = "credit_code" if row.credit_code else "name"
            checker.errors.append(
                RowError(row.number, column, "duplicate_enterprise", {"row": seen[key]})
            )
            continue
        seen[key] = row.number
        parsed.append(row)
    refusals = {r.number: r for r in bulk.refusals(parsed, acting_user=user)}
    for number, refusal in refusals.items():
        checker.errors.append(
            RowError(number, refusal.column, REFUSED, {"message": refusal.message})
        )
    valid = [row for row in parsed if row.number not in refusals]
    errors = sorted(checker.errors, key=lambda e: (e.row, COLUMN_ORDER.get(e.column, 99)))
    return CheckOutcome(read.sheet, valid, errors, len(read.rows), read)
