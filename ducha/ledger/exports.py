"""Any filtered problem list as an Excel ledger, streamed while the database is read.

The caller hands in the scoped, filtered queryset (`ProblemFilter(...).apply(
Problem.objects.visible_to(user))`, exactly as the list builds it). Rows are read with
`values_list(...).iterator()`, only the columns the ledger shows and one join per named
relation; region paths are named from a cache filled a chunk at a time. Memory stays flat
from 1,000 to 1,000,000 rows (see docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from django.db import NotSupportedError
from django.db.models import (
    Case,
    CharField,
    Count,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ducha.ledger.columns import COLUMNS
from ducha.ledger.sheets import DATA_SHEET
from ducha.ledger.xlsx import XLSX_CONTENT_TYPE, Sheet, stream_workbook
from ducha.orgs.choices import LEVEL_FIELDS
from ducha.orgs.models import Org
from ducha.problems.choices import CLOCKED_STATES, Nature, State, TrafficLight, Urgency
from ducha.problems.filters import ProblemFilter
from ducha.problems.models import Extension, ExtensionState

# The title names at most this many of the reader's organisations.
SCOPE_NAMES = 5

CHUNK = 2000
LEVELS = [f"{field}_id" for field in LEVEL_FIELDS.values()]
FIELDS = (
    "pk",
    "title",
    "description",
    *LEVELS,
    "site__name",
    "focus_area__name",
    "team__name",
    "ledger_found_at",
    "urgency",
    "nature",
    "state",
    "responsible_org__name",
    "ledger_deadline",
    "ledger_light",
    "ledger_closed_at",
    "time_to_close",
    "on_the_spot",
    "recurring",
    "rule",
    "reported_to__name",
    "found_by__name",
    "found_by__username",
    "ledger_signed_at",
    "ledger_extensions",
    "ledger_days_granted",
)
PATH_SEPARATOR = "/"
# 1970-01-01 as an Excel day number (days since 1899-12-30).
EXCEL_UNIX_DAY = 25_569


class RegionNames:
    """Names of regions by id, fetched for each chunk of rows that needs new ones."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.paths: dict[tuple[int | None, ...], str] = {}

    def load(self, ids: Iterable[int | None]) -> None:
        missing = {pk for pk in ids if pk and pk not in self.names}
        if missing:
            self.names.update(Org.objects.filter(pk__in=missing).values_list("pk", "name"))

    def path(self, ids: tuple[int | None, ...]) -> str:
        found = self.paths.get(ids)
        if found is None:
            found = PATH_SEPARATOR.join(self.names.get(pk, "") for pk in ids if pk)
            self.paths[ids] = found
        return found


class _Labels:
    """Every word the rows repeat, translated once in the request's language."""

    def __init__(self) -> None:
        self.states = {value: str(label) for value, label in State.choices}
        self.urgencies = {value: str(label) for value, label in Urgency.choices}
        self.natures = {value: str(label) for value, label in Nature.choices}
        self.lights = {value: str(label) for value, label in TrafficLight.choices}
        self.yes, self.no = _("Yes"), _("No")


class Epoch(Func):
    """A timestamp as seconds since 1970 (a float).

    Reading timestamps as datetimes costs about 14 µs each through the database adapter's
    time-zone-aware loader, more than everything else the export does with a row; a float
    is read at C speed and turned into a local Excel day number with one `fromtimestamp` call.
    """

    output_field = FloatField()

    def get_db_converters(self, connection: Any) -> list[Any]:
        # Both databases hand back a float already; a converter would run for every row.
        return []

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "EXTRACT(EPOCH FROM %(expressions)s)::float8"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django keeps SQLite timestamps as UTC text, which julianday() reads.
        template = "((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        if template is None:
            raise NotSupportedError("Epoch is written for PostgreSQL and SQLite.")
        return super().as_sql(compiler, connection, function, template, arg_joiner, **extra_context)


def _light(now: datetime) -> Case:
    """The traffic light worked out by the database (one fewer timestamp per row to read)."""
    # A dispute awaiting the office has no light (its clock is paused), as on the pages.
    clocked = Q(state__in=CLOCKED_STATES)
    return Case(
        When(clocked & Q(deadline__lte=now), then=Value(TrafficLight.RED.value)),
        When(clocked & Q(yellow_at__lte=now), then=Value(TrafficLight.YELLOW.value)),
        When(clocked, then=Value(TrafficLight.GREEN.value)),
        default=Value(""),
        output_field=CharField(),
    )


def _granted() -> dict[str, Any]:
    """Per problem, the extensions granted and their days: one indexed look-up each, and
    nothing at all for the many problems that never asked."""
    granted = (
        Extension.objects.filter(problem=OuterRef("pk"), state=ExtensionState.APPROVED)
        .order_by()
        .values("problem")
    )
    return {
        "ledger_extensions": Coalesce(
            Subquery(granted.annotate(n=Count("*")).values("n")), Value(0)
        ),
        "ledger_days_granted": Subquery(granted.annotate(d=Sum("days_granted")).values("d")),
    }


