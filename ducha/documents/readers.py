"""What one reader sees of an issued document: the whole record, or only its rows that the
reader's grants reach (decision 0009).

The record stays whole: `Document.data`, the linked problems and the stored files never
change. A reader below the issuing office sees a view filtered from those frozen rows when
the document is rendered: on the page, in the API, and in Word, Excel and PDF files made for
that reader on request. Counts and the statistics sentence are counted again from the rows
shown, so that no figure speaks of rows the reader may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from ducha.accounts.choices import OFFICE_ROLES, Role
from ducha.core.scope import grants_for
from ducha.documents.choices import READER_ROLES, Kind
from ducha.orgs.models import Org
from ducha.problems.models import Problem

# Roles that read by region: they see a document whole when its issuer lies in their
# jurisdiction, and otherwise the rows of problems located in it.
REGION_READERS = OFFICE_ROLES | READER_ROLES
# Every role that reads documents reaches the rows assigned to its own org or below it.
ORG_READERS = REGION_READERS | {Role.UNIT_HANDLER, Role.COMMAND, Role.POLICE}


@dataclass(frozen=True)
class Reach:
    whole: bool
    region_paths: tuple[str, ...] = ()
    org_paths: tuple[str, ...] = ()

    def region(self, path: str | None) -> bool:
        return path is not None and any(path.startswith(root) for root in self.region_paths)

    def org(self, path: str | None) -> bool:
        return path is not None and any(path.startswith(root) for root in self.org_paths)


def reach_of(user: Any, document: Any) -> Reach:
    """Whole for the issuing jurisdiction and those above it; else the reader's own rows."""
    grants = grants_for(user)
    issuer_path = document.issuer.path
    if any(
        grant.role in REGION_READERS
        and grant.region_path
        and issuer_path.startswith(grant.region_path)
        for grant in grants
    ):
        return Reach(True)
    return Reach(
        False,
        tuple(g.region_path for g in grants if g.role in REGION_READERS and g.region_path),
        tuple(g.org_path for g in grants if g.role in ORG_READERS),
    )


@dataclass
class ReaderView:
    """The document's data as this reader sees it, and the problems they may see named."""

    whole: bool
    data: dict[str, Any]
    problem_ids: frozenset[int]

    def listed(self, entries: Any) -> Any:
        """The document's linked problems (a queryset) that this reader may see named."""
        return entries if self.whole else entries.filter(problem_id__in=self.problem_ids)


def reader_view(user: Any, document: Any) -> ReaderView:
    reach = reach_of(user, document)
    if reach.whole or not document.is_issued:
        return ReaderView(True, document.data, frozenset(document.data.get("problem_ids", [])))
    narrow = NARROWERS.get(document.kind)
    if narrow is None:
        # A kind without a rule for partial readers is not shown to them at all.
        raise Http404
    data = narrow(document.data, _Rows(document.data, reach), reach, document)
    kept = frozenset(data.get("problem_ids", []))
    return ReaderView(False, data, kept)


class _Rows:
    """Which frozen rows the reader reaches: a problem located in their region, or assigned
    (at issue) to their org or below it."""

    def __init__(self, data: dict[str, Any], reach: Reach) -> None:
        rows = [*data.get("rows", []), *data.get("overdue_rows", [])]
        problem_ids = {row["id"] for row in rows}
        unit_ids = {row["unit_id"] for row in rows if row.get("unit_id")}
        lines = data.get("units")  # a bulletin's lines of figures (a list's is a count)
        if isinstance(lines, list):
            unit_ids |= {line["unit_id"] for line in lines if line.get("unit_id")}
        unit_ids |= {unit["unit_id"] for unit in data.get("commended_units", [])}
        self.reach = reach
        self.regions = dict(
            Problem.objects.filter(pk__in=problem_ids).values_list("pk", "region__path")
        )
        self.units = dict(Org.objects.filter(pk__in=unit_ids).values_list("pk", "path"))

    def __call__(self, row: dict[str, Any]) -> bool:
        unit = self.units.get(row["unit_id"]) if row.get("unit_id") else None
        return self.reach.region(self.regions.get(row["id"])) or self.reach.org(unit)

    def unit(self, unit_id: int | None) -> bool:
        """A bulletin's line of figures: a unit of the reader's own org, or one belonging to
        their region (its figures mix problems of several places, so a line is all or none)."""
        path = self.units.get(unit_id) if unit_id else None
        return self.reach.org(path) or self.reach.region(path)


