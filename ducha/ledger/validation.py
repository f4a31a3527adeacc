"""Checking every row of a ledger file: each bad row with its number and reasons, the good
ones resolved to what `do_create_problem` and `do_assign` need.

The same check runs when the file is uploaded and again, from the stored file, just before
the import: a row that was fine then but is not now (a site removed, a role withdrawn)
stops the whole import instead of slipping in half-checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from openpyxl.utils.datetime import from_excel

from ducha.core.text import LONG, illegal_character
from ducha.ledger.columns import COLUMNS, NUMBER, PROBLEM_COLUMNS, ColumnSet, normalize
from ducha.ledger.lookups import Found, Reference, region_text
from ducha.ledger.messages import list_separator
from ducha.ledger.reading import LedgerFile, RawRow
from ducha.problems.choices import Nature, Urgency
from ducha.problems.models import Problem

TITLE_MAX = Problem._meta.get_field("title").max_length or 200
# The same bounds as the API and the pages (ducha.core.text).
TEXT_MAX = {"title": TITLE_MAX, "description": LONG}
# Columns a title-like line goes in; the description may run over several lines.
ONE_LINE = {"title"}
TIME_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日%H时%M分",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y年%m月%d日",
)
HALF_SECOND = timedelta(microseconds=500_000)
SAME_TIME = timedelta(minutes=1)
COLUMN_ORDER = {column.key: index for index, column in enumerate(COLUMNS)}


@dataclass
class RowError:
    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedRow:
    number: int
    title: str
    description: str
    region_id: int
    focus_area_id: int
    found_at: datetime
    urgency: str
    nature: str
    site_id: int | None = None
    team_id: int | None = None
    unit_id: int | None = None
    deadline: datetime | None = None


@dataclass
class SheetRows:
    """A ledger's rows as read from its sheet: what the check starts from."""

    sheet: str
    rows: list[RawRow]


@dataclass
class CheckOutcome:
    sheet: str
    # ParsedRow for problem ledgers, resumption.bulk.EnterpriseRow for enterprise ledgers.
    valid: list[Any]
    errors: list[RowError]
    rows_total: int
    read: SheetRows | None = None  # the rows as read, to keep for the import's re-check

    @property
    def rows_invalid(self) -> int:
        return self.rows_total - len(self.valid)

    def report(self) -> dict[str, Any]:
        return {
            "errors": [asdict(error) for error in self.errors],
            "valid_rows": [row.number for row in self.valid],
        }


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return str(value).strip()


def parse_time(value: Any) -> datetime | None:
    """A local date and time from what Excel or a person wrote; None when it is not one."""
    moment: datetime | None = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 2958466:
        # A date typed into a cell formatted as text or general arrives as Excel's day count.
        moment = from_excel(value)
    elif isinstance(value, str):
        cleaned = " ".join(value.strip().split())
        for fmt in TIME_FORMATS:
            try:
                moment = datetime.strptime(cleaned, fmt)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    moment = to_second(moment)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def to_second(moment: datetime) -> datetime:
    """The nearest whole second: Excel keeps times as fractions of a day, which come back
    a hair above or below the second they were written as."""
    return (moment + HALF_SECOND).replace(microsecond=0)


def cell_errors(raw: RawRow) -> list[RowError]:
    """Cells holding what cannot be stored or printed, or longer than their column allows.

    Checked before anything is looked up: such a cell must not reach a query either.
    """
    errors = []
    for column, value in raw.values.items():
        if not isinstance(value, str):
            continue
        illegal = illegal_character(value, multiline=column not in ONE_LINE)
        if illegal is not None:
            position, char = illegal
            code = "one_line" if char in "\t\n\r" else "bad_character"
            errors.append(
                RowError(
                    raw.number, column, code, {"char": f"U+{ord(char):04X}", "position": position}
                )
            )
        elif column in TEXT_MAX and len(value.strip()) > TEXT_MAX[column]:
            limit = TEXT_MAX[column]
            errors.append(
                RowError(
                    raw.number, column, "too_long", {"limit": limit, "length": len(value.strip())}
                )
            )
    return errors


