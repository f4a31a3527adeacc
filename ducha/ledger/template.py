"""The import template: the data sheet, how to fill it in, and what the user may name.

The reference sheet lists the regions where the user may record problems, the sites in them,
the teams they may name, and (for those who assign) the units; the data sheet's dropdowns
for focus area, urgency, nature and team draw on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import zip_longest
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ducha.core.scope import grants_for
from ducha.ledger.columns import IMPORT_COLUMNS
from ducha.ledger.conf import ledger_setting
from ducha.ledger.lookups import ancestor_ids, creatable_condition
from ducha.ledger.messages import list_separator
from ducha.ledger.sheets import DATA_SHEET, INSTRUCTIONS_SHEET, REFERENCE_SHEET
from ducha.ledger.xlsx import Column, ListValidation, Sheet, column_letter, workbook_bytes
from ducha.orgs.choices import LEVEL_FIELDS
from ducha.orgs.models import Org, Site, Team
from ducha.problems.choices import ACTION_ROLES, Action, Nature, Urgency
from ducha.problems.choosers import UNIT_KINDS
from ducha.problems.models import FocusArea

# Longest list of one kind on the reference sheet; beyond it, regions are written by code.
REFERENCE_MAX = 50_000
SEPARATOR = "/"


class TemplateRegions:
    """Full names ("河北省/承德市/双桥区") of the regions the user may name."""

    def __init__(self, user: Any, roles: frozenset[str] | None = None) -> None:
        roots = Org.objects.regions().filter(creatable_condition(user, roles=roles))
        self.rows = list(
            roots.order_by("tree_order").values_list("pk", "name", "path", "code")[:REFERENCE_MAX]
        )
        self.truncated = len(self.rows) >= REFERENCE_MAX
        names = dict((pk, name) for pk, name, _path, _code in self.rows)
        above = {pk for _pk, _n, path, _c in self.rows for pk in ancestor_ids(path)} - set(names)
        names.update(Org.objects.filter(pk__in=above).values_list("pk", "name"))
        self.full = {
            pk: SEPARATOR.join(names.get(i, "") for i in ancestor_ids(path))
            for pk, _name, path, _code in self.rows
        }

    def of_levels(self, levels: tuple[int | None, ...]) -> str:
        deepest = next((pk for pk in reversed(levels) if pk), None)
        return self.full.get(deepest, "") if deepest else ""


def _may_assign(user: Any) -> bool:
    return any(g.role in ACTION_ROLES[Action.ASSIGN] and g.region_path for g in grants_for(user))


def _reference_lists(user: Any, regions: TemplateRegions) -> dict[str, list[Any]]:
    levels = [f"{field}_id" for field in LEVEL_FIELDS.values()]
    sites = (
        Site.objects.visible_to(user)
        .filter(creatable_condition(user, "region__path"))
        .order_by("region__tree_order", "name")
        .values_list("name", *levels)[:REFERENCE_MAX]
    )
    units: list[tuple[Any, ...]] = []
    if _may_assign(user):
        units = list(
            Org.objects.visible_to(user)
            .filter(kind__in=UNIT_KINDS)
            .order_by("tree_order")
            .values_list("name", *levels)[:REFERENCE_MAX]
        )
    teams = Team.objects.visible_to(user).filter(active=True).order_by("sort_key")
    return {
        "regions": [(regions.full[pk], code) for pk, _n, _p, code in regions.rows],
        "sites": [(row[0], regions.of_levels(row[1:])) for row in sites],
        "units": [(row[0], regions.of_levels(row[1:])) for row in units],
        "teams": list(dict.fromkeys(teams.values_list("name", flat=True))),
        "focus_areas": list(FocusArea.objects.filter(active=True).values_list("name", flat=True)),
        "urgencies": [str(label) for label in Urgency.labels],
        "natures": [str(label) for label in Nature.labels],
    }


REFERENCE_ORDER = ("regions", "sites", "units", "teams", "focus_areas", "urgencies", "natures")


def _reference_columns() -> list[Column]:
    return [
        Column(pgettext("ledger reference", "Region (full path)"), 36),
        Column(pgettext("ledger reference", "Region code"), 14),
        Column(pgettext("ledger reference", "Site"), 24),
        Column(pgettext("ledger reference", "Region of the site"), 36),
        Column(pgettext("ledger reference", "Responsible unit"), 24),
        Column(pgettext("ledger reference", "Region of the unit"), 36),
        Column(pgettext("ledger reference", "Team"), 24),
        Column(pgettext("ledger reference", "Focus area"), 16),
        Column(pgettext("ledger reference", "Urgency"), 10),
        Column(pgettext("ledger reference", "Nature"), 12),
    ]


def _reference_rows(lists: dict[str, list[Any]]) -> Iterator[list[Any]]:
    def flat(key: str) -> list[tuple[Any, ...]]:
        return [item if isinstance(item, tuple) else (item,) for item in lists[key]]

    widths = {"regions": 2, "sites": 2, "units": 2}
    columns = [flat(key) for key in REFERENCE_ORDER]
    for parts in zip_longest(*columns):
        row: list[Any] = []
        for key, part in zip(REFERENCE_ORDER, parts, strict=True):
            row.extend(part if part is not None else (None,) * widths.get(key, 1))
        yield row


def _validations(lists: dict[str, list[Any]]) -> list[ListValidation]:
    """Dropdowns on the data sheet, each drawing on its list on the reference sheet."""
    sheet = str(REFERENCE_SHEET).replace("'", "''")
    last_row = ledger_setting("DUCHA_LEDGER_MAX_ROWS") + 1
    keys = [column.key for column in IMPORT_COLUMNS]
    sources = {"team": ("teams", 6), "focus_area": ("focus_areas", 7)}
    sources |= {"urgency": ("urgencies", 8), "nature": ("natures", 9)}
    found: list[ListValidation] = []
    for key, (list_key, ref_index) in sources.items():
        count = len(lists[list_key])
        if not count:
            continue
        target = column_letter(keys.index(key))
        source_column = column_letter(ref_index)
        found.append(
            ListValidation(
                sqref=f"{target}2:{target}{last_row}",
                source=f"'{sheet}'!${source_column}$2:${source_column}${count + 1}",
                error=_("Choose a value from the list."),
            )
        )
    return found


def _instructions(lists: dict[str, list[Any]], truncated: bool) -> list[list[str]]:
    separator = list_separator()
    required = separator.join(str(c.label) for c in IMPORT_COLUMNS if c.required)
    example = lists["regions"][0][0] if lists["regions"] else ""
    lines = [
        _("How to fill in the problem import template"),
        _(
            "Write one problem per row on the sheet “%(sheet)s”, from row 2 down. Keep the "
            "headings of row 1 as they are."
        )
        % {"sheet": str(DATA_SHEET)},
        _("Required columns: %(columns)s.") % {"columns": required},
        _(
            "Region: the full path as on the sheet “%(sheet)s” (for example %(example)s), its "
            "last part when that is unique, or the region code."
        )
        % {"sheet": str(REFERENCE_SHEET), "example": example},
        _(
            "Site, team and responsible unit: the names exactly as on the sheet “%(sheet)s”. "
            "A site must lie in the region of its row."
        )
        % {"sheet": str(REFERENCE_SHEET)},
        _(
            "Focus area, urgency and nature: choose from the dropdown. Left empty, urgency is "
            "“%(normal)s” and nature “%(individual)s”."
        )
        % {"normal": Urgency.NORMAL.label, "individual": Nature.INDIVIDUAL.label},
        _("Found at: the date and time, such as 2026-03-01 09:30; not in the future."),
        _(
            "Responsible unit and deadline (optional; only for roles that assign problems): the "
            "problem is assigned to the unit at once. The deadline must lie in the future; "
            "left empty, the focus area's usual time applies."
        ),
        _(
            "After the upload every row is checked. Rows with errors are listed with their row "
            "number and the reason; you then choose to import nothing, or only the rows "
            "without errors."
        ),
        _(
            "An exported problem ledger can be brought back: rows that carry a problem number "
            "are already in the system and are reported as such; new rows without a number "
            "are imported."
        ),
        _("At most %(rows)s problems and %(size)s per file.")
        % {
            "rows": ledger_setting("DUCHA_LEDGER_MAX_ROWS"),
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


def template_workbook(user: Any) -> bytes:
    """The template for one user (who `may_import`): their regions, sites, teams and units."""
    regions = TemplateRegions(user)
    lists = _reference_lists(user, regions)
    data = Sheet(
        str(DATA_SHEET),
        [column.column() for column in IMPORT_COLUMNS],
        [],
        validations=_validations(lists),
    )
    instructions = Sheet(
        str(INSTRUCTIONS_SHEET),
        [Column(_("Instructions"), 110, "wrap")],
        _instructions(lists, regions.truncated),
        header=False,
    )
    reference = Sheet(str(REFERENCE_SHEET), _reference_columns(), _reference_rows(lists))
    return workbook_bytes([data, instructions, reference])
