"""催办通知书: the office presses a unit about one problem past its deadline.

The escalation ladder issues one with each overdue reminder of a problem whose assigning
office wants it (`Org.urge_notices`); an office may also draft one through the API. It is
numbered in its own series (督办催〔2026〕3号) like every other kind.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.errors import InvalidInput
from ducha.core.scoping import not_in_scope
from ducha.documents.kinds.common import (
    ROW_RELATED,
    Block,
    Drafted,
    Headings,
    as_int,
    issuer_region,
    moment_label,
    paragraph,
    place_of,
    problem_row,
    problems_in,
    written_paragraphs,
    written_section,
)
from ducha.orgs.models import Org
from ducha.problems.choices import State


def _overdue_hours(row: dict[str, Any], now: datetime) -> int:
    deadline = parse_datetime(row["deadline"])
    if deadline is None or now <= deadline:
        return 0
    return int((now - deadline).total_seconds() // 3600)


class UrgeNoticeKind:
    kind = "urge_notice"
    text_keys = [
        ("body", gettext_lazy("Urging")),
        ("requirements", gettext_lazy("Requirements")),
    ]

    def default_title(self, issuer: Org, params: dict[str, Any], drafted: Drafted) -> str:
        return _("Urge notice on “%(title)s”") % {"title": drafted.data["rows"][0]["title"]}

    def default_addressee(self, issuer: Org, drafted: Drafted) -> str:
        return drafted.recipient.name if drafted.recipient else ""

    def default_texts(self) -> dict[str, str]:
        return {
            "body": _(
                "The problem assigned to your unit listed below has passed its deadline "
                "without being rectified. We hereby urge you to deal with it at once."
            ),
            "requirements": _(
                "Rectify the problem without further delay and report back through Ducha with "
                "evidence of the fix. State in writing why the deadline was missed and who is "
                "responsible. If it remains unrectified, it will be escalated to your superior "
                "and to the supervision office above."
            ),
        }

    def clean_params(self, issuer: Org, raw: dict[str, Any]) -> dict[str, Any]:
        if raw.get("problem") in (None, ""):
            raise InvalidInput(_("This field is required."), "problem")
        problem = (
            problems_in(issuer_region(issuer))
            .filter(pk=as_int(raw["problem"], "problem"))
            .only("pk", "state")
            .first()
        )
        if problem is None:
            raise not_in_scope("problem")
        return {"problem": problem.pk}

    def draft(self, issuer: Org, params: dict[str, Any], now: datetime) -> Drafted:
        problem = (
            problems_in(issuer_region(issuer))
            .select_related(*ROW_RELATED)
            .get(pk=params["problem"])
        )
        if problem.state != State.ASSIGNED:
            raise InvalidInput(_("Only a problem assigned to a unit can be urged."), "problem")
        if problem.deadline > now:
            raise InvalidInput(_("This problem has not passed its deadline."), "problem")
        row = problem_row(problem, now)
        data = {"rows": [row], "overdue_hours": _overdue_hours(row, now)}
        return Drafted(data, [problem.pk], problem.responsible_org)

    def compose(self, texts: dict[str, str], data: dict[str, Any]) -> list[Block]:
        heading = Headings()
        blocks = written_paragraphs(texts.get("body", ""))
        rows = data["rows"]
        blocks.append(heading(1, _("The problem")))
        if rows:
            row = rows[0]
            blocks.append(
                Block(
                    "table",
                    header=[_("Problem"), _("Place"), _("Focus area"), _("Deadline")],
                    rows=[
                        [
                            row["title"],
                            place_of(row),
                            row["focus_area"],
                            moment_label(row["deadline"]),
                        ]
                    ],
                    widths=[60, 36, 30, 30],
                )
            )
            blocks.append(
                paragraph(
                    _("It is %(hours)s hours past its deadline.")
                    % {"hours": data.get("overdue_hours", 0)}
                )
            )
        blocks += written_section(heading, _("Requirements"), texts.get("requirements"))
        return blocks
