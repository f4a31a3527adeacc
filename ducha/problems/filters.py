"""The problem-list filters, shared by the pages and the API (each validates its own input)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q

from ducha.core.fulltext import matching
from ducha.core.search import TextQuery, parse_query
from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.orgs.models import Org
from ducha.problems.querysets import ProblemQuerySet


@dataclass
class ProblemFilter:
    region: Org | None = None  # a region: its whole subtree
    state: str | None = None
    focus_area_id: int | None = None
    team_id: int | None = None
    responsible_org_id: int | None = None
    light: str | None = None  # green / yellow / red
    overdue: bool | None = None
    nature: str | None = None
    urgency: str | None = None
    text: str = ""
    # Closed after (True) or by (False) the deadline.
    closed_late: bool | None = None
    # Closed within this many hours of discovery.
    max_hours_to_close: int | None = None

    def apply(
        self,
        problems: ProblemQuerySet,
        now: Any = None,
        *,
        common: bool = False,
        query: TextQuery | None = None,
    ) -> ProblemQuerySet:
        """The filtered problems; `common`: the text is known to match more problems than
        `stats` counts (`matching(common=True)` says why that matters); `query`: the text
        as already parsed (by `listing`)."""
        if self.region is not None and self.region.level:
            field = LEVEL_FIELDS[RegionLevel(self.region.level)]
            problems = problems.filter(**{f"{field}_id": self.region.pk})
        if self.state:
            problems = problems.filter(state=self.state)
        if self.focus_area_id:
            problems = problems.filter(focus_area_id=self.focus_area_id)
        if self.team_id:
            problems = problems.filter(team_id=self.team_id)
        if self.responsible_org_id:
            problems = problems.filter(responsible_org_id=self.responsible_org_id)
        if self.nature:
            problems = problems.filter(nature=self.nature)
        if self.urgency:
            problems = problems.filter(urgency=self.urgency)
        if self.light:
            problems = problems.with_light(self.light, now)
        if self.overdue is True:
            problems = problems.overdue(now)
        elif self.overdue is False:
            problems = problems.exclude(pk__in=problems.overdue(now).values("pk"))
        if self.closed_late is not None:
            late = Q(closed_at__gt=F("deadline"))
            problems = problems.filter(late if self.closed_late else ~late, state="closed")
        if self.max_hours_to_close is not None:
            problems = problems.filter(time_to_close__lte=timedelta(hours=self.max_hours_to_close))
        if query is None:
            query = parse_query(self.text)
        if query is not None:
            problems = matching(problems, query, common=common)
        return problems

    def listing(
        self, visible: ProblemQuerySet
    ) -> tuple[ProblemQuerySet, dict[str, Any], TextQuery | None]:
        """What a list shows: the problems, their stats line, and the query that found them.

        Past the cap of a search only the first `found` rows are listed, read as
        `apply(common=True)` reads them. When a search's words find nothing, its strings are
        looked for inside the stored words (`TextQuery.characters`); the count said so
        already, so that costs nothing when the words find something.
        """
        query = parse_query(self.text)
        problems = self.apply(visible, query=query)
        stats = self.stats(problems)
        if query is not None and not stats["found"] and not query.by_characters:
            query = query.characters()
            problems = self.apply(visible, query=query)
            stats = self.stats(problems)
        if stats["more"]:
            problems = self.apply(visible, common=True, query=query)
        return problems, stats, query

    def stats(self, problems: ProblemQuerySet) -> dict[str, Any]:
        """The stats line of the filtered problems (bounded for a text search)."""
        if self.text.strip():
            return problems.search_stats(settings.DUCHA_SEARCH_COUNT_CAP)
        return problems.rectification_stats()
