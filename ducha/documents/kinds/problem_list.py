"""问题清单: a numbered batch of problems handed to the units, from the problem-list filters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.errors import InvalidInput
from ducha.documents.kinds.common import (
    ROW_RELATED,
    Block,
    Drafted,
    as_int,
    moment_label,
    paragraph,
    problem_row,
    problems_in,
    region_in,
    state_label,
    within_limit,
    written_paragraphs,
)
from ducha.orgs.models import Org
from ducha.problems.choices import Nature, State, TrafficLight, Urgency
from ducha.problems.filters import ProblemFilter

# The list filters a problem list may use, as the problem list page names them.
ID_FILTERS = ("focus_area", "team", "responsible_org")
CHOICE_FILTERS = {
    "state": State.values,
    "light": TrafficLight.values,
    "nature": Nature.values,
    "urgency": Urgency.values,
}
BOOL_FILTERS = ("overdue", "closed_late", "not_listed")


class ProblemListKind:
    kind = "problem_list"
    text_keys = [
        ("intro", gettext_lazy("Opening")),
        ("requirements", gettext_lazy("Requirements")),
    ]

    def default_title(self, issuer: Org, params: dict[str, Any], drafted: Drafted) -> str:
        return _("List of problems found in supervision")

    def default_addressee(self, issuer: Org, drafted: Drafted) -> str:
        return _("All responsible units")

    def default_texts(self) -> dict[str, str]:
        return {
            "intro": _(
                "The problems found in recent supervision are listed below and handed to the "
                "units responsible."
            ),
            "requirements": _(
                "Each unit is to rectify every problem on the list by its deadline and report "
                "the rectification with evidence through Ducha. Problems not rectified in time "
                "will be named in the bulletin."
            ),
        }

    def clean_params(self, issuer: Org, raw: dict[str, Any]) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if raw.get("region") not in (None, ""):
            params["region"] = region_in(issuer, raw["region"]).pk
        for name in ID_FILTERS:
            if raw.get(name) not in (None, ""):
                params[name] = as_int(raw[name], name)
        for name, allowed in CHOICE_FILTERS.items():
            value = raw.get(name)
            if value in (None, ""):
                continue
            if value not in allowed:
                raise InvalidInput(
                    _("Select a valid choice. That choice is not one of the available choices."),
                    name,
                )
            params[name] = value
        for name in BOOL_FILTERS:
            if raw.get(name) is not None:
                params[name] = bool(raw[name])
        text = str(raw.get("q") or "").strip()
        if text:
            params["q"] = text[:200]
        return params

    def _filter(self, issuer: Org, params: dict[str, Any]) -> ProblemFilter:
        return ProblemFilter(
            region=region_in(issuer, params.get("region")),
            state=params.get("state"),
            focus_area_id=params.get("focus_area"),
            team_id=params.get("team"),
            responsible_org_id=params.get("responsible_org"),
            light=params.get("light"),
            overdue=params.get("overdue"),
            nature=params.get("nature"),
            urgency=params.get("urgency"),
            text=params.get("q", ""),
            closed_late=params.get("closed_late"),
        )

    def draft(self, issuer: Org, params: dict[str, Any], now: datetime) -> Drafted:
        jurisdiction = region_in(issuer, None)
        problems = self._filter(issuer, params).apply(problems_in(jurisdiction), now)
        if params.get("not_listed"):
            # Only what no earlier list of this office has named: "since the last list".
            problems = problems.exclude(
                document_entries__document__issuer=issuer,
                document_entries__document__kind=self.kind,
            )
        count = problems.count()
        if not count:
            raise InvalidInput(_("No problem matches these choices."), "filters")
        within_limit(count, "filters")
        ordered = problems.select_related(*ROW_RELATED).order_by("found_at", "pk")
        rows = [problem_row(problem, now) for problem in ordered]
        units = {row["unit_id"] for row in rows if row["unit_id"]}
        return Drafted(
            {"rows": rows, "count": len(rows), "units": len(units)}, [r["id"] for r in rows]
        )

    def compose(self, texts: dict[str, str], data: dict[str, Any]) -> list[Block]:
        rows = data["rows"]
        blocks = written_paragraphs(texts.get("intro", ""))
        blocks.append(
            paragraph(
                _("The list has %(count)s problems, for %(units)s units.")
                % {"count": data["count"], "units": data["units"]}
            )
        )
        blocks.append(
            Block(
                "table",
                header=[
                    _("No."),
                    _("Problem"),
                    _("Site"),
                    _("Region"),
                    _("Focus area"),
                    _("Responsible unit"),
                    _("Deadline"),
                    _("State"),
                ],
                rows=[
                    [
                        str(position),
                        row["title"],
                        row["site"],
                        row["region"],
                        row["focus_area"],
                        row["unit"] or _("Not yet assigned"),
                        moment_label(row["deadline"]),
                        state_label(row["state"]),
                    ]
                    for position, row in enumerate(rows, 1)
                ],
                widths=[12, 34, 20, 19, 19, 20, 18, 14],
            )
        )
        blocks += written_paragraphs(texts.get("requirements", ""))
        return blocks

    def sheet_rows(self, data: dict[str, Any]) -> list[list[str]]:
        """The same table for Excel."""
        table = next(block for block in self.compose({}, data) if block.kind == "table")
        return [table.header, *table.rows]