class RowChecker:
    """Checks rows against one user's reference; collects the errors of each row."""

    def __init__(self, reference: Reference, now: datetime) -> None:
        self.ref = reference
        self.now = now
        self.errors: list[RowError] = []
        self._row = 0

    def _error(self, column: str, code: str, /, **params: Any) -> None:
        self.errors.append(RowError(self._row, column, code, params))

    def add_error(self, number: int, column: str, code: str, /, **params: Any) -> None:
        self.errors.append(RowError(number, column, code, params))

    def check(self, raw: RawRow) -> ParsedRow | None:
        self._row = raw.number
        before = len(self.errors)
        values = raw.values
        title = text(values.get("title"))
        if not title:
            self._error("title", "required")
        region = self._resolve("region", region_text(values.get("region")), self.ref.region)
        focus = self._focus_area(text(values.get("focus_area")))
        found_at = self._found_at(values.get("found_at"))
        urgency = self._choice("urgency", values.get("urgency"), self.ref.urgencies, Urgency)
        nature = self._choice("nature", values.get("nature"), self.ref.natures, Nature)
        site = team = unit = None
        site_name = text(values.get("site"))
        if site_name and region is not None:
            site = self._in_region("site", site_name, region, self.ref.site)
        team_name = text(values.get("team"))
        if team_name:
            team = self._resolve("team", team_name, self.ref.team)
        unit_name = text(values.get("responsible_org"))
        if unit_name and region is not None:
            if self.ref.may_assign_in(region):
                unit = self._in_region("responsible_org", unit_name, region, self.ref.unit)
            else:
                self._error("responsible_org", "may_not_assign")
        deadline = self._deadline(values.get("deadline"), unit_name)
        if len(self.errors) > before:
            return None
        assert region is not None and focus is not None and found_at is not None
        return ParsedRow(
            number=raw.number,
            title=title,
            description=text(values.get("description")),
            region_id=region,
            focus_area_id=focus,
            found_at=found_at,
            urgency=urgency or Urgency.NORMAL,
            nature=nature or Nature.INDIVIDUAL,
            site_id=site,
            team_id=team,
            unit_id=unit,
            deadline=deadline,
        )

    def _resolve(self, column: str, name: str, find: Callable[[str], Found]) -> int | None:
        if not name:
            self._error(column, "required")
            return None
        found = find(name)
        if found.pk is None:
            self._error(column, found.code, **found.params)
        return found.pk

    def _in_region(
        self, column: str, name: str, region: int, find: Callable[[str, int], Found]
    ) -> int | None:
        found = find(name, region)
        if found.pk is None:
            self._error(column, found.code, **found.params)
        return found.pk

    def _focus_area(self, name: str) -> int | None:
        if not name:
            self._error("focus_area", "required")
            return None
        pk = self.ref.focus_areas.get(normalize(name))
        if pk is None:
            self._error("focus_area", "focus_area_unknown")
        return pk

    def _found_at(self, value: Any) -> datetime | None:
        if value is None or text(value) == "":
            self._error("found_at", "required")
            return None
        moment = parse_time(value)
        if moment is None:
            self._error("found_at", "not_a_time")
        elif moment > self.now:
            self._error("found_at", "found_in_future")
            return None
        return moment

    def _choice(self, column: str, value: Any, mapping: dict[str, str], kind: Any) -> str | None:
        written = normalize(text(value))
        if not written:
            return None
        chosen = mapping.get(written)
        if chosen is None:
            labels = list_separator().join(str(label) for label in kind.labels)
            self._error(column, "not_a_choice", choices=labels)
        return chosen

    def _deadline(self, value: Any, unit_name: str) -> datetime | None:
        # Discovery is never in the future, so a deadline in the future always follows it.
        if value is None or text(value) == "":
            return None
        if not unit_name:
            self._error("deadline", "deadline_without_unit")
            return None
        moment = parse_time(value)
        if moment is None:
            self._error("deadline", "not_a_time")
        elif moment <= self.now:
            self._error("deadline", "deadline_past")
        return moment


def _numbered_problems(user: Any, rows: list[RawRow]) -> dict[int, int]:
    """Rows that carry the number of a problem the user can see (an exported ledger)."""
    numbers: dict[int, int] = {}
    for raw in rows:
        written = text(raw.values.get(NUMBER))
        if written.isdigit():
            numbers[raw.number] = int(written)
    if not numbers:
        return {}
    known: set[int] = set()
    wanted = sorted(set(numbers.values()))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        known.update(
            Problem.objects.visible_to(user).filter(pk__in=chunk).values_list("pk", flat=True)
        )
    return {row: number for row, number in numbers.items() if number in known}


