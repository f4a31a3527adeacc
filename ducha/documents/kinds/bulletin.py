"""通报 第N期: the rectification status of a jurisdiction, by responsible unit, with praise
for units that rectified everything on time and criticism of units with overdue problems."""

from __future__ import annotations

from datetime import date, datetime
from itertools import groupby
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.errors import InvalidInput
from ducha.documents.figures import Figures, figures
from ducha.documents.kinds.common import (
    ROW_RELATED,
    Block,
    Drafted,
    Headings,
    joined,
    moment_label,
    paragraph,
    place_of,
    problem_row,
    problems_in,
    region_in,
    written_paragraphs,
    written_section,
)
from ducha.documents.kinds.results import criticism_blocks, praise_blocks, results_data
from ducha.documents.kinds.resumption import resumption_blocks, resumption_data
from ducha.orgs.models import Org
from ducha.problems.models import Problem
from ducha.problems.querysets import rate
from ducha.problems.sentences import stats_sentence


def as_of_of(params: dict[str, Any], now: datetime) -> date:
    """The day the bulletin states; the day of issue unless the office chose one."""
    if params.get("as_of"):
        return date.fromisoformat(params["as_of"])
    return timezone.localdate(now)


def overdue_rows(found: Figures, now: datetime) -> list[dict[str, Any]]:
    """The overdue problems of `found`, named, with their deadline at the moment."""
    deadlines = {pk: deadline for pk, _unit, deadline in found.overdue_problems}
    units = {pk: unit for pk, unit, _deadline in found.overdue_problems}
    problems = Problem.objects.select_related(*ROW_RELATED).in_bulk(list(deadlines))
    names = {unit.unit_id: unit.name for unit in found.units}
    rows = []
    for pk in deadlines:
        row = problem_row(problems[pk], now)
        row |= {
            "deadline": deadlines[pk].isoformat(),
            "unit_id": units[pk],
            "unit": names.get(units[pk], ""),
        }
        rows.append(row)
    return rows


class BulletinKind:
    kind = "bulletin"
    text_keys = [
        ("intro", gettext_lazy("Opening")),
        ("praise", gettext_lazy("Praise")),
        ("criticism", gettext_lazy("Criticism")),
        ("requirements", gettext_lazy("Next steps")),
    ]

    def default_title(self, issuer: Org, params: dict[str, Any], drafted: Drafted) -> str:
        return _("Bulletin on the rectification of problems found in supervision")

    def default_addressee(self, issuer: Org, drafted: Drafted) -> str:
        return _("All responsible units")

    def default_texts(self) -> dict[str, str]:
        return {
            "intro": _(
                "The rectification of the problems found in supervision is reported as follows."
            ),
            "praise": "",
            "criticism": _(
                "The units criticised are to rectify their overdue problems at once and explain "
                "the delay in writing."
            ),
            "requirements": _(
                "Every unit is to hold to its deadlines, report each rectification with "
                "evidence, and look for the same problems at its other sites."
            ),
        }

    def clean_params(self, issuer: Org, raw: dict[str, Any]) -> dict[str, Any]:
        params: dict[str, Any] = {"region": region_in(issuer, raw.get("region")).pk}
        as_of = raw.get("as_of")
        if as_of not in (None, ""):
            if isinstance(as_of, str):
                try:
                    as_of = date.fromisoformat(as_of)
                except ValueError:
                    raise InvalidInput(_("Enter a valid date."), "as_of") from None
            if as_of > timezone.localdate():
                raise InvalidInput(_("The figures cannot be stated for a future day."), "as_of")
            params["as_of"] = as_of.isoformat()
        return params

    def draft(self, issuer: Org, params: dict[str, Any], now: datetime) -> Drafted:
        region = region_in(issuer, params.get("region"))
        as_of = as_of_of(params, now)
        found = figures(problems_in(region), as_of, now)
        overdue = overdue_rows(found, now)
        data = found.as_data() | {
            "region": region.name,
            "as_of": as_of.isoformat(),
            "overdue_rows": overdue,
            "praised": [unit.name for unit in found.units if unit.praised],
            # What supervision's results were used for in the bulletin's period (问效).
            **results_data(issuer, region, as_of),
            # 复工复产 as of the same day, where the jurisdiction has enterprises.
            **resumption_data(region, as_of),
        }
        return Drafted(data, [row["id"] for row in overdue])

    def compose(self, texts: dict[str, str], data: dict[str, Any]) -> list[Block]:
        heading = Headings()
        blocks = written_paragraphs(texts.get("intro", ""))
        blocks.append(heading(1, _("Overall rectification")))
        sentence = stats_sentence(
            as_of=date.fromisoformat(data["as_of"]),
            found=data["found"],
            rectified=data["rectified"],
        )
        still = _("%(open)s problems are still being rectified, %(overdue)s of them overdue.") % {
            "open": data["open"],
            "overdue": data["overdue"],
        }
        disputed = data.get("disputed", 0)  # absent from bulletins drafted before it was counted
        if disputed:
            still += _(
                "%(disputed)s of them are in dispute, awaiting the office's decision, and are not "
                "counted as overdue."
            ) % {"disputed": disputed}
        blocks.append(paragraph(f"{sentence}{still}"))
        blocks.append(unit_table(data))
        blocks += resumption_blocks(data, heading)
        blocks.append(heading(1, _("Praise")))
        if data["praised"]:
            blocks.append(
                paragraph(
                    _(
                        "These units rectified every problem assigned to them by its deadline "
                        "and are commended: %(units)s."
                    )
                    % {"units": joined(data["praised"])}
                )
            )
        else:
            blocks.append(paragraph(_("No unit has rectified every problem by its deadline yet.")))
        blocks += praise_blocks(data)
        blocks += written_paragraphs(texts.get("praise", ""))
        blocks.append(heading(1, _("Criticism")))
        blocks += criticism(data["overdue_rows"], heading)
        blocks += criticism_blocks(data)
        blocks += written_paragraphs(texts.get("criticism", "")) if data["overdue_rows"] else []
        blocks += written_section(heading, _("Next steps"), texts.get("requirements"))
        return blocks


