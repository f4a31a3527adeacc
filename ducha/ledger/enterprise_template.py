"""The enterprise ledger's import template: the data sheet, how to fill it in, and the
regions, supervising bodies and choices the uploader may name."""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ducha.ledger.conf import ledger_setting
from ducha.ledger.enterprises import ENTERPRISE_COLUMNS, NO, YES
from ducha.ledger.messages import list_separator
from ducha.ledger.sheets import INSTRUCTIONS_SHEET, REFERENCE_SHEET
from ducha.ledger.template import REFERENCE_MAX, TemplateRegions
from ducha.ledger.xlsx import Column, ListValidation, Sheet, column_letter, workbook_bytes
from ducha.orgs.choices import LEVEL_FIELDS
from ducha.orgs.models import Org
from ducha.problems.choosers import UNIT_KINDS
from ducha.resumption.choices import ACTION_ROLES, Category, EnterpriseAction, EnterpriseKind

# Reference columns: region, its code, body, its region, type, category, yes/no.
DROPDOWNS = {"kind": ("kinds", 4), "category": ("categories", 5), "supervised": ("answers", 6)}


def _lists(user: Any, regions: TemplateRegions) -> dict[str, list[Any]]:
    levels = [f"{field}_id" for field in LEVEL_FIELDS.values()]
    bodies = (
        Org.objects.visible_to(user)
        .filter(kind__in=UNIT_KINDS)
        .exclude(kind="region")
        .order_by("tree_order")
        .values_list("name", *levels)[:REFERENCE_MAX]
    )
    return {
        "regions": [(regions.full[pk], code) for pk, _n, _p, code in regions.rows],
        "bodies": [(row[0], regions.of_levels(row[1:])) for row in bodies],
        "kinds": [(str(label),) for label in EnterpriseKind.labels],
        "categories": [(str(label),) for label in Category.labels],
        "answers": [(str(YES),), (str(NO),)],
    }


def _validations(lists: dict[str, list[Any]]) -> list[ListValidation]:
    sheet = str(REFERENCE_SHEET).replace("'", "''")
    last_row = ledger_setting(ENTERPRISE_COLUMNS.max_rows_setting) + 1
    keys = [column.key for column in ENTERPRISE_COLUMNS.importable]
    found = []
    for key, (list_key, ref_index) in DROPDOWNS.items():
        target, source = column_letter(keys.index(key)), column_letter(ref_index)
        found.append(
            ListValidation(
                sqref=f"{target}2:{target}{last_row}",
                source=f"'{sheet}'!${source}$2:${source}${len(lists[list_key]) + 1}",
                error=_("Choose a value from the list."),
            )
        )
    return found


def _instructions(lists: dict[str, list[Any]], truncated: bool) -> list[list[str]]:
    separator = list_separator()
    required = separator.join(str(c.label) for c in ENTERPRISE_COLUMNS.required)
    example = lists["regions"][0][0] if lists["regions"] else ""
    lines = [
        _("How to fill in the enterprise import template"),
        _(
            "Write one enterprise or construction project per row on the sheet “%(sheet)s”, "
            "from row 2 down. Keep the headings of row 1 as they are."
        )
        % {"sheet": str(ENTERPRISE_COLUMNS.sheet)},
        _("Required columns: %(columns)s; a new enterprise also needs its registration day.")
        % {"columns": required},
        _(
            "Street or region: the full path as on the sheet “%(sheet)s” (for example "
            "%(example)s), its last part when that is unique, or the region code."
        )
        % {"sheet": str(REFERENCE_SHEET), "example": example},
        _(
            "Unified social credit code: a row with the code of an enterprise already in your "
            "jurisdiction updates it; without a code, a row updates the enterprise of the same "
            "name in the same region. Other rows add new enterprises."
        ),
        _(
            "Supervised here: “%(no)s” takes the enterprise out of the jurisdiction's rates; "
            "then say why. Left empty, it is supervised here."
        )
        % {"no": str(NO)},
        _(
            "Registered, filed, resumed and stopped on: days such as 2026-03-01, none in the "
            "future, none before the registration. The statuses are recorded in date order; "
            "where the jurisdiction requires filing first, a resumption needs a filing day "
            "on or before it."
        ),
        _(
            "After the upload every row is checked. Rows with errors are listed with their row "
            "number, column and the reason; you then choose to import nothing, or only the "
            "rows without errors."
        ),
        _("At most %(rows)s enterprises and %(size)s per file.")
        % {
            "rows": ledger_setting(ENTERPRISE_COLUMNS.max_rows_setting),
            "size": filesizeformat(ledger_setting("DUCHA_LEDGER_MAX_BYTES")),
        },
    ]
    if truncated:
        lines.append(
            _(
                "Your jurisdiction has more regions than the reference sheet lists; regions "
                "not listed can be written by their code."
            )
        )
    return [[line] for line in lines]


def _reference(lists: dict[str, list[Any]]) -> Sheet:
    columns = [
        Column(pgettext("ledger reference", "Region (full path)"), 36),
        Column(pgettext("ledger reference", "Region code"), 14),
        Column(pgettext("ledger reference", "Supervising body"), 24),
        Column(pgettext("ledger reference", "Region of the body"), 36),
        Column(pgettext("ledger reference", "Type"), 14),
        Column(pgettext("ledger reference", "Category"), 28),
        Column(pgettext("ledger reference", "Yes or no"), 10),
    ]
    order = ("regions", "bodies", "kinds", "categories", "answers")
    widths = {"regions": 2, "bodies": 2}
    rows = []
    for parts in zip_longest(*(lists[key] for key in order)):
        row: list[Any] = []
        for key, part in zip(order, parts, strict=True):
            row.extend(part if part is not None else (None,) * widths.get(key, 1))
        rows.append(row)
    return Sheet(str(REFERENCE_SHEET), columns, rows)


def enterprise_template_workbook(user: Any) -> bytes:
    """The template for one user who may import enterprise ledgers."""
    regions = TemplateRegions(user, ACTION_ROLES[EnterpriseAction.REGISTER])
    lists = _lists(user, regions)
    data = Sheet(
        str(ENTERPRISE_COLUMNS.sheet),
        [column.column() for column in ENTERPRISE_COLUMNS.importable],
        [],
        validations=_validations(lists),
    )
    instructions = Sheet(
        str(INSTRUCTIONS_SHEET),
        [Column(_("Instructions"), 110, "wrap")],
        _instructions(lists, regions.truncated),
        header=False,
    )
    return workbook_bytes([data, instructions, _reference(lists)])
