"""专报 / 专题报告 to the leadership: one serious problem with its whole timeline from the
event log, or one focus area whose problems keep coming back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone
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
    issuer_region,
    joined,
    moment_label,
    paragraph,
    problem_row,
    problems_in,
    region_in,
    state_label,
    within_limit,
    written_paragraphs,
    written_section,
)
from ducha.orgs.models import Org
from ducha.problems.choices import Action, Nature, Urgency
from ducha.problems.models import FocusArea, Problem
from ducha.problems.sentences import stats_sentence


class SpecialReportKind:
    kind = "special_report"
    text_keys = [
        ("intro", gettext_lazy("Opening")),
        ("suggestions", gettext_lazy("Opinions and suggestions")),
    ]

    def default_title(self, issuer: Org, params: dict[str, Any], drafted: Drafted) -> str:
        if drafted.data["subject"] == "problem":
            return _("Special report on “%(title)s”") % {"title": drafted.data["problem"]["title"]}
        return _("Special report on recurring problems of %(focus)s") % {
            "focus": drafted.data["focus_area"]
        }

    def default_addressee(self, issuer: Org, drafted: Drafted) -> str:
        return ""

    def default_texts(self) -> dict[str, str]:
        return {
            "intro": _("The matter is reported as follows."),
            "suggestions": "",
        }

    def clean_params(self, issuer: Org, raw: dict[str, Any]) -> dict[str, Any]:
        problem_id, area_id = raw.get("problem"), raw.get("focus_area")
        if (problem_id in (None, "")) == (area_id in (None, "")):
            raise InvalidInput(_("Choose either one problem or one focus area."), "problem")
        if problem_id not in (None, ""):
            found = problems_in(issuer_region(issuer)).filter(pk=as_int(problem_id, "problem"))
            if not found.exists():
                raise not_in_scope("problem")
            return {"problem": int(problem_id)}
        area = FocusArea.objects.filter(pk=as_int(area_id, "focus_area")).first()
        if area is None:
            raise not_in_scope("focus_area")
        return {"focus_area": area.pk, "region": region_in(issuer, raw.get("region")).pk}

    def draft(self, issuer: Org, params: dict[str, Any], now: datetime) -> Drafted:
        if "problem" in params:
            return _draft_problem(params["problem"], now)
        return _draft_focus_area(issuer, params, now)

    def compose(self, texts: dict[str, str], data: dict[str, Any]) -> list[Block]:
        heading = Headings()
        blocks = written_paragraphs(texts.get("intro", ""))
        if data["subject"] == "problem":
            blocks += _compose_problem(data, heading)
        else:
            blocks += _compose_focus_area(data, heading)
        blocks += written_section(heading, _("Opinions and suggestions"), texts.get("suggestions"))
        return blocks


# --- one problem ----------------------------------------------------------------------------


def _draft_problem(problem_id: int, now: datetime) -> Drafted:
    problem = Problem.objects.select_related(*ROW_RELATED, "team").get(pk=problem_id)
    events = problem.events.select_related("actor").order_by("created_at", "pk")
    timeline = [
        {
            "at": event.created_at.isoformat(),
            "action": event.action,
            "actor": str(event.actor),
            "comment": event.comment,
            "unit": event.payload.get("responsible_org_name") or event.payload.get("to_org_name"),
        }
        for event in events
    ]
    row = problem_row(problem, now) | {
        "description": problem.description,
        "team": problem.team.name if problem.team else "",
        "nature": problem.nature,
        "urgency": problem.urgency,
        "rule": problem.rule,
    }
    return Drafted({"subject": "problem", "problem": row, "timeline": timeline}, [problem.pk])


def _compose_problem(data: dict[str, Any], heading: Headings) -> list[Block]:
    row = data["problem"]
    blocks = [heading(1, _("The problem"))]
    place = row["region"]
    if row["site"]:
        place = _("%(site)s, %(region)s") % {"site": row["site"], "region": row["region"]}
    found = _("%(title)s: found on %(found)s at %(place)s; focus area: %(focus)s.") % {
        "title": row["title"],
        "found": moment_label(row["found_at"]),
        "place": place,
        "focus": row["focus_area"],
    }
    marks = []
    if row["nature"] == Nature.COMMON:
        marks.append(str(Nature.COMMON.label))
    if row["urgency"] == Urgency.URGENT:
        marks.append(str(Urgency.URGENT.label))
    if row["recurring"]:
        marks.append(_("recurring"))
    if marks:
        found += _("(%(marks)s)") % {"marks": joined(marks)}
    blocks.append(paragraph(found))
    if row["description"]:
        blocks.append(paragraph(row["description"]))
    blocks.append(
        paragraph(
            _("Responsible unit: %(unit)s. State: %(state)s. Deadline: %(deadline)s.")
            % {
                "unit": row["unit"] or _("Not yet assigned"),
                "state": state_label(row["state"]),
                "deadline": moment_label(row["deadline"]),
            }
        )
    )
    blocks.append(heading(1, _("How it was handled")))
    for entry in data["timeline"]:
        label = str(Action(entry["action"]).label) if entry["action"] in Action.values else ""
        if entry["unit"]:
            label = _("%(action)s (%(unit)s)") % {"action": label, "unit": entry["unit"]}
        text = _("%(moment)s, %(actor)s: %(action)s.") % {
            "moment": moment_label(entry["at"]),
            "actor": entry["actor"],
            "action": label,
        }
        if entry["comment"]:
            text = f"{text}{entry['comment']}"
        blocks.append(paragraph(text))
    blocks.append(heading(1, _("Lasting rule")))
    blocks.append(paragraph(row["rule"] or _("No lasting rule has been recorded yet.")))
    return blocks


# --- one focus area -------------------------------------------------------------------------


def _draft_focus_area(issuer: Org, params: dict[str, Any], now: datetime) -> Drafted:
    area = FocusArea.objects.get(pk=params["focus_area"])
    region = region_in(issuer, params.get("region"))
    problems = problems_in(region).filter(focus_area=area)
    count = problems.count()
    if not count:
        raise InvalidInput(_("No problem of this focus area in the jurisdiction."), "focus_area")
    within_limit(count, "focus_area")
    found = figures_now(problems, now)
    sites = list(
        problems.filter(site__isnull=False)
        .order_by()
        .values("site_id", "site__name", "site__region__name")
        .annotate(times=Count("*"), last=Max("found_at"))
        .order_by("-times", "site__name")
    )
    rules = problems.exclude(rule="").order_by("found_at", "pk").values_list("title", "rule")
    data = {
        "subject": "focus_area",
        "focus_area": area.name,
        "region": region.name,
        "as_of": timezone.localdate(now).isoformat(),
        **{k: v for k, v in found.as_data().items() if k != "moment"},
        "recurring": problems.filter(recurring=True).count(),
        "sites": [
            {
                "name": site["site__name"],
                "region": site["site__region__name"],
                "times": site["times"],
                "last": site["last"].isoformat(),
            }
            for site in sites
        ],
        "rules": [{"title": title, "rule": rule} for title, rule in rules],
    }
    ids = list(problems.order_by("found_at", "pk").values_list("pk", flat=True))
    return Drafted(data, ids)


def _compose_focus_area(data: dict[str, Any], heading: Headings) -> list[Block]:
    sites = data["sites"]
    units = [unit for unit in data["units"] if unit["unit_id"]]
    blocks = [heading(1, _("Overview"))]
    sentence = stats_sentence(
        as_of=date.fromisoformat(data["as_of"]), found=data["found"], rectified=data["rectified"]
    )
    spread = _(
        "The problems occurred at %(sites)s sites, %(repeat)s of them more than once; "
        "%(recurring)s came back after being closed; %(units)s units were responsible."
    ) % {
        "sites": len(sites),
        "repeat": sum(1 for site in sites if site["times"] > 1),
        "recurring": data["recurring"],
        "units": len(units),
    }
    scope = _("Focus area “%(focus)s” in %(region)s.") % {
        "focus": data["focus_area"],
        "region": data["region"],
    }
    blocks.append(paragraph(f"{scope}{sentence}{spread}"))
    blocks.append(heading(1, _("Where it occurred")))
    blocks.append(
        Block(
            "table",
            header=[_("No."), _("Site"), _("Region"), _("Times"), _("Last found")],
            rows=[
                [
                    str(n),
                    site["name"],
                    site["region"],
                    str(site["times"]),
                    moment_label(site["last"]),
                ]
                for n, site in enumerate(sites, 1)
            ],
            widths=[13, 58, 35, 20, 30],
        )
        if sites
        else paragraph(_("None of these problems was found at a recorded site."))
    )
    blocks.append(heading(1, _("Units responsible")))
    blocks.append(
        Block(
            "table",
            header=[_("No."), _("Responsible unit"), _("Found"), _("Rectified"), _("Open")],
            rows=[
                [
                    str(n),
                    unit["name"],
                    str(unit["found"]),
                    str(unit["rectified"]),
                    str(unit["open"]),
                ]
                for n, unit in enumerate(units, 1)
            ],
            widths=[13, 77, 22, 22, 22],
        )
        if units
        else paragraph(_("None of these problems has been assigned to a unit."))
    )
    blocks.append(heading(1, _("Rules made")))
    if data["rules"]:
        for n, item in enumerate(data["rules"], 1):
            blocks.append(
                paragraph(
                    _("%(number)s. %(title)s: %(rule)s")
                    % {"number": n, "title": item["title"], "rule": item["rule"]}
                )
            )
    else:
        blocks.append(paragraph(_("No lasting rule has been recorded yet.")))
    return blocks
