"""What every kind of document shares: the body's blocks, numbering of headings, labels of
dates and problems, and the scope of an issuing office."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput
from ducha.core.scoping import not_in_scope
from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.orgs.models import Org
from ducha.problems.choices import State
from ducha.problems.models import Problem
from ducha.problems.querysets import ProblemQuerySet
from ducha.problems.sentences import day_label

# A document lists at most this many problems; narrower filters make a readable one.
MAX_ROWS = 500


@dataclass
class Block:
    """One piece of a document's body, rendered alike on the page and in Word."""

    kind: str  # "heading", "paragraph" or "table"
    text: str = ""
    level: int = 0  # headings: 1 (一、), 2 (（一）), 3 (1.)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    # Column widths of a table in millimetres of the 156 mm type area (or in proportion).
    widths: list[int] = field(default_factory=list)
    # Written by the office (as opposed to drafted from the data).
    written: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "level": self.level,
            "header": self.header,
            "rows": self.rows,
            "written": self.written,
        }


@dataclass
class Drafted:
    """What drafting found in the data: figures and rows, and the problems it names."""

    data: dict[str, Any]
    problem_ids: list[int]
    recipient: Org | None = None


CN_DIGITS = "零一二三四五六七八九"


def cn_numeral(number: int) -> str:
    """一 … 九十九, as headings of official documents count."""
    if number < 10:
        return CN_DIGITS[number]
    tens, ones = divmod(number, 10)
    if number < 20:
        return "十" + (CN_DIGITS[ones] if ones else "")
    if number < 100:
        return CN_DIGITS[tens] + "十" + (CN_DIGITS[ones] if ones else "")
    return str(number)


def heading_label(level: int, number: int) -> str:
    """一、 / （一） / 1. in Chinese (GB/T 9704's levels); 1. / (1) / 1. elsewhere.

    The numbering is a property of the script, not a phrase to translate.
    """
    chinese = (get_language() or "").startswith("zh")
    if level == 1:
        return f"{cn_numeral(number)}、" if chinese else f"{number}. "
    if level == 2:
        return f"（{cn_numeral(number)}）" if chinese else f"({number}) "
    return f"{number}." if chinese else f"{number}. "


class Headings:
    """Counts headings as they are added, so sections can come and go without renumbering."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0]

    def __call__(self, level: int, text: str) -> Block:
        self.counts[level - 1] += 1
        for deeper in range(level, 3):
            self.counts[deeper] = 0
        return Block("heading", heading_label(level, self.counts[level - 1]) + text, level=level)


def paragraph(text: str, *, written: bool = False) -> Block:
    return Block("paragraph", text, written=written)


def written_paragraphs(text: str) -> list[Block]:
    """The office's own text, one block per paragraph it typed."""
    return [paragraph(line.strip(), written=True) for line in text.splitlines() if line.strip()]


def written_section(heading: Headings, title: str, text: str | None) -> list[Block]:
    """A heading with the office's text under it; nothing at all while the text is empty."""
    body = written_paragraphs(text or "")
    return [heading(1, title), *body] if body else []


def moment_label(value: datetime | str | None) -> str:
    """3月5日 18:00 (local time)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        return ""
    local = timezone.localtime(value)
    return _("%(day)s %(time)s") % {"day": day_label(local.date()), "time": f"{local:%H:%M}"}


def date_label(value: date | str) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return day_label(value, with_year=True)


def state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


def joined(names: list[str]) -> str:
    return pgettext("list separator", ", ").join(names)


# --- scope ----------------------------------------------------------------------------------


def issuer_region(issuer: Org) -> Org:
    region = issuer.region
    if region is None or region.level is None:
        raise InvalidInput(_("Choose a supervision office."), "issuer")
    return region


def in_region(region: Org, prefix: str = "") -> Q:
    """Rows carrying region levels that lie in `region`: one indexed equality."""
    assert region.level is not None
    return Q(**{f"{prefix}{LEVEL_FIELDS[RegionLevel(region.level)]}_id": region.pk})


def problems_in(region: Org) -> ProblemQuerySet:
    return Problem.objects.filter(in_region(region))


def region_in(issuer: Org, region_id: Any, field_name: str = "region") -> Org:
    """A region of the issuer's jurisdiction (the jurisdiction itself when none is given)."""
    jurisdiction = issuer_region(issuer)
    if region_id in (None, ""):
        return jurisdiction
    region = (
        Org.objects.regions().filter(
            pk=_int(region_id, field_name), path__startswith=jurisdiction.path
        )
    ).first()
    if region is None:
        raise not_in_scope(field_name)
    return region


def _int(value: Any, field_name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("Enter a whole number."), field_name) from None


def as_int(value: Any, field_name: str) -> int:
    return _int(value, field_name)


def within_limit(count: int, field_name: str) -> None:
    if count > MAX_ROWS:
        raise InvalidInput(
            _("This would list %(count)s problems; narrow the choice to at most %(max)s.")
            % {"count": count, "max": MAX_ROWS},
            field_name,
        )


# --- problems as rows -----------------------------------------------------------------------

ROW_RELATED = ("region", "site", "focus_area", "responsible_org")


def problem_row(problem: Problem, now: datetime) -> dict[str, Any]:
    """A problem as the document names it; the relations should be selected."""
    unit = problem.responsible_org
    return {
        "id": problem.pk,
        "title": problem.title,
        "site": problem.site.name if problem.site else "",
        "region": problem.region.name,
        "focus_area": problem.focus_area.name,
        "unit": unit.name if unit else "",
        "unit_id": unit.pk if unit else None,
        "found_at": problem.found_at.isoformat(),
        "deadline": problem.deadline.isoformat(),
        "state": problem.state,
        "light": problem.light_at(now) or "",
        "recurring": problem.recurring,
    }


def place_of(row: dict[str, Any]) -> str:
    return row["site"] or row["region"]


def light_label(light: str) -> str:
    return {
        "green": _("Green: on time"),
        "yellow": _("Yellow: deadline near"),
        "red": _("Red: overdue"),
    }.get(light, "")