def _already_recorded(user: Any, rows: list[ParsedRow], batch: Any = None) -> dict[int, int]:
    """Rows whose problem is already recorded among those the user can see: the same title
    and region, found within a minute of each other (ledgers are typed to the minute). The
    problems of `batch` are not counted: two rows of one file may be that close."""
    ordered = sorted(rows, key=lambda r: r.found_at)
    found: dict[int, int] = {}
    visible = Problem.objects.visible_to(user)
    if batch is not None:
        visible = visible.exclude(import_row__batch=batch)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        wanted: dict[tuple[str, int], list[ParsedRow]] = {}
        for row in chunk:
            wanted.setdefault((row.title, row.region_id), []).append(row)
        existing = visible.filter(
            found_at__gt=chunk[0].found_at - SAME_TIME,
            found_at__lt=chunk[-1].found_at + SAME_TIME,
            title__in={r.title for r in chunk},
        ).values_list("pk", "title", "region_id", "found_at")
        for pk, title, region_id, found_at in existing:
            for row in wanted.get((title, region_id), []):
                if abs(row.found_at - found_at) < SAME_TIME:
                    found.setdefault(row.number, pk)
    return found


def read_rows(
    data: bytes,
    progress: Callable[[int, int], None] | None = None,
    columns: ColumnSet = PROBLEM_COLUMNS,
) -> SheetRows:
    """The non-blank rows of the file. Raises FileRefused for a bad file."""
    ledger = LedgerFile(data, columns)
    return SheetRows(ledger.layout.sheet, list(ledger.rows(progress)))


def check_file(
    user: Any,
    data: bytes,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> CheckOutcome:
    """Every row of the file checked for `user`. Raises FileRefused for a bad file."""
    return check_rows(user, read_rows(data, progress), now)


def check_rows(
    user: Any, read: SheetRows, now: datetime | None = None, *, batch: Any = None
) -> CheckOutcome:
    """Every row read from a file checked for `user`, against the data as it is now (leaving
    out of "already recorded" the problems `batch` recorded: its rows imported meanwhile)."""
    raw_rows = read.rows
    bad_cells = [error for raw in raw_rows for error in cell_errors(raw)]
    refused = {error.row for error in bad_cells}
    raw_rows_total = len(raw_rows)
    raw_rows = [raw for raw in raw_rows if raw.number not in refused]
    reference = Reference(user)
    reference.load(
        regions={region_text(r.values.get("region")) for r in raw_rows} - {""},
        sites={text(r.values.get("site")) for r in raw_rows} - {""},
        teams={text(r.values.get("team")) for r in raw_rows} - {""},
        units={text(r.values.get("responsible_org")) for r in raw_rows} - {""},
    )
    checker = RowChecker(reference, now or timezone.now())
    checker.errors.extend(bad_cells)
    numbered = _numbered_problems(user, raw_rows)
    parsed: list[ParsedRow] = []
    seen: dict[tuple[Any, ...], int] = {}
    for raw in raw_rows:
        if raw.number in numbered:
            # A problem already in the system: its other columns are not checked again.
            checker.add_error(raw.number, NUMBER, "existing_number", number=numbered[raw.number])
            continue
        row = checker.check(raw)
        if row is None:
            continue
        key = (normalize(row.title), row.region_id, row.site_id, row.found_at)
        if key in seen:
            checker.add_error(raw.number, "title", "duplicate_row", row=seen[key])
            continue
        seen[key] = raw.number
        parsed.append(row)
    recorded = _already_recorded(user, parsed, batch)
    for row in parsed:
        if row.number in recorded:
            checker.add_error(row.number, "title", "already_recorded", number=recorded[row.number])
    valid = [row for row in parsed if row.number not in recorded]
    errors = sorted(checker.errors, key=lambda e: (e.row, COLUMN_ORDER.get(e.column, 99)))
    return CheckOutcome(read.sheet, valid, errors, raw_rows_total, read)