def _hours(duration: timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


def ledger_rows(problems: QuerySet, now: datetime | None = None) -> Iterator[list[Any]]:
    """The ledger's rows for `problems`, newest first as in the list. Times come as Excel
    day numbers in local time, ready for the sheet's date cells."""
    # Labels now, in the caller's language: the rows themselves are produced later.
    return _generate(problems, now or timezone.now(), _Labels())


def _generate(problems: QuerySet, now: datetime, labels: _Labels) -> Iterator[list[Any]]:
    regions = RegionNames()
    level_slice = slice(3, 3 + len(LEVELS))
    rows = (
        problems.annotate(
            ledger_light=_light(now),
            ledger_found_at=Epoch("found_at"),
            ledger_deadline=Epoch("deadline"),
            ledger_closed_at=Epoch("closed_at"),
            ledger_signed_at=Epoch("signed_at"),
            **_granted(),
        )
        .order_by("-found_at", "-pk")
        .values_list(*FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from _rows(chunk, regions, labels, level_slice)
            chunk = []
    yield from _rows(chunk, regions, labels, level_slice)


def _rows(
    chunk: list[tuple[Any, ...]],
    regions: RegionNames,
    labels: _Labels,
    level_slice: slice,
) -> Iterator[list[Any]]:
    regions.load(pk for row in chunk for pk in row[level_slice])
    yes, no = labels.yes, labels.no
    tz = timezone.get_current_timezone()
    from_timestamp = datetime.fromtimestamp

    def local(epoch: float | None) -> float | None:
        """Excel's day number of the local time (what a date cell stores)."""
        if epoch is None:
            return None
        offset = from_timestamp(epoch, tz).utcoffset()
        return (epoch + (offset.total_seconds() if offset else 0)) / 86_400 + EXCEL_UNIX_DAY

    for row in chunk:
        (pk, title, description) = row[:3]
        (
            site,
            focus_area,
            team,
            found_at,
            urgency,
            nature,
            state,
            unit,
            deadline,
            light,
            closed_at,
            time_to_close,
            on_the_spot,
            recurring,
            rule,
            reported_to,
            found_by_name,
            found_by_username,
            signed_at,
            extensions_granted,
            days_granted,
        ) = row[level_slice.stop :]
        yield [
            pk,
            title,
            description,
            regions.path(row[level_slice]),
            site,
            focus_area,
            team,
            local(found_at),
            labels.urgencies.get(urgency, urgency),
            labels.natures.get(nature, nature),
            labels.states.get(state, state),
            unit,
            local(deadline),
            labels.lights[light] if light else None,
            local(closed_at),
            _hours(time_to_close),
            yes if on_the_spot else no,
            yes if recurring else no,
            rule,
            reported_to,
            found_by_name or found_by_username,
            local(signed_at),
            extensions_granted,
            None if days_granted is None else float(days_granted),
        ]


def ledger_sheet(problems: QuerySet, now: datetime | None = None, title: str = "") -> Sheet:
    return Sheet(
        str(DATA_SHEET),
        [column.column() for column in COLUMNS],
        ledger_rows(problems, now),
        autofilter=True,
        title=title,
        printable=True,
    )


def ledger_title(user: Any, problem_filter: ProblemFilter, now: datetime | None = None) -> str:
    """The line above the ledger's header: whose problems (the filter's region, else the
    reader's jurisdiction), whether filtered, and when, so a printed page says what it is."""
    if problem_filter.region is not None:
        scope = problem_filter.region.name
    else:
        orgs = Org.objects.filter(memberships__user=user).order_by("path").distinct()
        scope = pgettext("list separator", ", ").join(org.name for org in orgs[:SCOPE_NAMES])
    moment = timezone.localtime(now or timezone.now())
    if problem_filter != ProblemFilter(region=problem_filter.region):
        scope = _("%(scope)s (filtered)") % {"scope": scope}
    return _("%(ledger)s · %(scope)s · as of %(time)s") % {
        "ledger": str(DATA_SHEET),
        "scope": scope,
        "time": moment.strftime("%Y-%m-%d %H:%M"),
    }


def export_filename(now: datetime | None = None) -> str:
    moment = timezone.localtime(now or timezone.now())
    return pgettext("ledger file name", "problem-ledger-%(time)s.xlsx") % {
        "time": moment.strftime("%Y%m%d-%H%M")
    }


def export_response(problems: QuerySet, title: str = "") -> StreamingHttpResponse:
    """The ledger as a download that starts at once and grows while rows are read."""
    # Everything translated is worked out now, in the request's language, before streaming.
    sheet = ledger_sheet(problems, title=title)
    response = StreamingHttpResponse(stream_workbook([sheet]), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, export_filename())
    response["Cache-Control"] = "private, no-store"
    return response