def unit_table(data: dict[str, Any]) -> Block:
    rows = []
    for position, unit in enumerate(data["units"], 1):
        name = unit["name"] or _("No unit (not yet assigned or fixed on the spot)")
        rows.append([str(position), name, *_counts(unit)])
    rows.append(["", _("Total"), *_counts(data)])
    return Block(
        "table",
        header=[
            _("No."),
            _("Responsible unit"),
            _("Found"),
            _("Rectified"),
            _("Rectification rate"),
            _("Open"),
            _("Overdue"),
        ],
        rows=rows,
        widths=[13, 45, 19, 18, 23, 20, 18],
    )


def _counts(figures_row: dict[str, Any]) -> list[str]:
    found, rectified = figures_row["found"], figures_row["rectified"]
    return [
        str(found),
        str(rectified),
        f"{rate(rectified, found)}%",
        str(figures_row["open"]),
        str(figures_row["overdue"]),
    ]


def criticism(rows: list[dict[str, Any]], heading: Headings) -> list[Block]:
    if not rows:
        return [paragraph(_("No problem is past its deadline."))]
    blocks = [
        paragraph(
            _(
                "These units have problems past their deadline and not yet rectified; they are "
                "criticised:"
            )
        )
    ]
    by_unit = sorted(rows, key=lambda row: (row["unit"] or "\uffff", row["deadline"]))
    for unit, group in groupby(by_unit, key=lambda row: row["unit"]):
        problems = list(group)
        name = unit or _("No unit yet")
        blocks.append(
            heading(2, _("%(unit)s: %(count)s overdue") % {"unit": name, "count": len(problems)})
        )
        for number, row in enumerate(problems, 1):
            blocks.append(
                paragraph(
                    _("%(number)s. %(title)s (%(place)s; deadline %(deadline)s)")
                    % {
                        "number": number,
                        "title": row["title"],
                        "place": place_of(row),
                        "deadline": moment_label(row["deadline"]),
                    }
                )
            )
    return blocks
