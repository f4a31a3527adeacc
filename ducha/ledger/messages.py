"""What the check of a ledger file says, by code, so a report reads in the reader's language.

Reports store codes and parameters; the texts are looked up when the report is shown.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy, pgettext

ROW_MESSAGES: dict[str, Any] = {
    "required": gettext_lazy("This column must be filled in."),
    "too_long": gettext_lazy("At most %(limit)s characters; this has %(length)s."),
    "bad_character": gettext_lazy(
        "Remove the control character %(char)s at position %(position)s: it cannot be stored "
        "or printed."
    ),
    "one_line": gettext_lazy("Write this on one line: line breaks and tabs are not allowed here."),
    "region_not_found": gettext_lazy(
        "No region with this name or code in your jurisdiction (see the reference sheet)."
    ),
    "region_ambiguous": gettext_lazy(
        "Several regions have this name: write the full path, such as %(example)s, or the "
        "region code."
    ),
    "region_not_yours": gettext_lazy("Your role may not record problems in this region."),
    "focus_area_unknown": gettext_lazy("Not one of the focus areas in use."),
    "site_not_found": gettext_lazy("No site with this name in the region."),
    "site_ambiguous": gettext_lazy("Several sites in the region have this name."),
    "team_not_found": gettext_lazy("No active team with this name in your jurisdiction."),
    "team_ambiguous": gettext_lazy("Several teams have this name."),
    "not_a_time": gettext_lazy("Not a date and time; write it like 2026-03-01 09:30."),
    "found_in_future": gettext_lazy("The time of discovery cannot be in the future."),
    "not_a_choice": gettext_lazy("Write one of: %(choices)s."),
    "unit_not_found": gettext_lazy(
        "No department or enterprise with this name in or above the region."
    ),
    "unit_ambiguous": gettext_lazy("Several units with this name serve the region."),
    "may_not_assign": gettext_lazy(
        "Your role may not assign problems in this region: leave the unit and deadline empty."
    ),
    "deadline_without_unit": gettext_lazy("A deadline needs a responsible unit."),
    "deadline_past": gettext_lazy("The deadline must be in the future."),
    "duplicate_row": gettext_lazy("The same problem as row %(row)s."),
    "already_recorded": gettext_lazy("Already recorded as problem No. %(number)s."),
    "existing_number": gettext_lazy(
        "This row is problem No. %(number)s, which is already in the system; an import only "
        "adds new problems (leave the number empty for a new one)."
    ),
    # Enterprise ledgers (复工复产台账).
    "not_a_date": gettext_lazy("Not a date; write it like 2026-03-01."),
    "not_a_credit_code": gettext_lazy(
        "Not a unified social credit code: 18 digits and capital letters."
    ),
    "region_not_yours_enterprises": gettext_lazy(
        "Your role may not register enterprises in this region."
    ),
    "duplicate_enterprise": gettext_lazy("The same enterprise as row %(row)s."),
}
# A row refused by the rules of the record itself (`ducha.resumption.bulk`), whose message
# was recorded as they said it.
REFUSED = "refused"

FILE_MESSAGES: dict[str, Any] = {
    "empty_upload": gettext_lazy("The file is empty."),
    "too_large": gettext_lazy("The file is too large: the limit is %(limit)s."),
    "old_format": gettext_lazy(
        "This is an old Excel file (.xls) or a protected one. Save it as an Excel workbook "
        "(.xlsx) without a password and upload it again."
    ),
    "not_xlsx": gettext_lazy("This is not an Excel workbook (.xlsx). Use the import template."),
    "unpacked_too_large": gettext_lazy(
        "The workbook is too large once unpacked: the limit is %(limit)s."
    ),
    "packed_too_tightly": gettext_lazy(
        "The workbook unpacks to more than %(ratio)s times its size, which no real ledger "
        "does. Save it again from Excel or use the import template."
    ),
    "too_many_strings": gettext_lazy(
        "The workbook holds more than %(limit)s different texts. Split it into several files."
    ),
    "macros": gettext_lazy(
        "Workbooks with macros (.xlsm, VBA, macro sheets or controls) are not accepted. Save "
        "it as an Excel workbook (.xlsx) and upload it again."
    ),
    "unreadable": gettext_lazy("The workbook is damaged and cannot be read."),
    "no_header": gettext_lazy("The first row must hold the column headings of the template."),
    "unknown_headings": gettext_lazy(
        "Unknown columns: %(headings)s. Use the headings of the import template."
    ),
    "duplicate_headings": gettext_lazy("These columns appear twice: %(headings)s."),
    "missing_headings": gettext_lazy("Required columns are missing: %(headings)s."),
    "no_rows": gettext_lazy("The file holds no problems below the headings."),
    "no_rows_enterprises": gettext_lazy("The file holds no enterprises below the headings."),
    "too_many_rows_enterprises": gettext_lazy(
        "The file holds more than %(limit)s enterprises. Split it into several files."
    ),
    "too_many_rows": gettext_lazy(
        "The file holds more than %(limit)s problems. Split it into several files."
    ),
    "changed": gettext_lazy("The stored file no longer matches what was checked."),
    "row_failed": gettext_lazy(
        "Row %(row)s could not be imported: %(reason)s Nothing was imported."
    ),
    "queue_unavailable": gettext_lazy(
        "The background service is not available. Try again later or upload a smaller file."
    ),
    "internal": gettext_lazy("An unexpected error stopped the work. Nothing was imported."),
    "stalled": gettext_lazy(
        "The work stopped %(times)s times at the same place (its process ended), so it is not "
        "tried again. Nothing was imported. Split the file into smaller ones and upload them."
    ),
    # The import stopped after some chunks had committed; their rows stay recorded.
    "row_failed_partial": gettext_lazy(
        "Row %(row)s could not be imported: %(reason)s The %(imported)s rows imported before "
        "it stay recorded; upload the file again to import the rest."
    ),
    "stalled_partial": gettext_lazy(
        "The work stopped %(times)s times at the same place (its process ended), so it is not "
        "tried again. The %(imported)s rows imported before it stay recorded; upload the rest "
        "in smaller files."
    ),
    "internal_partial": gettext_lazy(
        "An unexpected error stopped the work. The %(imported)s rows imported before it stay "
        "recorded; upload the file again to import the rest."
    ),
}


def _render(table: dict[str, Any], code: str, params: dict[str, Any] | None) -> str:
    template = table.get(code)
    if template is None:
        return code
    text = str(template)
    if params:
        try:
            return text % params
        except (KeyError, TypeError, ValueError):
            return text
    return text


def row_message(code: str, params: dict[str, Any] | None = None) -> str:
    if code == REFUSED:
        return str((params or {}).get("message", ""))
    return _render(ROW_MESSAGES, code, params)


def file_message(code: str, params: dict[str, Any] | None = None) -> str:
    if code in ("row_failed", "row_failed_partial") and params:
        inner = params.get("params") or {}
        if params.get("code") == "action":
            # An action refused the row; its message was recorded as it was said.
            reason = str(inner.get("message", ""))
        else:
            reason = row_message(params.get("code", ""), inner)
        found = {"row": params.get("row"), "reason": reason, "imported": params.get("imported")}
        return _render(FILE_MESSAGES, code, found)
    return _render(FILE_MESSAGES, code, params)


def list_separator() -> str:
    return pgettext("list separator", ", ")