def _ids(rows: list[dict[str, Any]]) -> list[int]:
    return [row["id"] for row in rows]


def _problem_list(data: dict[str, Any], keep: _Rows, reach: Reach, document: Any) -> dict:
    rows = [row for row in data["rows"] if keep(row)]
    units = {row["unit_id"] for row in rows if row["unit_id"]}
    return data | {"rows": rows, "count": len(rows), "units": len(units), "problem_ids": _ids(rows)}


def _reaches_recipient(reach: Reach, document: Any) -> bool:
    recipient = document.recipient
    return recipient is not None and (reach.org(recipient.path) or reach.region(recipient.path))


def _rectification_letter(data: dict[str, Any], keep: _Rows, reach: Reach, document: Any) -> dict:
    rows = [row for row in data["rows"] if keep(row)]
    narrowed = data | {"rows": rows, "problem_ids": _ids(rows)}
    if _reaches_recipient(reach, document):
        # The figures are the addressed unit's own.
        return narrowed
    overdue = sum(1 for row in rows if row["light"] == "red")
    return narrowed | {"found": len(rows), "rectified": 0, "open": len(rows), "overdue": overdue}


def _prompt_letter(data: dict[str, Any], keep: _Rows, reach: Reach, document: Any) -> dict:
    rows = [row for row in data["rows"] if keep(row)]
    # The recurring kinds are counted over the recipient's whole scope.
    kinds = data["kinds"] if _reaches_recipient(reach, document) else []
    return data | {"rows": rows, "kinds": kinds, "problem_ids": _ids(rows)}


def _bulletin(data: dict[str, Any], keep: _Rows, reach: Reach, document: Any) -> dict:
    units = [unit for unit in data["units"] if keep.unit(unit["unit_id"])]
    names = {unit["name"] for unit in units}
    overdue = [row for row in data["overdue_rows"] if keep(row)]
    figures = ("found", "rectified", "open", "overdue", "disputed")
    # Bulletins drafted before disputes were counted have no "disputed" on their lines.
    totals = {name: sum(unit.get(name, 0) for unit in units) for name in figures}
    narrowed = (
        data
        | totals
        | {
            "units": units,
            "praised": [name for name in data["praised"] if name in names],
            "overdue_rows": overdue,
            "problem_ids": _ids(overdue),
            "commended_units": [
                unit for unit in data.get("commended_units", []) if keep.unit(unit["unit_id"])
            ],
            "commended_more": 0,
        }
    )
    # The period's counts of accountability and commendations are the whole jurisdiction's:
    # a reader outside it gets none of them, only the commended units they reach.
    narrowed.pop("results", None)
    return narrowed


def _urge_notice(data: dict[str, Any], keep: _Rows, reach: Reach, document: Any) -> dict:
    # One problem: the addressed unit and the problem's own region read it whole.
    rows = [row for row in data["rows"] if keep(row)]
    if not rows:
        raise Http404
    return data | {"rows": rows, "problem_ids": _ids(rows)}


def _notice(data: dict[str, Any], keep: _Rows, reach: Reach, document: Any) -> dict:
    # A notice names no problem: whoever may read it reads it whole.
    return data


def _referral_letter(data: dict[str, Any], keep: _Rows, reach: Reach, document: Any) -> dict:
    # The letter is the receiving body's; no one else below the issuer reads any of it.
    if not _reaches_recipient(reach, document):
        raise Http404
    return data


NARROWERS: dict[str, Callable[[dict[str, Any], _Rows, Reach, Any], dict[str, Any]]] = {
    Kind.PROBLEM_LIST: _problem_list,
    Kind.RECTIFICATION_LETTER: _rectification_letter,
    Kind.PROMPT_LETTER: _prompt_letter,
    Kind.BULLETIN: _bulletin,
    Kind.URGE_NOTICE: _urge_notice,
    Kind.NOTICE: _notice,
    Kind.REFERRAL_LETTER: _referral_letter,
}
