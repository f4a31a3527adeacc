"""Letters to one org: 督查整改意见函 (the unit's open problems, their deadlines, what it
must report back) and 提示函 (a reminder before problems become serious)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.errors import InvalidInput
from ducha.core.scoping import not_in_scope
from ducha.documents.figures import figures_now
from ducha.documents.kinds.common import (
    ROW_RELATED,
    Block,
    Drafted,
    Headings,
    as_int,
    in_region,
    issuer_region,
    light_label,
    moment_label,
    paragraph,
    place_of,
    problem_row,
    problems_in,
    state_label,
    within_limit,
    written_paragraphs,
    written_section,
)
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org
from ducha.problems.choices import CLOCKED_STATES, OPEN_STATES
from ducha.problems.querysets import ProblemQuerySet

UNIT_KINDS = (OrgKind.DEPARTMENT, OrgKind.ENTERPRISE, OrgKind.REGION, OrgKind.COMMAND)


def _recipient(issuer: Org, raw: dict[str, Any], kinds: tuple[str, ...]) -> Org:
    """An org the issuer knows: inside its jurisdiction, responsible for or reported to about
    a problem in it, or a body of a level above it (those it answers to). Any other answers
    like a missing one, so that drafting cannot tell whether it exists."""
    if raw.get("recipient") in (None, ""):
        raise InvalidInput(_("This field is required."), "recipient")
    jurisdiction = issuer_region(issuer)
    problems = problems_in(jurisdiction)
    above = [int(pk) for pk in jurisdiction.path.strip("/").split("/")]
    known = (
        Q(path__startswith=jurisdiction.path)
        | Q(pk__in=problems.values("responsible_org_id"))
        | Q(pk__in=problems.values("reported_to_id"))
        | Q(parent_id__in=above)
    )
    found = (
        Org.objects.filter(known, kind__in=kinds)
        .filter(pk=as_int(raw["recipient"], "recipient"))
        .first()
    )
    if found is None:
        raise not_in_scope("recipient")
    return found


def _problem_table(rows: list[dict[str, Any]], last: str) -> Block:
    last_label = _("Traffic light") if last == "light" else _("State")
    return Block(
        "table",
        header=[_("No."), _("Problem"), _("Place"), _("Focus area"), _("Deadline"), last_label],
        rows=[
            [
                str(position),
                row["title"],
                place_of(row),
                row["focus_area"],
                moment_label(row["deadline"]),
                light_label(row["light"]) if last == "light" else state_label(row["state"]),
            ]
            for position, row in enumerate(rows, 1)
        ],
        widths=[13, 46, 28, 22, 27, 20],
    )


class RectificationLetterKind:
    kind = "rectification_letter"
    text_keys = [
        ("intro", gettext_lazy("Opening")),
        ("requirements", gettext_lazy("What the unit must report back")),
    ]

    def default_title(self, issuer: Org, params: dict[str, Any], drafted: Drafted) -> str:
        return _("Letter of supervision opinions on the rectification of problems")

    def default_addressee(self, issuer: Org, drafted: Drafted) -> str:
        return drafted.recipient.name if drafted.recipient else ""

    def default_texts(self) -> dict[str, str]:
        return {
            "intro": _(
                "Supervision found that the problems of your unit listed below have not yet "
                "been rectified. We hereby ask you to rectify them within their deadlines."
            ),
            "requirements": _(
                "By each problem's deadline, report back through Ducha in writing: what was "
                "done, who is responsible, and photos or other evidence of the fix. The "
                "supervision team will verify on site. Where a deadline cannot be met, explain "
                "why in writing before it passes, with the measures taken and the date by "
                "which the problem will be fixed."
            ),
        }

    def clean_params(self, issuer: Org, raw: dict[str, Any]) -> dict[str, Any]:
        return {"recipient": _recipient(issuer, raw, UNIT_KINDS).pk}

    def draft(self, issuer: Org, params: dict[str, Any], now: datetime) -> Drafted:
        unit = Org.objects.get(pk=params["recipient"])
        assigned = problems_in(issuer_region(issuer)).filter(responsible_org=unit)
        still_open = assigned.filter(state__in=OPEN_STATES)
        count = still_open.count()
        if not count:
            raise InvalidInput(
                _("This unit has no open problems in the jurisdiction."), "recipient"
            )
        within_limit(count, "recipient")
        ordered = still_open.select_related(*ROW_RELATED).order_by("deadline", "pk")
        rows = [problem_row(problem, now) for problem in ordered]
        totals = figures_now(assigned, now).as_data()
        data = {"rows": rows, **{k: totals[k] for k in ("found", "rectified", "open", "overdue")}}
        return Drafted(data, [row["id"] for row in rows], unit)

    def compose(self, texts: dict[str, str], data: dict[str, Any]) -> list[Block]:
        heading = Headings()
        blocks = written_paragraphs(texts.get("intro", ""))
        blocks.append(heading(1, _("Problems not yet rectified")))
        blocks.append(
            paragraph(
                _(
                    "In this jurisdiction %(found)s problems have been assigned to your unit: "
                    "%(rectified)s are rectified and %(open)s are not, %(overdue)s of them past "
                    "their deadline. The open ones are listed below."
                )
                % {k: data[k] for k in ("found", "rectified", "open", "overdue")}
            )
        )
        blocks.append(_problem_table(data["rows"], "state"))
        blocks += written_section(
            heading, _("Rectification requirements"), texts.get("requirements")
        )
        return blocks


class PromptLetterKind:
    kind = "prompt_letter"
    text_keys = [
        ("body", gettext_lazy("Reminder")),
        ("requirements", gettext_lazy("Requirements")),
    ]

    def default_title(self, issuer: Org, params: dict[str, Any], drafted: Drafted) -> str:
        return _("Prompt letter on problems that need attention")

    def default_addressee(self, issuer: Org, drafted: Drafted) -> str:
        return drafted.recipient.name if drafted.recipient else ""

    def default_texts(self) -> dict[str, str]:
        return {
            "body": _(
                "Supervision shows that some of your problems are close to or past their "
                "deadline, and that some kinds of problems keep coming back. Before they turn "
                "serious, we remind you of them as follows."
            ),
            "requirements": _(
                "Check the problems below one by one, rectify them before their deadlines, and "
                "look for the same kind of problem at your other sites."
            ),
        }

    def clean_params(self, issuer: Org, raw: dict[str, Any]) -> dict[str, Any]:
        recipient = _recipient(issuer, raw, (*UNIT_KINDS, OrgKind.OFFICE))
        if recipient.kind == OrgKind.OFFICE:
            # A lower office of the jurisdiction, never the issuer itself.
            jurisdiction = issuer_region(issuer)
            inside = recipient.path.startswith(jurisdiction.path)
            if recipient.pk == issuer.pk or not inside or recipient.region is None:
                raise not_in_scope("recipient")
        return {"recipient": recipient.pk}

    def _scope(self, issuer: Org, recipient: Org) -> ProblemQuerySet:
        if recipient.kind == OrgKind.OFFICE:
            region = recipient.region
            assert region is not None
            return problems_in(issuer_region(issuer)).filter(in_region(region))
        return problems_in(issuer_region(issuer)).filter(responsible_org=recipient)

    def draft(self, issuer: Org, params: dict[str, Any], now: datetime) -> Drafted:
        recipient = Org.objects.get(pk=params["recipient"])
        scope = self._scope(issuer, recipient)
        # Yellow or red: the clock runs and the light has turned (a dispute waits on the
        # office, not on the unit).
        attention = scope.filter(state__in=CLOCKED_STATES, yellow_at__lte=now)
        within_limit(attention.count(), "recipient")
        ordered = attention.select_related(*ROW_RELATED).order_by("deadline", "pk")
        rows = [problem_row(problem, now) for problem in ordered]
        return Drafted(
            {"rows": rows, "kinds": _recurring_kinds(scope)}, [row["id"] for row in rows], recipient
        )

    def compose(self, texts: dict[str, str], data: dict[str, Any]) -> list[Block]:
        heading = Headings()
        rows = data["rows"]
        blocks = written_paragraphs(texts.get("body", ""))
        blocks.append(heading(1, _("Problems close to or past their deadline")))
        lights = Counter(row["light"] for row in rows)
        blocks.append(
            paragraph(
                _("%(count)s problems: %(red)s past their deadline, %(yellow)s close to it.")
                % {"count": len(rows), "red": lights["red"], "yellow": lights["yellow"]}
            )
        )
        if rows:
            blocks.append(_problem_table(rows, "light"))
        blocks.append(heading(1, _("Kinds of problems that come back")))
        kinds = data["kinds"]
        if kinds:
            blocks.append(
                Block(
                    "table",
                    header=[
                        _("Focus area"),
                        _("Number of problems"),
                        _("Sites with repeat problems"),
                        _("Came back after closing"),
                    ],
                    rows=[
                        [
                            k["focus_area"],
                            str(k["found"]),
                            str(k["repeat_sites"]),
                            str(k["recurring"]),
                        ]
                        for k in kinds
                    ],
                    widths=[50, 26, 40, 40],
                )
            )
        else:
            blocks.append(paragraph(_("No kind of problem has come back so far.")))
        blocks += written_section(heading, _("Requirements"), texts.get("requirements"))
        return blocks


def _recurring_kinds(scope: ProblemQuerySet) -> list[dict[str, Any]]:
    """Focus areas whose problems came back, or hit one site more than once."""
    by_area = {
        row["focus_area_id"]: row
        for row in scope.order_by()
        .values("focus_area_id", "focus_area__name")
        .annotate(found=Count("*"), recurring=Count("pk", filter=Q(recurring=True)))
    }
    repeats = Counter(
        row["focus_area_id"]
        for row in scope.filter(site__isnull=False)
        .order_by()
        .values("focus_area_id", "site_id")
        .annotate(times=Count("*"))
        .filter(times__gt=1)
    )
    kinds = [
        {
            "focus_area": row["focus_area__name"],
            "found": row["found"],
            "recurring": row["recurring"],
            "repeat_sites": repeats[area],
        }
        for area, row in by_area.items()
        if row["recurring"] or repeats[area]
    ]
    return sorted(kinds, key=lambda k: (-(k["recurring"] + k["repeat_sites"]), k["focus_area"]))
